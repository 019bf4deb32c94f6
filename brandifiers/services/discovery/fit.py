"""The transparent fit score of an influencer for a campaign (0..100, explained part by part): a pure
`fit_score` and `fit_for`, which loads the inputs for the campaign's sponsor or an admin (else
PermissionDenied or NotFound). Design: docs/discovery.md, "The fit score"."""

from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import case
from sqlmodel import Session, func, select

from brandifiers.models import (
    COMMITTED_STATUSES,
    AdRequest,
    AdRequestStatus,
    Campaign,
    InfluencerProfile,
    Role,
    User,
    UserStatus,
)
from brandifiers.services.common.errors import NotFound
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.rbac import require_owner, require_role
from brandifiers.services.discovery.medians import INACTIVE_STATUSES, category_median_er

WEIGHTS: dict[str, int] = {"category": 30, "audience": 20, "engagement": 20, "completion": 15, "price": 15}
LABELS: dict[str, str] = {"category": "Category match", "audience": "Audience size for the budget",
                          "engagement": "Engagement rate", "completion": "Completion record",
                          "price": "Asking price vs budget"}
NEUTRAL = 0.5
CATEGORY_ONLY, CATEGORY_AND_NICHE = 0.7, 1.0
IDEAL_FOLLOWERS_PER_DOLLAR = (5.0, 20.0)  # the audience band (docs/discovery.md, "The fit score")
BELOW_DECADES, ABOVE_DECADES = 2.0, 1.0  # how many factors of 10 outside the band reach 0
ER_RATIO_CAP = 2.0
PRICE_FULL_SHARE, PRICE_ZERO_SHARE = 0.10, 1.0


@dataclass
class FitPart:
    key: str
    label: str
    weight: int
    value: float  # 0..1
    points: float  # weight x value
    explanation: str


@dataclass
class FitResult:
    score: int  # 0..100
    parts: list[FitPart]


@dataclass
class FitCampaign:
    category: str
    niche: str | None
    budget_cents: int


@dataclass
class FitInfluencer:
    category: str
    niche: str | None
    total_followers: int
    engagement_rate: float  # a fraction 0..1
    asking_price_cents: int | None


def _clamp(x: float) -> float:
    return 1.0 if x > 1.0 else 0.0 if x < 0.0 else x


def _norm(text: str | None) -> str:
    return (text or "").strip().lower()


# ---- the five values (numbers only: fit_points ranks hundreds of candidates with these) ----------

def _category(c_cat: str, c_niche: str, i_cat: str, i_niche: str) -> float:
    """Arguments already normalised with _norm."""
    if not c_cat or c_cat != i_cat:
        return 0.0
    return CATEGORY_AND_NICHE if c_niche and c_niche == i_niche else CATEGORY_ONLY


def _followers_per_dollar(followers: int, budget_cents: int) -> float | None:
    return followers / (budget_cents / 100) if budget_cents > 0 and followers > 0 else None


def _audience(f: float | None) -> float:
    lo, hi = IDEAL_FOLLOWERS_PER_DOLLAR
    if f is None:
        return 0.0
    if f < lo:
        return _clamp(1 - math.log10(lo / f) / BELOW_DECADES)
    if f > hi:
        return _clamp(1 - math.log10(f / hi) / ABOVE_DECADES)
    return 1.0


def _engagement(er: float, median: float | None) -> float:
    if not median or median <= 0:
        return NEUTRAL
    return min(max(er, 0.0) / median, ER_RATIO_CAP) / ER_RATIO_CAP


def _completion(rate: float | None) -> float:
    return NEUTRAL if rate is None else _clamp(rate)


def _price(price_cents: int | None, budget_cents: int) -> float:
    if price_cents is None:
        return NEUTRAL
    if price_cents <= 0:
        return 1.0
    if budget_cents <= 0:
        return 0.0
    return _clamp((PRICE_ZERO_SHARE - price_cents / budget_cents) / (PRICE_ZERO_SHARE - PRICE_FULL_SHARE))


def _score(values) -> int:
    """The weighted sum of the (unrounded) values, rounded half up."""
    w1, w2, w3, w4, w5 = _WEIGHT_LIST
    v1, v2, v3, v4, v5 = values
    return int(math.floor(w1 * v1 + w2 * v2 + w3 * v3 + w4 * v4 + w5 * v5 + 0.5 + 1e-9))


_WEIGHT_LIST = tuple(WEIGHTS.values())


def _raw_values(c: FitCampaign, i: FitInfluencer, median: float | None, rate: float | None) -> tuple:
    return (_category(_norm(c.category), _norm(c.niche), _norm(i.category), _norm(i.niche)),
            _audience(_followers_per_dollar(i.total_followers, c.budget_cents)),
            _engagement(i.engagement_rate, median), _completion(rate), _price(i.asking_price_cents, c.budget_cents))


# ---- the explanations ---------------------------------------------------------------------------

def _explain(c: FitCampaign, i: FitInfluencer, median: float | None, rate: float | None) -> list[str]:
    lo, hi = IDEAL_FOLLOWERS_PER_DOLLAR
    if _norm(c.category) != _norm(i.category):
        cat = f"Different category: the campaign is {c.category}, the creator {i.category}."
    elif _norm(c.niche) and _norm(c.niche) == _norm(i.niche):
        cat = f"Same category ({c.category}) and same niche ({c.niche})."
    else:
        cat = f"Same category ({c.category})" + (f"; niche {i.niche or 'not set'} vs {c.niche}." if c.niche else ".")
    f = _followers_per_dollar(i.total_followers, c.budget_cents)
    if c.budget_cents <= 0:
        aud = "The campaign has no budget."
    elif f is None:
        aud = "The creator reports no followers."
    else:
        verdict = ("a small audience for this budget" if f < lo else "right for this budget" if f <= hi
                   else "a large audience for this budget (one post would take a big share of it)")
        aud = (f"{f:,.1f} followers per budget dollar, {verdict}; "
               f"the ideal is {lo:g}-{hi:g} followers per budget dollar.")
    if not median or median <= 0:
        eng = "No category median to compare with (neutral)."
    else:
        eng = (f"{i.engagement_rate * 100:.2f}% vs the category median {median * 100:.2f}% "
               f"({max(i.engagement_rate, 0.0) / median:.2f}x; 2x or more is full).")
    comp = ("No accepted collaborations yet (neutral)." if rate is None
            else f"{_clamp(rate) * 100:.0f}% of accepted collaborations completed.")
    p, b = i.asking_price_cents, c.budget_cents
    if p is None:
        price = "No asking price given (neutral)."
    elif p <= 0:
        price = "No asking price (free)."
    elif b <= 0:
        price = f"Asks {format_cents(p)} and the campaign has no budget."
    else:
        price = f"Asks {format_cents(p)}, {p / b * 100:.0f}% of the budget (10% or less is full, 100% or more is none)."
    return [cat, aud, eng, comp, price]


def fit_score(campaign: FitCampaign, influencer: FitInfluencer, *, category_median_er: float | None,
              completion_rate: float | None) -> FitResult:
    """The score and its explained parts, in the order of WEIGHTS."""
    values = _raw_values(campaign, influencer, category_median_er, completion_rate)
    why = _explain(campaign, influencer, category_median_er, completion_rate)
    parts = [FitPart(key, LABELS[key], w, round(v, 4), round(w * v, 2), text)
             for (key, w), v, text in zip(WEIGHTS.items(), values, why)]
    return FitResult(_score(values), parts)


def fit_points(campaign: FitCampaign, influencer: FitInfluencer, *, category_median_er: float | None,
               completion_rate: float | None) -> int:
    """fit_score(...).score without the explanations."""
    return _score(_raw_values(campaign, influencer, category_median_er, completion_rate))


def rank_points(campaign: FitCampaign, rows, medians: dict[str, float | None]) -> dict[int, int]:
    """{user id: fit_points} for rows of (user_id, category, niche, total_followers, engagement rate,
    asking price, accepted-or-later count, completed count): fit_score's numbers, computed in one
    tight loop for ranking hundreds of candidates (tests check that the two agree)."""
    c_cat, c_niche, budget = _norm(campaign.category), _norm(campaign.niche), campaign.budget_cents
    cat_part: dict[tuple, float] = {}  # category and price values repeat a lot: memoised per call
    price_part: dict[int | None, float] = {}
    w1, w2, w3, w4, w5 = _WEIGHT_LIST
    out = {}
    for uid, cat, niche, followers, er, price, accepted, completed in rows:
        v1 = cat_part.get((cat, niche))
        if v1 is None:
            v1 = cat_part[(cat, niche)] = _category(c_cat, c_niche, _norm(cat), _norm(niche))
        v5 = price_part.get(price)
        if v5 is None:
            v5 = price_part[price] = _price(price, budget)
        v2 = _audience(_followers_per_dollar(followers, budget))
        v3 = _engagement(er, medians.get(cat))
        v4 = _completion(completed / accepted if accepted else None)
        out[uid] = int(math.floor(w1 * v1 + w2 * v2 + w3 * v3 + w4 * v4 + w5 * v5 + 0.5 + 1e-9))
    return out


# ---- inputs from the database ---------------------------------------------------------------

_IP, _U, _AR = InfluencerProfile.__table__, User.__table__, AdRequest.__table__
_ip_off, _u_off = _IP.alias("ip_inactive"), _U.alias("u_inactive")
# "The profile's user is active", written as "not one of the (few) non-active profiles": a sorted
# scan over an influencerprofile index then never visits the user table row by row.
ACTIVE_PROFILE = _IP.c.id.not_in(sa.select(_ip_off.c.id).join(_u_off, _u_off.c.id == _ip_off.c.user_id)
                                 .where(_u_off.c.status.in_(INACTIVE_STATUSES)))

_COMMITTED = [s.value for s in COMMITTED_STATUSES]
_DONE = func.sum(case((_AR.c.status == AdRequestStatus.COMPLETED.value, 1), else_=0))
_ar = _AR.alias("ar_record")
# Two correlated scalar subqueries for a query over influencerprofile rows: (requests that reached
# accepted or later, completed requests) of each row's influencer; read from the (influencer_id,
# status) index. Built once: constructing them on every call showed in a search's time.
COMPLETION_COUNTS = (
    sa.select(func.count()).where(_ar.c.influencer_id == _IP.c.user_id, _ar.c.status.in_(_COMMITTED))
    .scalar_subquery().label("accepted_n"),
    sa.select(func.count()).where(_ar.c.influencer_id == _IP.c.user_id,
                                  _ar.c.status == AdRequestStatus.COMPLETED.value)
    .scalar_subquery().label("completed_n"))


def completion_records(session: Session, influencer_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{influencer user id: (requests accepted or later, completed)} for the given ids."""
    if not influencer_ids:
        return {}
    rows = session.execute(sa.select(_AR.c.influencer_id, func.count(), _DONE).where(
        _AR.c.influencer_id.in_(influencer_ids), _AR.c.status.in_(_COMMITTED))
        .group_by(_AR.c.influencer_id)).all()
    return {int(i): (int(n), int(d or 0)) for i, n, d in rows}


def completion_rate(record: tuple[int, int] | None) -> float | None:
    if not record or not record[0]:
        return None
    return record[1] / record[0]


def fit_inputs(campaign: Campaign) -> FitCampaign:
    return FitCampaign(campaign.category, campaign.niche, int(campaign.budget_cents))


def influencer_inputs(profile: InfluencerProfile) -> FitInfluencer:
    return FitInfluencer(profile.category, profile.niche, int(profile.total_followers or 0),
                         float(profile.avg_engagement_rate or 0.0), profile.asking_price_cents)


def load_own_campaign(session: Session, actor: User, campaign_id: int | None) -> Campaign:
    """The campaign, if the actor owns it (admins: any). NotFound otherwise."""
    campaign = session.get(Campaign, campaign_id) if campaign_id is not None else None
    return require_owner(campaign, "sponsor_id", actor, "campaign")


def fit_for(session: Session, actor_id: int | None, campaign_id: int, influencer_id: int) -> FitResult:
    """Fit of the influencer (its user id) for the campaign: its sponsor or an admin only."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    campaign = load_own_campaign(session, actor, campaign_id)
    row = session.exec(select(InfluencerProfile, User.status).join(User, User.id == InfluencerProfile.user_id)
                       .where(InfluencerProfile.user_id == influencer_id)).first()
    if row is None or (row[1] != UserStatus.ACTIVE.value and actor.role != Role.ADMIN.value):
        raise NotFound("influencer")
    profile = row[0]
    record = completion_records(session, [influencer_id]).get(influencer_id)
    return fit_score(fit_inputs(campaign), influencer_inputs(profile),
                     category_median_er=category_median_er(session, profile.category),
                     completion_rate=completion_rate(record))
