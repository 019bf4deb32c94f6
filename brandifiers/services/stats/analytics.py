"""Platform analytics for the admin home (admins only, else PermissionDenied): aggregate queries, kept
as a snapshot shared by all workers with an expiry, recomputed in the background when slow.
Design: docs/analytics.md."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.config import get_settings
from brandifiers.models import (
    COMMITTED,
    AdRequest,
    AdRequestStatus,
    AnalyticsSnapshot,
    AuditEvent,
    Campaign,
    Payment,
    Role,
    User,
    UserStatus,
    Visibility,
    awaiting_approval,
    counts_as_paid,
)
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.snapshots import iso_day, put_snapshot, utc_day

KEY = "admin.platform"
SYNC_LIMIT = 0.05  # seconds: a slower computation runs in the background (the page load budget)
WEEKS = 12
MONTHS = 12
TOP_CATEGORIES = 8
_R = AdRequestStatus
FUNNEL = [  # stage, statuses that passed through it
    ("Sent", [s.value for s in _R]),
    ("Agreed", COMMITTED),
    ("Delivered", [_R.SUBMITTED.value, _R.COMPLETED.value]),
    ("Completed", [_R.COMPLETED.value]),
]
DEFINITIONS = {
    "active_users": "Accounts with status active, by role.",
    "pending_sponsors": "Sponsor sign-ups waiting for an administrator's approval (the approval queue: "
                        "addresses not yet verified are not counted).",
    "held_campaigns": "Public campaigns held for approval (the platform setting), not flagged.",
    "flags": "Users with status flagged, and campaigns and ad requests with a flag set.",
    "campaigns": "Campaigns by visibility and current status.",
    "funnel": "Ad requests that reached each stage: sent (all), agreed (accepted or later), delivered "
              "(submitted or completed), completed. Rejected and withdrawn requests stop at 'sent'.",
    "requests": "Ad requests by current status.",
    "signups": "New accounts per week (weeks start on Monday, UTC), last 12 weeks.",
    "money": "Agreed: payment of requests accepted or later, by the month of acceptance. "
             "Paid: payments recorded, by the month paid. Last 12 months.",
    "categories": "Spend (agreed payment of requests accepted or later) by campaign category.",
}

_memory: dict[str, dict] = {}  # db url -> parsed snapshot (this process)
_refreshing: set[str] = set()
_lock = threading.Lock()


# ---- the aggregate queries ----------------------------------------------------------------------



def _month_starts(today: date, months: int) -> list[str]:
    y, m = today.year, today.month
    out = []
    for _ in range(months):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def compute(session: Session, *, now: datetime | None = None) -> dict:
    """Run every aggregate query (no role check: callers check; the bench calls it directly)."""
    now = now or utcnow()
    t0 = time.perf_counter()
    by_role_status = session.exec(select(User.role, User.status, func.count()).group_by(User.role, User.status)).all()
    active = {r.value: 0 for r in Role}
    by_status: dict[str, int] = defaultdict(int)
    for role, status, n in by_role_status:
        by_status[status] += n
        if status == UserStatus.ACTIVE.value:
            active[role] = active.get(role, 0) + n
    pending = session.exec(select(func.count()).select_from(User).where(awaiting_approval())).one()  # the queue's
    campaigns = [{"visibility": v, "status": s, "count": n} for v, s, n in session.exec(
        select(Campaign.visibility, Campaign.status, func.count()).group_by(Campaign.visibility, Campaign.status)
        .order_by(Campaign.visibility, Campaign.status))]
    req_status = dict(session.exec(select(AdRequest.status, func.count()).group_by(AdRequest.status)).all())
    funnel = [{"stage": stage, "count": sum(req_status.get(s, 0) for s in statuses)} for stage, statuses in FUNNEL]
    flags = {
        "users": by_status.get(UserStatus.FLAGGED.value, 0),
        "campaigns": session.exec(select(func.count()).select_from(Campaign).where(Campaign.flagged.is_(True))).one(),
        "requests": session.exec(select(func.count()).select_from(AdRequest).where(AdRequest.flagged.is_(True))).one(),
    }
    held = session.exec(select(func.count()).select_from(Campaign).where(
        Campaign.approved.is_(False), Campaign.flagged.is_(False),
        Campaign.visibility == Visibility.PUBLIC.value)).one()
    data = {
        "users": {"active": active, "by_status": dict(by_status), "pending_sponsors": int(pending)},
        "campaigns": campaigns, "held_campaigns": int(held),
        "requests": {"by_status": {s.value: int(req_status.get(s.value, 0)) for s in _R}, "funnel": funnel},
        "flags": {k: int(v) for k, v in flags.items()},
        "signups": _signups(session, now), "money": _money(session, now), "categories": _categories(session),
    }
    data["computed_at"] = now.isoformat()
    data["seconds"] = round(time.perf_counter() - t0, 4)
    return data


def _signups(session: Session, now: datetime) -> list[dict]:
    today = now.date()
    first = today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    since = datetime.combine(first, datetime.min.time(), tzinfo=now.tzinfo)
    day = utc_day(session, User.created_at)
    rows = session.exec(select(day, User.role, func.count()).where(User.created_at >= since)
                        .group_by(day, User.role)).all()
    weeks = {(first + timedelta(weeks=i)).isoformat(): {"sponsor": 0, "influencer": 0} for i in range(WEEKS)}
    for d, role, n in rows:
        d = date.fromisoformat(iso_day(d))
        week = (d - timedelta(days=d.weekday())).isoformat()
        if week in weeks and role in weeks[week]:
            weeks[week][role] += n
    return [{"week": w, **counts} for w, counts in weeks.items()]


def _money(session: Session, now: datetime) -> list[dict]:
    """One range query per month on covering indexes (no per-row date function, which was much
    slower at L). A request's accepted_at is set when it is accepted and never cleared, and every
    status after accepted is committed, so "accepted in that month" is "agreed in that month"
    (tests/unit/test_analytics.py checks it against the statuses)."""
    months = _month_starts(now.date(), MONTHS)
    bounds = [date.fromisoformat(m + "-01") for m in months]
    bounds.append(date(bounds[-1].year + bounds[-1].month // 12, bounds[-1].month % 12 + 1, 1))
    out = []
    for month, start, end in zip(months, bounds, bounds[1:]):
        lo = datetime.combine(start, datetime.min.time(), tzinfo=now.tzinfo)
        hi = datetime.combine(end, datetime.min.time(), tzinfo=now.tzinfo)
        agreed = session.exec(select(func.coalesce(func.sum(AdRequest.payment_cents), 0)).where(
            AdRequest.accepted_at >= lo, AdRequest.accepted_at < hi)).one()
        paid = session.exec(select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
            Payment.paid_on >= start, Payment.paid_on < end, counts_as_paid())).one()
        out.append({"month": month, "agreed_cents": int(agreed), "paid_cents": int(paid)})
    return out


def _categories(session: Session) -> list[dict]:
    spend = func.sum(AdRequest.payment_cents)
    stmt = (select(Campaign.category, spend).join(Campaign, Campaign.id == AdRequest.campaign_id)
            .where(AdRequest.status.in_(COMMITTED)).group_by(Campaign.category)
            .order_by(spend.desc(), Campaign.category).limit(TOP_CATEGORIES))
    return [{"category": c, "spend_cents": int(s or 0)} for c, s in session.exec(stmt)]


# ---- the snapshot and its cache -----------------------------------------------------------------

def audit_mark(session: Session) -> int:
    """The newest admin action's AuditEvent id (0: none yet)."""
    stmt = select(func.max(AuditEvent.id)).where(AuditEvent.actor_role == Role.ADMIN.value)
    return int(session.exec(stmt).one() or 0)


def _fresh(snap: dict, mark: int, now: datetime) -> bool:
    age = (now - datetime.fromisoformat(snap["computed_at"])).total_seconds()
    return snap["audit_mark"] == mark and 0 <= age < get_settings().analytics_ttl_seconds




def _store(session: Session, data: dict, mark: int) -> dict:
    snap = {**data, "audit_mark": mark}
    put_snapshot(session, KEY, data, datetime.fromisoformat(data["computed_at"]), seconds=data["seconds"],
                 audit_mark=mark)
    _memory[_url(session)] = snap
    return snap


def _url(session: Session) -> str:
    return session.get_bind().url.render_as_string(hide_password=True)


def _load_row(session: Session) -> dict | None:
    row = session.get(AnalyticsSnapshot, KEY)
    if row is None:
        return None
    return {**json.loads(row.data), "audit_mark": row.audit_mark, "seconds": row.seconds}


def _refresh_in_background(engine) -> None:
    # The session's own engine: its URL without the password (the memory key) cannot connect.
    url = engine.url.render_as_string(hide_password=True)
    with _lock:
        if url in _refreshing:
            return
        _refreshing.add(url)

    def run():
        try:
            with Session(engine) as session:
                mark = audit_mark(session)
                _store(session, compute(session), mark)
                session.commit()
        finally:
            with _lock:
                _refreshing.discard(url)

    threading.Thread(target=run, name="analytics-refresh", daemon=True).start()


def platform_analytics(session: Session, actor_id: int | None, *, now: datetime | None = None,
                       force: bool = False, background: bool = True) -> dict:
    """The admin home's figures: the snapshot dict plus "stale" (True while a background refresh
    runs). force=True recomputes now ("refresh now"); background=False never defers (tests)."""
    require_role(session, actor_id, Role.ADMIN)
    now = now or utcnow()
    mark = audit_mark(session)
    url = _url(session)
    if not force:
        snap = _memory.get(url)
        if snap is not None and _fresh(snap, mark, now):
            return {**snap, "stale": False}
        snap = _load_row(session)
        if snap is not None and _fresh(snap, mark, now):
            _memory[url] = snap
            return {**snap, "stale": False}
        # Only figures that merely aged are served while a background refresh runs: after an admin
        # action (a newer audit mark) the next load recomputes, so the action shows at once.
        if snap is not None and background and snap["seconds"] >= SYNC_LIMIT and snap["audit_mark"] == mark:
            _refresh_in_background(session.get_bind())
            return {**snap, "stale": True}
    return {**_store(session, compute(session, now=now), mark), "stale": False}


def forget_memory() -> None:
    """Drop this process's copies (tests and the bench's cold runs)."""
    _memory.clear()
