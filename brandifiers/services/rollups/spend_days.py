"""Committed spend by the UTC day its request was accepted: the one place that sums it, from a Session.
The platform's series is stored by the rollup run whenever spend changed. Design: docs/rollups.md."""

from __future__ import annotations

import json

from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.models import AdRequest, AnalyticsSnapshot
from brandifiers.services.common import zones
from brandifiers.services.common.snapshots import iso_day, put_snapshot, utc_day
from brandifiers.services.metrics.metric_defs import COMMITTED

PLATFORM_KEY = "platform-spend-days"


def per_day(session: Session, where=None, zone=None) -> dict[str, int]:
    """{"YYYY-MM-DD": committed payments accepted that day (UTC, or local days in `zone`, summed here
    from the rows: one campaign's or influencer's requests)} of the requests matching `where`
    (None: the whole platform), summed in the database. `status || ''` keeps SQLite's planner off
    the status index, from which it would read every committed row; the platform's sum then reads
    the covering index (accepted_at, status, payment_cents) alone."""
    if zones.zone_of(zone).key != zones.DEFAULT_ZONE:
        return _per_local_day(session, where, zone)
    day = utc_day(session, AdRequest.accepted_at)
    stmt = (select(day, func.sum(AdRequest.payment_cents))
            .where(AdRequest.accepted_at.is_not(None), (AdRequest.status + "").in_(COMMITTED)).group_by(day))
    if where is not None:
        stmt = stmt.where(where)
    return {iso_day(d): int(cents) for d, cents in session.exec(stmt).all()}


def _per_local_day(session: Session, where, zone) -> dict[str, int]:
    stmt = select(AdRequest.accepted_at, AdRequest.payment_cents).where(
        AdRequest.accepted_at.is_not(None), (AdRequest.status + "").in_(COMMITTED))
    out: dict[str, int] = {}
    for at, cents in session.exec(stmt.where(where) if where is not None else stmt):
        day = zones.local_day(at, zone).isoformat()
        out[day] = out.get(day, 0) + int(cents)
    return out


def refresh_platform(session: Session) -> None:
    """Store the platform's series now (the rollup run, in its transaction)."""
    put_snapshot(session, PLATFORM_KEY, per_day(session), utcnow())


def is_stored(session: Session) -> bool:
    return session.get(AnalyticsSnapshot, PLATFORM_KEY) is not None


def platform(session: Session) -> dict[str, int]:
    """The platform's stored series (summed now while no rollup run has stored one)."""
    row = session.get(AnalyticsSnapshot, PLATFORM_KEY)
    return json.loads(row.data) if row is not None else per_day(session)
