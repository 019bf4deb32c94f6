"""Discovery: sponsors search influencers, influencers search campaigns, in server-side pages of active
accounts only; bad filters raise DomainError, a wrong role PermissionDenied. Design: docs/discovery.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, func

from brandifiers.models import (
    CATEGORIES,
    Campaign,
    CampaignStatus,
    InfluencerProfile,
    Platform,
    Role,
    SocialAccount,
    SponsorProfile,
    User,
    Visibility,
)
from brandifiers.services.common import parse
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.rbac import require_role
from brandifiers.services.discovery import fit as fitmod
from brandifiers.services.discovery import fulltext, medians

MAX_PAGE_SIZE = 50
COUNT_CAP = 1000  # totals above this are reported as None
MAX_OFFSET = 10_000  # deeper pages are refused: narrow the filters instead
FIT_CANDIDATES = 500  # sort="fit" ranks the top 500 matches by reach
SORTS = ("reach", "engagement", "price", "fit")
SNIPPET = 160
_INACTIVE = fitmod.INACTIVE_STATUSES
_CATEGORY = {c.lower(): c for c in CATEGORIES}
_PLATFORMS = {p.value for p in Platform}


@dataclass
class Page:
    rows: list
    page: int
    page_size: int
    has_next: bool
    total: int | None  # None: not known cheaply (docs/discovery.md, "Pages")
    note: str = ""  # e.g. the bound of the fit ranking
    more_than: int = 0  # total is None: the matches are known to be more than this many


@dataclass
class InfluencerFilters:
    text: str = ""
    category: str = ""
    niche: str = ""
    platform: str = ""
    min_followers: int | None = None
    max_followers: int | None = None
    min_er: float | None = None  # engagement rate as a fraction, 0.025 = 2.5%
    max_er: float | None = None
    sort: str = "reach"  # reach | engagement | price | fit
    campaign_id: int | None = None  # needed for sort="fit"; with another sort it fills InfluencerCard.fit
    page: int = 0
    page_size: int = 20


@dataclass
class InfluencerCard:
    user_id: int
    display_name: str
    category: str
    niche: str
    location: str
    total_followers: int
    engagement_rate: float
    asking_price_cents: int | None
    platforms: list[str] = field(default_factory=list)
    fit: int | None = None


@dataclass
class CampaignFilters:
    text: str = ""
    category: str = ""
    niche: str = ""
    min_budget_cents: int | None = None
    max_budget_cents: int | None = None
    starts_after: date | None = None  # start date on or after
    ends_before: date | None = None  # end date on or before
    page: int = 0
    page_size: int = 20


@dataclass
class CampaignCard:
    id: int
    name: str
    sponsor_name: str
    category: str
    niche: str
    budget_cents: int
    start_date: date
    end_date: date
    description_snippet: str


# ---- validation -------------------------------------------------------------------------------

def _paging(page: int, page_size: int) -> tuple[int, int]:
    if page is None or page < 0:
        raise DomainError("The page number cannot be negative.", "page")
    if page_size is None or page_size < 1:
        raise DomainError("The page size must be at least 1.", "page_size")
    size = min(int(page_size), MAX_PAGE_SIZE)
    if page * size > MAX_OFFSET:
        raise DomainError(f"Only the first {MAX_OFFSET:,} results can be paged; narrow the filters.", "page")
    return int(page), size


def _range(col, lo, hi, lo_field: str, hi_field: str, label: str, upper: float | None = None) -> list:
    """Validate a min/max pair and return its conditions on `col`."""
    for value, name in ((lo, lo_field), (hi, hi_field)):
        if value is not None and value < 0:
            raise DomainError(f"The {label} cannot be negative.", name)
        if value is not None and upper is not None and value > upper:
            raise DomainError(f"The {label} cannot be more than {upper:.0%}.", name)
    if lo is not None and hi is not None and lo > hi:
        raise DomainError(f"The minimum {label} is above the maximum.", hi_field)
    return [c for c in ((col >= lo) if lo is not None else None, (col <= hi) if hi is not None else None)
            if c is not None]


def _category(value: str) -> str:
    value = parse.text(value, "category", "Category").strip()
    if value and value.lower() not in _CATEGORY:
        raise DomainError("Choose a category from the list.", "category")
    return _CATEGORY.get(value.lower(), "")


_IP, _SA, _C, _SP = InfluencerProfile.__table__, SocialAccount.__table__, Campaign.__table__, SponsorProfile.__table__
_U = User.__table__


def _with_words(session: Session, conds: list, id_col, kind: str, raw_text: str, raw_niche: str, offset: int,
                want: int) -> tuple[list, fulltext.Text | None]:
    """The conditions plus the word one, if the free text or the niche have words (each word a word
    prefix: niche "vegan" finds "Vegan snacks")."""
    ws, niche = fulltext.words(raw_text), fulltext.words(raw_niche, "niche")
    if not ws and not niche:
        return conds, None
    fulltext.check_depth(ws + niche, offset)
    text = fulltext.text_filter(session, id_col, kind, ws, want, niche)
    return conds + [text.condition], text


# ---- influencers ---------------------------------------------------------------------------------

def _influencer_conditions(session: Session, f: InfluencerFilters, offset: int,
                           want: int) -> tuple[list, fulltext.Text | None]:
    conds = [fitmod.ACTIVE_PROFILE]
    category = _category(f.category)
    if category:
        conds.append(_IP.c.category == category)
    platform = parse.text(f.platform, "platform", "Platform").strip().lower()
    if platform:
        if platform not in _PLATFORMS:
            raise DomainError("Choose a platform from the list.", "platform")
        conds.append(sa.exists().where(_SA.c.influencer_id == _IP.c.id, _SA.c.platform == platform))
    conds += _range(_IP.c.total_followers, f.min_followers, f.max_followers, "min_followers", "max_followers",
                    "follower count")
    conds += _range(_IP.c.avg_engagement_rate, f.min_er, f.max_er, "min_er", "max_er", "engagement rate", upper=1.0)
    return _with_words(session, conds, _IP.c.id, "influencer", f.text, f.niche, offset, want)


_CARD_COLS = (_IP.c.id, _IP.c.user_id, _IP.c.display_name, _IP.c.category, _IP.c.niche, _IP.c.location,
              _IP.c.total_followers, _IP.c.avg_engagement_rate, _IP.c.asking_price_cents)
_REACH = (_IP.c.total_followers.desc(), _IP.c.id.desc())
_ENGAGEMENT = (_IP.c.avg_engagement_rate.desc(), _IP.c.id.desc())


_N = func.count().over().label("n_matches")  # text matches read and sorted: the total comes with them


def _total(session: Session, stmt, rows, offset: int, has_next: bool, text: fulltext.Text | None,
           windowed: bool = True) -> tuple[int | None, int]:
    """(total, more_than): exact on the last page or from the window count of read text matches
    (`windowed`: the rows carry it); else a count capped at COUNT_CAP (None above it, and None
    without counting when a text search scans the sort index)."""
    if not has_next and (rows or not offset):
        return offset + len(rows), 0
    mode = text.mode if text else ""
    if mode == "read" and windowed and rows:
        return rows[0].n_matches, 0
    if mode == "scan":
        return None, text.more_than
    n = session.execute(sa.select(func.count()).select_from(stmt.limit(COUNT_CAP + 1).subquery())).scalar_one()
    return (n, 0) if n <= COUNT_CAP else (None, COUNT_CAP)


def _note(text: fulltext.Text | None, total: int | None) -> str:
    return fulltext.depth_note(total) if text is not None else ""


def _price_ids(session: Session, conds: list, offset: int, limit: int) -> list:
    """Cheapest first; profiles without a price follow (newest first). Each part uses an index."""
    price = _IP.c.asking_price_cents
    priced = sa.select(_IP.c.id).where(*conds, price.is_not(None))
    rows = session.execute(priced.order_by(price, _IP.c.id).offset(offset).limit(limit)).all()
    if len(rows) == limit:
        return list(rows)
    if rows or not offset:
        skip = 0
    else:  # a page past every priced match: count them to know where the unpriced ones start
        skip = offset - session.execute(sa.select(func.count()).select_from(priced.subquery())).scalar_one()
    unpriced = sa.select(_IP.c.id).where(*conds, price.is_(None)).order_by(_IP.c.id.desc())
    return list(rows) + list(session.execute(unpriced.offset(skip).limit(limit - len(rows))).all())


def _card_rows(session: Session, ids: list[int]) -> list:
    """The card columns of profiles, in the order of `ids` (read after the sort: the sorted scan
    itself then stays on an index and never reads a table row it skips)."""
    if not ids:
        return []
    by_id = {r.id: r for r in session.execute(sa.select(*_CARD_COLS).where(_IP.c.id.in_(ids))).all()}
    return [by_id[i] for i in ids if i in by_id]


def _cards(session: Session, rows, fits: dict[int, int] | None) -> list[InfluencerCard]:
    ids = [r.id for r in rows]
    platforms: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for pid, name in session.execute(sa.select(_SA.c.influencer_id, _SA.c.platform).where(
                _SA.c.influencer_id.in_(ids)).order_by(_SA.c.followers.desc())).all():
            platforms[pid].append(name)
    return [InfluencerCard(r.user_id, r.display_name, r.category, r.niche or "", r.location or "",
                           int(r.total_followers), float(r.avg_engagement_rate), r.asking_price_cents,
                           platforms[r.id], None if fits is None else fits.get(r.user_id)) for r in rows]


def _fits(session: Session, campaign: Campaign, rows) -> dict[int, int]:
    """{user id: fit score} of a page of profile rows for the campaign."""
    records = fitmod.completion_records(session, [r.user_id for r in rows])
    by_category = medians.category_medians(session, {r.category for r in rows})
    return fitmod.rank_points(fitmod.fit_inputs(campaign), [
        (r.user_id, r.category, r.niche, int(r.total_followers), float(r.avg_engagement_rate), r.asking_price_cents,
         *records.get(r.user_id, (0, 0))) for r in rows], by_category)


def _fit_page(session: Session, campaign: Campaign, conds: list, page: int, size: int) -> Page:
    """Rank the FIT_CANDIDATES matches with the largest reach by fit; return one page of them."""
    c = _IP.c
    candidates = session.execute(sa.select(
        c.user_id, c.category, c.niche, c.total_followers, c.avg_engagement_rate, c.asking_price_cents,
        *fitmod.COMPLETION_COUNTS, c.id).where(*conds).order_by(*_REACH).limit(FIT_CANDIDATES)).all()
    by_category = medians.category_medians(session, {r[1] for r in candidates})
    fits = fitmod.rank_points(fitmod.fit_inputs(campaign), [r[:8] for r in candidates], by_category)
    ranked = sorted(candidates, key=lambda r: (-fits[r[0]], -r[3], -r[8]))
    offset = page * size
    rows = _card_rows(session, [r[8] for r in ranked[offset:offset + size]])
    note = (f"Ranked by fit among the {FIT_CANDIDATES} matches with the largest reach."
            if len(candidates) == FIT_CANDIDATES else "")
    return Page(_cards(session, rows, fits), page, size, offset + size < len(ranked),
                len(ranked), note)


def search_influencers(session: Session, actor_id: int | None, filters: InfluencerFilters) -> Page:
    """One page of active influencers matching the filters (sponsors and admins)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    f = filters
    page, size = _paging(f.page, f.page_size)
    sort = (f.sort or "reach").strip().lower()
    if sort not in SORTS:
        raise DomainError("Sort by reach, engagement, price or fit.", "sort")
    campaign = None
    if f.campaign_id is not None:
        campaign = fitmod.load_own_campaign(session, actor, f.campaign_id)
    elif sort == "fit":
        raise DomainError("Choose one of your campaigns to sort by fit.", "campaign_id")
    want = FIT_CANDIDATES if sort == "fit" else (page + 1) * size + 1
    offset = page * size
    conds, text = _influencer_conditions(session, f, offset, want)
    read = text is not None and text.mode == "read"
    if sort == "fit":
        return _fit_page(session, campaign, conds, page, size)
    if sort == "price":
        found = _price_ids(session, conds, offset, size + 1)
    else:
        cols = (_IP.c.id, _N) if read else (_IP.c.id,)
        order = _REACH if sort == "reach" else _ENGAGEMENT
        found = session.execute(sa.select(*cols).where(*conds).order_by(*order).offset(offset).limit(size + 1)).all()
    has_next = len(found) > size
    found = found[:size]
    total, more_than = _total(session, sa.select(_IP.c.id).where(*conds), found, offset, has_next, text,
                              windowed=sort != "price")  # price rows carry no window count
    rows = _card_rows(session, [r.id for r in found])
    fits = _fits(session, campaign, rows) if campaign is not None else None
    return Page(_cards(session, rows, fits), page, size, has_next, total, _note(text, total), more_than)


# ---- campaigns -----------------------------------------------------------------------------------

_u_off = _U.alias("u_inactive")
_OPEN_CAMPAIGN = (_C.c.visibility == Visibility.PUBLIC.value, _C.c.status == CampaignStatus.ACTIVE.value,
                  _C.c.approved == sa.true(), _C.c.flagged == sa.false(),
                  _C.c.sponsor_id.not_in(sa.select(_u_off.c.id).where(_u_off.c.status.in_(_INACTIVE))))


def _campaign_conditions(session: Session, f: CampaignFilters, offset: int,
                         want: int) -> tuple[list, fulltext.Text | None]:
    conds = list(_OPEN_CAMPAIGN)
    category = _category(f.category)
    if category:
        conds.append(_C.c.category == category)
    conds += _range(_C.c.budget_cents, f.min_budget_cents, f.max_budget_cents, "min_budget_cents",
                    "max_budget_cents", "budget")
    if f.starts_after and f.ends_before and f.ends_before < f.starts_after:
        raise DomainError("The end date is before the start date.", "ends_before")
    if f.starts_after:
        conds.append(_C.c.start_date >= f.starts_after)
    if f.ends_before:
        conds.append(_C.c.end_date <= f.ends_before)
    return _with_words(session, conds, _C.c.id, "campaign", f.text, f.niche, offset, want)


def snippet(text: str, limit: int = SNIPPET) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-") + "…"


def search_campaigns(session: Session, actor_id: int | None, filters: CampaignFilters) -> Page:
    """One page of open campaigns, newest first (influencers and admins)."""
    require_role(session, actor_id, Role.INFLUENCER, Role.ADMIN)
    f = filters
    page, size = _paging(f.page, f.page_size)
    offset = page * size
    conds, text = _campaign_conditions(session, f, offset, offset + size + 1)
    cols = (_C.c.id, _N) if text is not None and text.mode == "read" else (_C.c.id,)
    found = session.execute(sa.select(*cols).where(*conds).order_by(_C.c.created_at.desc(), _C.c.id.desc())
                            .offset(offset).limit(size + 1)).all()
    has_next = len(found) > size
    found = found[:size]
    total, more_than = _total(session, sa.select(_C.c.id).where(*conds), found, offset, has_next, text)
    ids = [r.id for r in found]
    rows = {r.id: r for r in session.execute(
        sa.select(_C.c.id, _C.c.name, _SP.c.company_name, _C.c.category, _C.c.niche, _C.c.budget_cents,
                  _C.c.start_date, _C.c.end_date, func.substr(_C.c.description, 1, SNIPPET + 40).label("description"))
        .join(_SP, _SP.c.user_id == _C.c.sponsor_id).where(_C.c.id.in_(ids))).all()} if ids else {}
    cards = [CampaignCard(r.id, r.name, r.company_name, r.category, r.niche or "", int(r.budget_cents),
                          r.start_date, r.end_date, snippet(r.description))
             for r in (rows[i] for i in ids if i in rows)]
    return Page(cards, page, size, has_next, total, _note(text, total), more_than)
