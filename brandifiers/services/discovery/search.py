"""Discovery: sponsors search influencers, influencers search campaigns, in server-side pages of active
accounts only; bad filters raise DomainError, a wrong role PermissionDenied. Design: docs/discovery.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, func

from brandifiers.models import Campaign, CampaignStatus, InfluencerProfile, Role, SponsorProfile, User, Visibility
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.rbac import require_role
from brandifiers.services.discovery import fit as fitmod
from brandifiers.services.discovery import fulltext, medians, recommend, results

COUNT_CAP = 1000  # totals above this are reported as None
FIT_CANDIDATES = 500  # sort="fit" ranks the top 500 matches by reach
SORTS = ("reach", "engagement", "price", "fit", "recommended")
SNIPPET = 160
_INACTIVE = fitmod.INACTIVE_STATUSES
# the shared types, re-exported: callers keep using search.Page, search.InfluencerFilters...
MAX_PAGE_SIZE, MAX_OFFSET = results.MAX_PAGE_SIZE, results.MAX_OFFSET
Page, InfluencerFilters, InfluencerCard = results.Page, results.InfluencerFilters, results.InfluencerCard


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


_IP, _C, _SP = InfluencerProfile.__table__, Campaign.__table__, SponsorProfile.__table__
_U = User.__table__
_REACH = results.REACH
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
    rows = results.card_rows(session, [r[8] for r in ranked[offset:offset + size]])
    note = (f"Ranked by fit among the {FIT_CANDIDATES} matches with the largest reach."
            if len(candidates) == FIT_CANDIDATES else "")
    return Page(results.cards(session, rows, fits), page, size, offset + size < len(ranked),
                len(ranked), note)


def search_influencers(session: Session, actor_id: int | None, filters: InfluencerFilters) -> Page:
    """One page of active influencers matching the filters (sponsors and admins)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    f = filters
    page, size = results.paging(f.page, f.page_size)
    sort = (f.sort or "reach").strip().lower()
    if sort not in SORTS:
        raise DomainError("Sort by reach, engagement, price, fit or recommended.", "sort")
    if sort == "recommended":
        return recommend.recommended(session, actor_id, f.campaign_id, f)
    campaign = None
    if f.campaign_id is not None:
        campaign = fitmod.load_own_campaign(session, actor, f.campaign_id)
    elif sort == "fit":
        raise DomainError("Choose one of your campaigns to sort by fit.", "campaign_id")
    want = FIT_CANDIDATES if sort == "fit" else (page + 1) * size + 1
    offset = page * size
    conds, text = results.influencer_conditions(session, f, offset, want)
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
    rows = results.card_rows(session, [r.id for r in found])
    fits = results.fit_scores(session, campaign, rows) if campaign is not None else None
    return Page(results.cards(session, rows, fits), page, size, has_next, total, _note(text, total), more_than)


# ---- campaigns -----------------------------------------------------------------------------------

_u_off = _U.alias("u_inactive")
_OPEN_CAMPAIGN = (_C.c.visibility == Visibility.PUBLIC.value, _C.c.status == CampaignStatus.ACTIVE.value,
                  _C.c.approved == sa.true(), _C.c.flagged == sa.false(),
                  _C.c.sponsor_id.not_in(sa.select(_u_off.c.id).where(_u_off.c.status.in_(_INACTIVE))))


def _campaign_conditions(session: Session, f: CampaignFilters, offset: int,
                         want: int) -> tuple[list, fulltext.Text | None]:
    conds = list(_OPEN_CAMPAIGN)
    category = results.category(f.category)
    if category:
        conds.append(_C.c.category == category)
    conds += results.range_conditions(_C.c.budget_cents, f.min_budget_cents, f.max_budget_cents,
                                      "min_budget_cents", "max_budget_cents", "budget")
    if f.starts_after and f.ends_before and f.ends_before < f.starts_after:
        raise DomainError("The end date is before the start date.", "ends_before")
    if f.starts_after:
        conds.append(_C.c.start_date >= f.starts_after)
    if f.ends_before:
        conds.append(_C.c.end_date <= f.ends_before)
    return results.with_words(session, conds, _C.c.id, "campaign", f.text, f.niche, offset, want)


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
    page, size = results.paging(f.page, f.page_size)
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
