"""Training rows (one per accepted deal, features as of its acceptance day, and its outcome) and scoring
rows (one per candidate, features as of today) read from the database into float32 numpy frames.
Design and the leakage rule: docs/recommendations.md, "Features"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session

from brandifiers.models import CATEGORIES, COMMITTED_STATUSES, AdRequest, Campaign, InfluencerProfile, SocialAccount
from brandifiers.models.adrequests import Deliverable
from brandifiers.models.enums import AdRequestStatus, Platform
from brandifiers.models.metrics import MetricSnapshot

PLATFORMS = tuple(p.value for p in Platform)
CAT_INDEX = {c: k for k, c in enumerate(CATEGORIES)}
EPOCH = date(1970, 1, 1)
WEEK = 7  # snapshot figures are summed per deal and week; a week counts only once it has ended
KEY_SPAN = 1 << 22  # days; composite key = group * KEY_SPAN + day
CHUNK = 100_000

FEATURES = ("category", "same_category", "same_niche", "log_budget", "log_price", "price_share", "duration_days",
            "has_targets", "log_followers", "reported_er", "platforms",
            *(f"er_{p}" for p in PLATFORMS),
            "past_accepted", "past_completed", "past_completion_rate", "past_er", "log_past_views",
            "past_completed_cat", "past_er_cat", "past_cpe_cat")
F = {name: k for k, name in enumerate(FEATURES)}
CATEGORICAL = ("category",)
HISTORY = ("past_accepted", "past_completed", "past_completion_rate", "past_er", "log_past_views",
           "past_completed_cat", "past_er_cat", "past_cpe_cat")


@dataclass
class Frame:
    """Rows of FEATURES (float32, NaN = unknown) with their keys and, for training rows, the outcomes."""

    X: np.ndarray
    influencer: np.ndarray  # user ids
    day: np.ndarray  # acceptance day (days since 1970-01-01); scoring rows: today
    outcome: dict[str, np.ndarray] = field(default_factory=dict)


def day_number(value) -> int:
    value = value.date() if isinstance(value, datetime) else value
    return (value - EPOCH).days


def _day_sql(col, dialect: str):
    """Days since 1970-01-01 of a date/datetime column, as an integer, in SQL."""
    if dialect == "sqlite":
        return sa.cast(sa.func.julianday(sa.func.date(col)) - 2440587.5, sa.Integer)
    return sa.cast(sa.extract("epoch", sa.func.date_trunc("day", col)) / 86400, sa.Integer)


def _fetch(session: Session, stmt, ncols: int, dtype=np.float64) -> np.ndarray:
    """All rows of stmt as one 2-D array, read in chunks (no list of every row at once)."""
    result, parts = session.execute(stmt), []
    while rows := result.fetchmany(CHUNK):
        parts.append(np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=dtype))
    return np.concatenate(parts) if parts else np.empty((0, ncols), dtype=dtype)


# ---- the platform's history -------------------------------------------------------------------

@dataclass
class History:
    """Deals (accepted or later) and their weekly engagement figures, as plain arrays."""

    deal: dict[str, np.ndarray]
    week: dict[str, np.ndarray]  # per (deal, week): deal row index, end day, engagements, views, revenue


def load_history(session: Session, *, until: date | None = None) -> History:
    """Every committed deal accepted before `until` (all when None) with its campaign, and its posts'
    figures summed per week."""
    dialect = session.get_bind().dialect.name
    ar, c = AdRequest.__table__, Campaign.__table__
    committed = [s.value for s in COMMITTED_STATUSES]
    acc_day, done_day = _day_sql(ar.c.accepted_at, dialect), _day_sql(ar.c.completed_at, dialect)
    stmt = (sa.select(ar.c.id, ar.c.influencer_id, ar.c.campaign_id, acc_day, done_day,
                      _day_sql(ar.c.due_date, dialect), ar.c.payment_cents, c.c.budget_cents,
                      _day_sql(c.c.start_date, dialect), _day_sql(c.c.end_date, dialect),
                      (c.c.target_views.is_not(None) | c.c.target_engagements.is_not(None)).cast(sa.Integer))
            .join(c, c.c.id == ar.c.campaign_id)
            .where(ar.c.status.in_(committed), ar.c.accepted_at.is_not(None)).order_by(ar.c.id))
    if until is not None:
        stmt = stmt.where(ar.c.accepted_at < datetime.combine(until, datetime.min.time()))
    a = _fetch(session, stmt, 11)
    names = ("id", "influencer", "campaign", "accepted", "completed", "due", "payment", "budget", "start", "end",
             "targets")
    deal = {n: a[:, k] for k, n in enumerate(names)}
    cats = session.execute(sa.select(c.c.id, c.c.category, c.c.niche)
                           .where(c.c.id.in_(sa.select(ar.c.campaign_id).where(ar.c.status.in_(committed))))).all()
    cat_of = {int(i): (CAT_INDEX.get(cat, -1), (niche or "").strip().lower()) for i, cat, niche in cats}
    deal["category"] = np.array([cat_of.get(int(x), (-1, ""))[0] for x in deal["campaign"]], dtype=np.int64)
    deal["niche"] = np.array([cat_of.get(int(x), (-1, ""))[1] for x in deal["campaign"]], dtype=object)
    ms, dv = MetricSnapshot.__table__, Deliverable.__table__
    wk = _day_sql(ms.c.day, dialect) // WEEK
    wstmt = (sa.select(dv.c.ad_request_id, wk, sa.func.sum(ms.c.likes + ms.c.comments + ms.c.shares + ms.c.saves),
                       sa.func.sum(ms.c.views), sa.func.sum(ms.c.revenue_cents))
             .join(dv, dv.c.id == ms.c.deliverable_id).group_by(dv.c.ad_request_id, wk))
    w = _fetch(session, wstmt, 5)
    pos = np.searchsorted(deal["id"], w[:, 0])
    ok = (pos < len(deal["id"])) & (deal["id"][np.minimum(pos, len(deal["id"]) - 1)] == w[:, 0])
    w, pos = w[ok], pos[ok]
    week = dict(deal=pos, end=w[:, 1] * WEEK + WEEK, eng=w[:, 2], views=w[:, 3], revenue=w[:, 4])
    return History(deal, week)


def as_of_sums(ev_key, ev_time, ev_values: np.ndarray, q_key, q_time) -> np.ndarray:
    """For each query (key, time): the sums of the values of the events with the same key and a time
    strictly before the query's. Vectorised: sorted composite keys and cumulative sums."""
    ev = np.asarray(ev_key, np.int64) * KEY_SPAN + np.asarray(ev_time, np.int64)
    order = np.argsort(ev, kind="stable")
    ev = ev[order]
    cum = np.vstack([np.zeros((1, ev_values.shape[1])), np.cumsum(ev_values[order], axis=0)])
    q_key = np.asarray(q_key, np.int64)
    hi = np.searchsorted(ev, q_key * KEY_SPAN + np.asarray(q_time, np.int64), side="left")
    lo = np.searchsorted(ev, q_key * KEY_SPAN, side="left")
    return cum[hi] - cum[lo]


def history_features(h: History, influencer, day, category) -> dict[str, np.ndarray]:
    """The HISTORY features of (influencer, category) pairs as of each day: only deals accepted or
    completed before that day, and only weeks of figures that ended before it."""
    d, w = h.deal, h.week
    ones = np.ones((len(d["id"]), 1))
    acc = as_of_sums(d["influencer"], np.nan_to_num(d["accepted"]), ones, influencer, day)[:, 0]
    done = ~np.isnan(d["completed"])
    comp = as_of_sums(d["influencer"][done], d["completed"][done], ones[done], influencer, day)[:, 0]
    # a completed deal's figures count from its completion on (and each week once it has ended)
    wd = w["deal"]
    wdone = done[wd]
    t = np.maximum(w["end"][wdone], d["completed"][wd[wdone]])
    vals = np.column_stack([w["eng"][wdone], w["views"][wdone]])
    overall = as_of_sums(d["influencer"][wd[wdone]], t, vals, influencer, day)
    cat_key = d["influencer"] * 64 + d["category"]
    q_cat_key = np.asarray(influencer, np.int64) * 64 + np.asarray(category, np.int64)
    in_cat = as_of_sums(cat_key[wd[wdone]], t, vals, q_cat_key, day)
    paid = as_of_sums(cat_key[done], d["completed"][done], np.column_stack([ones[done], d["payment"][done]]),
                      q_cat_key, day)
    with np.errstate(divide="ignore", invalid="ignore"):
        return dict(past_accepted=acc, past_completed=comp,
                    past_completion_rate=np.where(acc > 0, comp / np.maximum(acc, 1), np.nan),
                    past_er=np.where(overall[:, 1] > 0, overall[:, 0] / overall[:, 1], np.nan),
                    log_past_views=np.log1p(overall[:, 1]),
                    past_completed_cat=paid[:, 0],
                    past_er_cat=np.where(in_cat[:, 1] > 0, in_cat[:, 0] / in_cat[:, 1], np.nan),
                    past_cpe_cat=np.where(in_cat[:, 0] > 0, paid[:, 1] / 100 / np.maximum(in_cat[:, 0], 1), np.nan))


OVERALL = ("past_accepted", "past_completed", "past_completion_rate", "past_er", "log_past_views")
PER_CATEGORY = ("past_completed_cat", "past_er_cat", "past_cpe_cat")
EMPTY = dict(past_accepted=0.0, past_completed=0.0, past_completion_rate=np.nan, past_er=np.nan,
             log_past_views=0.0, past_completed_cat=0.0, past_er_cat=np.nan, past_cpe_cat=np.nan)


def history_snapshot(h: History, day: int) -> dict[str, np.ndarray]:
    """The HISTORY features as of `day` of every influencer (and influencer x category pair) with a
    deal: what scoring looks up, stored with the model (sorted keys, one row each)."""
    users = np.unique(h.deal["influencer"]).astype(np.int64)
    pairs = np.unique(h.deal["influencer"].astype(np.int64) * 64 + h.deal["category"])
    a = history_features(h, users, np.full(len(users), day), np.zeros(len(users), np.int64))
    b = history_features(h, pairs // 64, np.full(len(pairs), day), pairs % 64)
    return dict(users=users, overall=np.column_stack([a[k] for k in OVERALL]).astype(np.float32),
                pairs=pairs, per_category=np.column_stack([b[k] for k in PER_CATEGORY]).astype(np.float32))


def lookup_history(snap: dict[str, np.ndarray], ids: np.ndarray, category: int) -> dict[str, np.ndarray]:
    """HISTORY features of these influencers for a campaign category from a history_snapshot."""
    out = {k: np.full(len(ids), v, dtype=np.float32) for k, v in EMPTY.items()}
    i = _index(snap["users"], ids)
    j = _index(snap["pairs"], np.asarray(ids, np.int64) * 64 + category)
    for keys, found, matrix, names in ((snap["users"], i, snap["overall"], OVERALL),
                                       (snap["pairs"], j, snap["per_category"], PER_CATEGORY)):
        if len(keys) and (found >= 0).any():
            for col, name in enumerate(names):
                out[name] = np.where(found >= 0, matrix[np.maximum(found, 0), col], out[name])
    return out


# ---- influencers' profiles ----------------------------------------------------------------------

def load_profiles(session: Session, influencer_ids=None) -> dict[str, np.ndarray]:
    """Profile figures by influencer user id, sorted (today's: profiles keep no history,
    docs/recommendations.md). One query, profiles joined with their platforms, read in chunks."""
    ip, sa_ = InfluencerProfile.__table__, SocialAccount.__table__
    plat = sa.case({p: k for k, p in enumerate(PLATFORMS)}, value=sa_.c.platform, else_=-1)
    stmt = (sa.select(ip.c.user_id, ip.c.total_followers, ip.c.avg_engagement_rate,
                      sa.func.coalesce(ip.c.asking_price_cents, -1), sa.func.coalesce(plat, -1),
                      sa.func.coalesce(sa_.c.avg_engagement_rate, 0.0), ip.c.category, ip.c.niche)
            .select_from(ip).outerjoin(sa_, sa_.c.influencer_id == ip.c.id).order_by(ip.c.user_id))
    if influencer_ids is not None:
        stmt = stmt.where(ip.c.user_id.in_([int(i) for i in influencer_ids]))
    result, nums, cats, niches = session.execute(stmt), [], [], []
    while rows := result.fetchmany(CHUNK):
        nums.append(np.array([r[:6] for r in rows], dtype=np.float64))
        cats += [r[6] for r in rows]
        niches += [r[7] for r in rows]
    a = np.concatenate(nums) if nums else np.empty((0, 6))
    users, first, inverse = np.unique(a[:, 0].astype(np.int64), return_index=True, return_inverse=True)
    per = np.full((len(users), len(PLATFORMS)), np.nan)
    on = a[:, 4] >= 0
    per[inverse[on], a[on, 4].astype(np.int64)] = a[on, 5]
    return dict(user=users, followers=a[first, 1], er=a[first, 2], price=np.where(a[first, 3] < 0, np.nan, a[first, 3]),
                category=np.array([CAT_INDEX.get(cats[k], -1) for k in first], dtype=np.int64),
                niche=np.array([(niches[k] or "").strip().lower() for k in first], dtype=object), per_platform=per)


def _index(sorted_keys: np.ndarray, keys) -> np.ndarray:
    """Positions of keys in sorted_keys, -1 where absent."""
    keys = np.asarray(keys, dtype=np.int64)
    if not len(sorted_keys):
        return np.full(len(keys), -1)
    pos = np.searchsorted(sorted_keys, keys)
    safe = np.minimum(pos, len(sorted_keys) - 1)
    return np.where((pos < len(sorted_keys)) & (sorted_keys[safe] == keys), safe, -1)


def _rows(profiles, idx, *, category, niche, budget, price, duration, targets, hist) -> np.ndarray:
    """FEATURES for profile rows idx (-1: unknown influencer) and per-row campaign figures."""
    n = len(idx)
    X = np.full((n, len(FEATURES)), np.nan, dtype=np.float32)
    known = idx >= 0
    k = np.where(known, idx, 0)
    X[:, F["category"]] = category
    X[:, F["same_category"]] = np.where(known, profiles["category"][k] == category, np.nan)
    X[:, F["same_niche"]] = np.where(known & (niche != ""), profiles["niche"][k] == niche, 0)
    X[:, F["log_budget"]] = np.log1p(budget / 100)
    X[:, F["log_price"]] = np.log1p(price / 100)
    X[:, F["price_share"]] = np.where(budget > 0, price / np.maximum(budget, 1), np.nan)
    X[:, F["duration_days"]] = duration
    X[:, F["has_targets"]] = targets
    X[:, F["log_followers"]] = np.where(known, np.log1p(profiles["followers"][k]), np.nan)
    X[:, F["reported_er"]] = np.where(known, profiles["er"][k], np.nan)
    per = np.where(known[:, None], profiles["per_platform"][k], np.nan)
    X[:, F["platforms"]] = np.where(known, (~np.isnan(per)).sum(axis=1), np.nan)
    for j, p in enumerate(PLATFORMS):
        X[:, F[f"er_{p}"]] = per[:, j]
    for name in HISTORY:
        X[:, F[name]] = hist[name]
    return X


def training_frame(session: Session, *, until: date | None = None, history: History | None = None) -> Frame:
    """One row per committed deal accepted before `until`, features as of its acceptance day, with the
    outcomes: er (engagements / views of its posts, NaN without views), cpe, roi (NaN without revenue),
    completed (0/1), on_time (completed by its due day, 0/1) and due (day)."""
    h = history or load_history(session, until=until)
    d, w = h.deal, h.week
    profiles = load_profiles(session)
    idx = _index(profiles["user"], d["influencer"])
    day = d["accepted"].astype(np.int64)
    hist = history_features(h, d["influencer"], day, d["category"])
    X = _rows(profiles, idx, category=d["category"], niche=d["niche"], budget=d["budget"], price=d["payment"],
              duration=d["end"] - d["start"], targets=d["targets"], hist=hist)
    n = len(d["id"])
    sums = np.zeros((n, 3))
    np.add.at(sums, w["deal"], np.column_stack([w["eng"], w["views"], w["revenue"]]))
    done = ~np.isnan(d["completed"])
    with np.errstate(divide="ignore", invalid="ignore"):
        outcome = dict(
            deal=d["id"].astype(np.int64), campaign=d["campaign"].astype(np.int64),
            er=np.where(done & (sums[:, 1] > 0), sums[:, 0] / sums[:, 1], np.nan),
            cpe=np.where(done & (sums[:, 0] > 0), d["payment"] / 100 / sums[:, 0], np.nan),
            roi=np.where(done & (sums[:, 2] > 0) & (d["payment"] > 0), (sums[:, 2] - d["payment"]) / d["payment"],
                         np.nan),
            completed=done.astype(np.float32), due=d["due"],
            on_time=np.where(done, d["completed"] <= np.nan_to_num(d["due"], nan=np.inf), 0).astype(np.float32))
    return Frame(X, d["influencer"].astype(np.int64), day, outcome)


def scoring_frame(session: Session, campaign, influencer_ids: list[int], *, now: datetime,
                  history_lookup) -> Frame:
    """Rows for these influencers on this campaign as of now; `history_lookup(ids, category)` gives
    the HISTORY features (the model's stored snapshot, model_store.HistorySnapshot)."""
    ids = np.asarray(sorted({int(i) for i in influencer_ids}), dtype=np.int64)
    profiles = load_profiles(session, ids.tolist())
    idx = _index(profiles["user"], ids)
    cat, n = CAT_INDEX.get(campaign.category, -1), len(ids)
    price = np.where(idx >= 0, profiles["price"][np.maximum(idx, 0)], np.nan) if len(profiles["user"]) \
        else np.full(n, np.nan)
    start, end = campaign.start_date, campaign.end_date
    X = _rows(profiles, idx, category=np.full(n, cat), niche=np.full(n, (campaign.niche or "").strip().lower(),
                                                                     dtype=object),
              budget=np.full(n, float(campaign.budget_cents)), price=price,
              duration=np.full(n, float((end - start).days)),
              targets=np.full(n, float(campaign.target_views is not None or campaign.target_engagements is not None)),
              hist=history_lookup(ids, cat))
    return Frame(X, ids, np.full(n, day_number(now), dtype=np.int64))


def completed_outcomes(session: Session) -> int:
    """How many deals have been completed (the nightly job retrains after enough new ones)."""
    return int(session.execute(sa.select(sa.func.count()).select_from(AdRequest.__table__)
                               .where(AdRequest.status == AdRequestStatus.COMPLETED.value)).scalar_one())
