"""Anomaly flags on the metric figures (pandas): four rules (RULES) that point at figures worth a look, for one
campaign (its sponsor or an admin) or the whole platform (admin, a stored list); role checks raise
PermissionDenied or NotFound. Design: docs/metrics.md."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from brandifiers.clock import utcnow
from brandifiers.models import AnalyticsSnapshot, Campaign, MetricSnapshot, Role
from brandifiers.services.common import cache
from brandifiers.services.common.rbac import require_owner, require_role
from brandifiers.services.common.snapshots import put_snapshot
from brandifiers.services.metrics.metric_defs import ENGAGEMENT_PARTS, FIGURES
from brandifiers.services.metrics.metrics import STATS_CACHE_PREFIX
from brandifiers.services.rollups import rollup_read, rollups
from brandifiers.services.rollups.rollup_frames import choose_provenance, complete_groups, day_text
from brandifiers.services.rollups.rollup_sql import read_chunks, read_stmt

ER_FACTOR, JUMP_FACTOR, JUMP_WINDOW, JUMP_MIN_DAYS = 5, 10, 7, 3
# Each rule as a person reads it (shown with every flag and in docs/metrics.md), in list order.
RULES = {
    "er_category": f"An ad request's engagement rate (by views, all time) is above {ER_FACTOR}x the median of its "
                   "campaign category.",
    "views_jump": f"A post's views on one day are above {JUMP_FACTOR}x the median of its previous {JUMP_WINDOW} "
                  f"days with figures (at least {JUMP_MIN_DAYS} needed).",
    "engagements_over_views": "A day's engagements (likes + comments + shares + saves) exceed its views.",
    "before_submission": "A day's figures are dated before the post was submitted.",
}
LIMIT = 500
_RAW = ("SELECT d.ad_request_id, s.deliverable_id, s.day, s.provenance, d.submitted_at, "
        + ", ".join(f"s.{f}" for f in FIGURES)
        + " FROM metricsnapshot s JOIN deliverable d ON d.id = s.deliverable_id "
          "JOIN adrequest r ON r.id = d.ad_request_id")
_ER = ("SELECT r.id AS ad_request_id, c.category, t.engagements, t.views FROM adrequest r "
       "JOIN campaign c ON c.id = r.campaign_id "
       f"JOIN {rollup_read.totals_sql('adrequest')} t ON t.\"key\" = CAST(r.id AS VARCHAR(60))")


def _flag(rule: str, reason: str, ad_request_id, deliverable_id=None, day=None, provenance=None) -> dict:
    return {"rule": rule, "reason": reason, "ad_request_id": int(ad_request_id),
            "deliverable_id": None if deliverable_id is None else int(deliverable_id),
            "day": day, "provenance": provenance}


def category_medians(requests: pd.DataFrame) -> dict[str, float]:
    """{category: median engagement rate by views} over requests with views (all-time totals)."""
    with_views = requests[requests["views"] > 0]
    rates = with_views["engagements"] / with_views["views"]
    return {str(k): float(v) for k, v in rates.groupby(with_views["category"]).median().items()}


def er_category(requests: pd.DataFrame, medians: dict[str, float] | None = None) -> list[dict]:
    """requests: ad_request_id, category, engagements, views (all-time totals). medians: the
    categories' medians (category_medians of every request); default: those of `requests`."""
    with_views = requests[requests["views"] > 0].assign(
        er=lambda f: f["engagements"] / f["views"])
    if with_views.empty:
        return []
    medians = category_medians(requests) if medians is None else medians
    with_views = with_views.assign(median=with_views["category"].map(medians).astype("float64"))
    hits = with_views[(with_views["median"] > 0) & (with_views["er"] > ER_FACTOR * with_views["median"])]
    return [_flag("er_category", f"Engagement rate {r.er:.1%} is above {ER_FACTOR}x the {r.category} median "
                  f"({r.median:.1%}).", r.ad_request_id) for r in hits.itertuples()]


def trailing_median(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per row (rows sorted by group, then day): the median of the group's previous JUMP_WINDOW
    values, NaN with fewer than JUMP_MIN_DAYS of them. Vectorised as a (rows x window) matrix of
    shifted values: a rolling median per group in pandas was slower on a campaign's rows."""
    n = len(values)
    previous = np.full((n, JUMP_WINDOW), np.nan)
    for k in range(1, JUMP_WINDOW + 1):
        if k < n:
            same = group[k:] == group[:-k]  # sorted by group: the rows between are of it too
            previous[k:, k - 1] = np.where(same, values[:-k], np.nan)
    enough = (~np.isnan(previous)).sum(axis=1) >= JUMP_MIN_DAYS
    out = np.full(n, np.nan)
    if enough.any():
        out[enough] = np.nanmedian(previous[enough], axis=1)
    return out


def views_jumps(daily: pd.DataFrame) -> list[dict]:
    """daily: ad_request_id, deliverable_id, day ('YYYY-MM-DD'), views; one row per deliverable and day."""
    if daily.empty:
        return []
    ordered = daily.sort_values(["deliverable_id", "day"], ignore_index=True)
    ordered = ordered.assign(trailing=trailing_median(ordered["deliverable_id"].to_numpy(),
                                                      ordered["views"].to_numpy(dtype="float64")))
    hits = ordered[(ordered["trailing"] > 0) & (ordered["views"] > JUMP_FACTOR * ordered["trailing"])]
    return [_flag("views_jump", f"{r.views:,} views on {r.day}, above {JUMP_FACTOR}x the median of the previous "
                  f"{JUMP_WINDOW} days ({r.trailing:,.0f}).", r.ad_request_id, r.deliverable_id, r.day)
            for r in hits.itertuples()]


def engagements_over_views(raw: pd.DataFrame) -> list[dict]:
    """Stored rows (any provenance) whose engagements exceed their views (500 likes on 100 views)."""
    engagements = raw[list(ENGAGEMENT_PARTS)].sum(axis=1)
    hits = raw.assign(engagements=engagements)[engagements > raw["views"]]
    return [_flag("engagements_over_views", f"{r.engagements:,} engagements ({r.likes:,} likes) but only "
                  f"{r.views:,} views on {r.day} ({r.provenance}).", r.ad_request_id, r.deliverable_id, r.day,
                  r.provenance) for r in hits.itertuples()]


def before_submission(raw: pd.DataFrame) -> list[dict]:
    """raw: with submitted_day ('YYYY-MM-DD')."""
    hits = raw[raw["day"] < raw["submitted_day"]]
    return [_flag("before_submission", f"Figures for {r.day}, before the post was submitted on {r.submitted_day} "
                  f"({r.provenance}).", r.ad_request_id, r.deliverable_id, r.day, r.provenance)
            for r in hits.itertuples()]


def row_rules(raw: pd.DataFrame, *, from_day: str | None = None) -> list[dict]:
    """The three row rules on raw snapshots (all provenances); flags only for days >= from_day."""
    raw = raw.assign(day=day_text(raw["day"]), submitted_day=day_text(raw["submitted_at"]))
    chosen = choose_provenance(raw)
    flags = views_jumps(chosen[["ad_request_id", "deliverable_id", "day", "views"]])
    recent = raw if from_day is None else raw[raw["day"] >= from_day]
    flags = [f for f in flags if from_day is None or f["day"] >= from_day]
    return flags + engagements_over_views(recent) + before_submission(recent)


def _sorted(flags: list[dict], limit: int) -> list[dict]:
    order = {rule: i for i, rule in enumerate(RULES)} | {"likes_over_views": 2}  # a list stored before the rename
    flags.sort(key=lambda f: (order[f["rule"]], f["ad_request_id"], f["deliverable_id"] or 0, f["day"] or ""))
    return flags[:limit]


def campaign_anomalies(session: Session, actor_id: int | None, campaign_id: int, *, limit: int = LIMIT) -> list[dict]:
    """Flags for one campaign (its sponsor or an admin). The category median covers the whole
    category: taken from the stored platform list when there is one (computed with it, at most
    about an hour old; reading every request of the category is slow at L), else computed."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    campaign = require_owner(session.get(Campaign, campaign_id), "sponsor_id", actor, "campaign")

    def compute():
        conn = session.connection()
        stored = _stored(session)
        ids = [int(i) for (i,) in conn.execute(sa.text("SELECT id FROM adrequest WHERE campaign_id = :c"),
                                                  {"c": campaign_id})]
        if stored is not None and "medians" in stored:
            totals = rollup_read.totals(session, "adrequest", [str(i) for i in ids])
            mine = pd.DataFrame([(i, campaign.category, totals.get(str(i), {}).get("engagements", 0),
                                  totals.get(str(i), {}).get("views", 0)) for i in ids],
                                columns=["ad_request_id", "category", "engagements", "views"])
            flags = er_category(mine, stored["medians"])
        else:
            requests = pd.read_sql(sa.text(_ER + " WHERE c.category = :cat"), conn, params={"cat": campaign.category})
            mine = set(ids)
            flags = [f for f in er_category(requests) if f["ad_request_id"] in mine]
        raw = read_stmt(conn, sa.text(_RAW + " WHERE r.campaign_id = :c").bindparams(c=campaign_id))
        return _sorted(flags + row_rules(raw), limit)

    return cache.get_or_compute(f"{STATS_CACHE_PREFIX}anomalies:campaign:{campaign_id}:{limit}", compute)


def platform_anomalies(session: Session, actor_id: int | None, *, days: int = 14, now: datetime | None = None,
                       limit: int = LIMIT, chunksize: int = 200_000) -> list[dict]:
    """Admin: flags over the whole platform, computed now; row rules for the last `days` days only.
    It reads two weeks of raw rows: the admin page reads the stored list instead
    (stored_platform_anomalies), which the scheduler refreshes."""
    require_role(session, actor_id, Role.ADMIN)
    return _platform_flags(session, days=days, now=now, limit=limit, chunksize=chunksize)


def _platform_flags(session: Session, *, days: int = 14, now: datetime | None = None, limit: int = LIMIT,
                    chunksize: int = 200_000, medians: dict | None = None) -> list[dict]:
    """The platform's flags; `medians`, if given, receives the categories' median rates."""
    today = (now or utcnow()).date()
    from_day = (today - timedelta(days=days)).isoformat()
    history = today - timedelta(days=days + JUMP_WINDOW)
    conn = session.connection()
    requests = pd.read_sql(sa.text(_ER), conn)
    found = category_medians(requests)
    if medians is not None:
        medians.update(found)
    flags = er_category(requests, found)
    # read on the driver's cursor (SQLAlchemy's per-row work was a large part of the time); the
    # bound is a date this code made, written as an ISO literal
    chunks = read_chunks(conn, _RAW + f" WHERE s.day >= '{history.isoformat()}' ORDER BY s.deliverable_id", chunksize)
    for frame in complete_groups(chunks, "deliverable_id"):
        flags.extend(row_rules(frame, from_day=from_day))
    return _sorted(flags, limit)


# The stored platform list: one AnalyticsSnapshot row (JSON), written by the scheduler's
# "anomalies" job (jobs/scheduler.platform_flags) and by the admin's Refresh now when it is cheap.
PLATFORM_KEY = "platform-anomalies"
PLATFORM_DAYS = 14
SYNC_LIMIT = 1.0  # seconds: a computation that took less is redone inline by Refresh now


def refresh_platform_anomalies(session: Session, *, now: datetime | None = None) -> dict:
    """Compute the platform's flags and store them (no actor: the scheduler's job; the admin's
    entry points check the role). Does not commit."""
    now = now or utcnow()
    started = time.perf_counter()
    medians: dict[str, float] = {}
    flags = _platform_flags(session, days=PLATFORM_DAYS, now=now, medians=medians)
    seconds = time.perf_counter() - started
    put_snapshot(session, PLATFORM_KEY, {"flags": flags, "days": PLATFORM_DAYS, "medians": medians}, now,
                 seconds=seconds)
    return {"flags": len(flags), "seconds": round(seconds, 2)}


def platform_flags_due(session: Session, now: datetime, minutes: int) -> bool:
    """True when no list is stored, or it is older than `minutes` and the rollups moved since (new
    figures came in after it was computed)."""
    row = session.get(AnalyticsSnapshot, PLATFORM_KEY)
    if row is None:
        return True
    if (now - row.computed_at).total_seconds() < minutes * 60:
        return False
    refreshed = rollups.last_refreshed(session)
    return refreshed is not None and refreshed > row.computed_at


def stored_platform_anomalies(session: Session, actor_id: int | None) -> dict:
    """Admin: the stored platform list {"flags", "computed_at", "days", "medians"}; computed now the
    first time. The row rules of the rows written since it was computed are added at once (by the
    updated_at index: few rows), so a day saved with 500 likes on 100 views is flagged on the next
    load, not after the job's next run."""
    require_role(session, actor_id, Role.ADMIN)
    if session.get(AnalyticsSnapshot, PLATFORM_KEY) is None:
        refresh_platform_anomalies(session)
    stored = _stored(session)
    since = sa.bindparam("since", stored["computed_at"], type_=MetricSnapshot.__table__.c.updated_at.type)
    raw = read_stmt(session.connection(), sa.text(_RAW + " WHERE s.updated_at > :since").bindparams(since))
    if not raw.empty:
        raw = raw.assign(day=day_text(raw["day"]), submitted_day=day_text(raw["submitted_at"]))
        seen = {(f["rule"], f["deliverable_id"], f["day"], f["provenance"]) for f in stored["flags"]}
        fresh = [f for f in engagements_over_views(raw) + before_submission(raw)
                 if (f["rule"], f["deliverable_id"], f["day"], f["provenance"]) not in seen]
        stored["flags"] = _sorted(stored["flags"] + fresh, LIMIT)
    return stored


def _stored(session: Session) -> dict | None:
    row = session.get(AnalyticsSnapshot, PLATFORM_KEY)
    return None if row is None else {**json.loads(row.data), "computed_at": row.computed_at}


def refresh_if_cheap(session: Session, *, now: datetime | None = None) -> dict | None:
    """Refresh now (admin): redo the stored list inline when its last computation was quick (a small
    platform); a big one keeps the list until the scheduler's job. None when not redone."""
    row = session.get(AnalyticsSnapshot, PLATFORM_KEY)
    if row is not None and row.seconds >= SYNC_LIMIT:
        return None
    return refresh_platform_anomalies(session, now=now)

