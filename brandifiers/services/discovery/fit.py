"""The transparent fit score of an influencer for a campaign (0..100, explained part by part): a pure
`fit_score` and `fit_for`, which loads the inputs for the campaign's sponsor or an admin (else
PermissionDenied or NotFound). Design: docs/discovery.md, "The fit score"."""

from __future__ import annotations

import functools
import math
import re
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
    points: int  # weight x value as a whole number; the parts' points add up to the score
    explanation: str


@dataclass
class FitResult:
    score: int  # 0..100, the sum of the parts' points
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


_FILLER = frozenset({"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with"})


@functools.lru_cache(maxsize=4096)
def niche_words(niche: str | None) -> frozenset[str]:
    """The words of a niche, lower case, a plural "s" dropped, filler words ("and", "of") left out."""
    found = re.findall(r"[^\W_]+", (niche or "").lower())
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                     for w in found if w not in _FILLER)


def niche_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of words two niches have in common (Dice: 2 x shared / (words of a + words of b))."""
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


# ---- the five values: one function, used for one pair and for ranking hundreds of candidates ----

def _category(c_cat: str, c_words: frozenset[str], i_cat: str, i_words: frozenset[str]) -> float:
    """Categories normalised with _norm, niches as niche_words: the same category earns
    CATEGORY_ONLY, and the shared niche words the rest up to CATEGORY_AND_NICHE."""
    if not c_cat or c_cat != i_cat:
        return 0.0
    return CATEGORY_ONLY + (CATEGORY_AND_NICHE - CATEGORY_ONLY) * niche_similarity(c_words, i_words)


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


_WEIGHT_LIST = tuple(WEIGHTS.values())


def _score(values) -> int:
    """The one rounding: the weighted sum of the (unrounded) values, rounded half up."""
    w1, w2, w3, w4, w5 = _WEIGHT_LIST
    v1, v2, v3, v4, v5 = values
    return int(math.floor(w1 * v1 + w2 * v2 + w3 * v3 + w4 * v4 + w5 * v5 + 0.5 + 1e-9))


def _part_points(values, score: int) -> list[int]:
    """Whole points per part that add up to `score`: each part's points rounded down, the points
    left over going to the parts with the largest fractions (never above a part's weight)."""
    exact = [w * v for w, v in zip(_WEIGHT_LIST, values)]
    points = [math.floor(x + 1e-9) for x in exact]
    by_fraction = sorted(range(len(exact)), key=lambda k: (-(exact[k] - points[k]), k))
    for k in by_fraction[:max(0, score - sum(points))]:
        points[k] += 1
    return points


def _values(campaign: tuple, category: str, niche: str | None, followers: int, er: float,
            price: int | None, median: float | None, rate: float | None) -> tuple:
    """The five values of one influencer for a campaign prepared by _prepared."""
    c_cat, c_words, budget = campaign
    return (_category(c_cat, c_words, _norm(category), niche_words(_norm(niche))),
            _audience(_followers_per_dollar(followers, budget)), _engagement(er, median), _completion(rate),
            _price(price, budget))


def _prepared(c: FitCampaign) -> tuple:
    return _norm(c.category), niche_words(_norm(c.niche)), c.budget_cents


def _raw_values(c: FitCampaign, i: FitInfluencer, median: float | None, rate: float | None) -> tuple:
    return _values(_prepared(c), i.category, i.niche, i.total_followers, i.engagement_rate,
                   i.asking_price_cents, median, rate)


# ---- the explanations ---------------------------------------------------------------------------

def _explain(c: FitCampaign, i: FitInfluencer, median: float | None, rate: float | None) -> list[str]:
    lo, hi = IDEAL_FOLLOWERS_PER_DOLLAR
    c_words, i_words = niche_words(_norm(c.niche)), niche_words(_norm(i.niche))
    shared = sorted(c_words & i_words)
    if _norm(c.category) != _norm(i.category):
        cat = f"Different category: the campaign is {c.category}, the creator {i.category}."
    elif c_words and c_words == i_words:
        cat = f"Same category ({c.category}) and same niche ({c.niche})."
    elif shared:
        cat = (f"Same category ({c.category}); niche {i.niche} vs {c.niche}: "
               f"{niche_similarity(c_words, i_words):.0%} alike ({', '.join(shared)}).")
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
    """The score and its explained parts, in the order of WEIGHTS; the parts' points add up to the score."""
    values = _raw_values(campaign, influencer, category_median_er, completion_rate)
    why = _explain(campaign, influencer, category_median_er, completion_rate)
    score = _score(values)
    parts = [FitPart(key, LABELS[key], w, round(v, 4), points, text)
             for (key, w), v, points, text in zip(WEIGHTS.items(), values, _part_points(values, score), why)]
    return FitResult(score, parts)


def fit_points(campaign: FitCampaign, influencer: FitInfluencer, *, category_median_er: float | None,
               completion_rate: float | None) -> int:
    """fit_score(...).score without the explanations."""
    return _score(_raw_values(campaign, influencer, category_median_er, completion_rate))


def rank_points(campaign: FitCampaign, rows, medians: dict[str, float | None]) -> dict[int, int]:
    """{user id: fit_points} for rows of (user_id, category, niche, total_followers, engagement rate,
    asking price, accepted-or-later count, completed count): the same _values and _score as fit_score."""
    prepared = _prepared(campaign)
    return {uid: _score(_values(prepared, cat, niche, followers, er, price, medians.get(cat),
                                completed / accepted if accepted else None))
            for uid, cat, niche, followers, er, price, accepted, completed in rows}


# ---- inputs from the database ---------------------------------------------------------------

_IP, _U, _AR = InfluencerProfile.__table__, User.__table__, AdRequest.__table__
_ip_off, _u_off = _IP.alias("ip_inactive"), _U.alias("u_inactive")
# "The profile's user is active and verified", written as "not one of the (few) non-active or unverified
# profiles": a sorted scan over an influencerprofile index then never visits the user table row by row.
ACTIVE_PROFILE = _IP.c.id.not_in(sa.select(_ip_off.c.id).join(_u_off, _u_off.c.id == _ip_off.c.user_id).where(
    _u_off.c.status.in_(INACTIVE_STATUSES) | (_u_off.c.email_verified == sa.false())))

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
