"""What every influencer results page shares (the rule sorts in search.py, the learned one in recommend.py):
the filter, card and page types, the filters' validation into SQL conditions, and reading a page's cards."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session

from brandifiers.models import CATEGORIES, InfluencerProfile, Platform, SocialAccount
from brandifiers.services.common import parse
from brandifiers.services.common.errors import DomainError
from brandifiers.services.discovery import fit as fitmod
from brandifiers.services.discovery import fulltext, medians

MAX_PAGE_SIZE = 50
MAX_OFFSET = 10_000  # deeper pages are refused: narrow the filters instead
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
    banner: str = ""  # what the page could not do as asked, e.g. the Recommended sort's fallback to the fit score


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
    sort: str = "reach"  # reach | engagement | price | fit | recommended
    campaign_id: int | None = None  # needed for sort="fit" and "recommended"; else it fills InfluencerCard.fit
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
    # the Recommended sort with a learned model (services/recommend/scoring.Prediction); None otherwise
    predicted: float | None = None  # a fraction, e.g. the expected engagement rate
    low: float | None = None
    high: float | None = None
    p_complete: float | None = None  # 0..1
    reasons: list[str] = field(default_factory=list)


# ---- validation -------------------------------------------------------------------------------

def paging(page: int, page_size: int) -> tuple[int, int]:
    if page is None or page < 0:
        raise DomainError("The page number cannot be negative.", "page")
    if page_size is None or page_size < 1:
        raise DomainError("The page size must be at least 1.", "page_size")
    size = min(int(page_size), MAX_PAGE_SIZE)
    if page * size > MAX_OFFSET:
        raise DomainError(f"Only the first {MAX_OFFSET:,} results can be paged; narrow the filters.", "page")
    return int(page), size


def range_conditions(col, lo, hi, lo_field: str, hi_field: str, label: str, upper: float | None = None) -> list:
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


def category(value: str) -> str:
    value = parse.text(value, "category", "Category").strip()
    if value and value.lower() not in _CATEGORY:
        raise DomainError("Choose a category from the list.", "category")
    return _CATEGORY.get(value.lower(), "")


_IP, _SA = InfluencerProfile.__table__, SocialAccount.__table__


def with_words(session: Session, conds: list, id_col, kind: str, raw_text: str, raw_niche: str, offset: int,
               want: int) -> tuple[list, fulltext.Text | None]:
    """The conditions plus the word one, if the free text or the niche have words (each word a word
    prefix: niche "vegan" finds "Vegan snacks")."""
    ws, niche = fulltext.words(raw_text), fulltext.words(raw_niche, "niche")
    if not ws and not niche:
        return conds, None
    fulltext.check_depth(ws + niche, offset)
    text = fulltext.text_filter(session, id_col, kind, ws, want, niche)
    return conds + [text.condition], text


def influencer_conditions(session: Session, f: InfluencerFilters, offset: int, want: int, *,
                          use_category: bool = True) -> tuple[list, fulltext.Text | None]:
    """The filters as conditions on influencerprofile (active, verified accounts only); `use_category`
    False leaves the form's category out (the Recommended sort uses its campaign's)."""
    conds = [fitmod.ACTIVE_PROFILE]
    chosen = category(f.category)
    if chosen and use_category:
        conds.append(_IP.c.category == chosen)
    platform = parse.text(f.platform, "platform", "Platform").strip().lower()
    if platform:
        if platform not in _PLATFORMS:
            raise DomainError("Choose a platform from the list.", "platform")
        conds.append(sa.exists().where(_SA.c.influencer_id == _IP.c.id, _SA.c.platform == platform))
    conds += range_conditions(_IP.c.total_followers, f.min_followers, f.max_followers, "min_followers",
                              "max_followers", "follower count")
    conds += range_conditions(_IP.c.avg_engagement_rate, f.min_er, f.max_er, "min_er", "max_er", "engagement rate",
                              upper=1.0)
    return with_words(session, conds, _IP.c.id, "influencer", f.text, f.niche, offset, want)


# ---- cards --------------------------------------------------------------------------------------

_CARD_COLS = (_IP.c.id, _IP.c.user_id, _IP.c.display_name, _IP.c.category, _IP.c.niche, _IP.c.location,
              _IP.c.total_followers, _IP.c.avg_engagement_rate, _IP.c.asking_price_cents)
REACH = (_IP.c.total_followers.desc(), _IP.c.id.desc())


def card_rows(session: Session, ids: list[int]) -> list:
    """The card columns of profiles, in the order of `ids` (read after the sort: the sorted scan
    itself then stays on an index and never reads a table row it skips)."""
    if not ids:
        return []
    by_id = {r.id: r for r in session.execute(sa.select(*_CARD_COLS).where(_IP.c.id.in_(ids))).all()}
    return [by_id[i] for i in ids if i in by_id]


def cards(session: Session, rows, fits: dict[int, int] | None) -> list[InfluencerCard]:
    """The cards of card_rows (their platforms in one query), with the fit score by user id if given."""
    ids = [r.id for r in rows]
    platforms: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for pid, name in session.execute(sa.select(_SA.c.influencer_id, _SA.c.platform).where(
                _SA.c.influencer_id.in_(ids)).order_by(_SA.c.followers.desc())).all():
            platforms[pid].append(name)
    return [InfluencerCard(r.user_id, r.display_name, r.category, r.niche or "", r.location or "",
                           int(r.total_followers), float(r.avg_engagement_rate), r.asking_price_cents,
                           platforms[r.id], None if fits is None else fits.get(r.user_id)) for r in rows]


def fit_scores(session: Session, campaign, rows) -> dict[int, int]:
    """{user id: fit score} of profile rows (user_id, category, niche, total_followers, avg_engagement_rate,
    asking_price_cents) for the campaign: their completion records in one grouped query."""
    records = fitmod.completion_records(session, [r.user_id for r in rows])
    by_category = medians.category_medians(session, {r.category for r in rows})
    return fitmod.rank_points(fitmod.fit_inputs(campaign), [
        (r.user_id, r.category, r.niche, int(r.total_followers), float(r.avg_engagement_rate), r.asking_price_cents,
         *records.get(r.user_id, (0, 0))) for r in rows], by_category)
