"""Admin analytics: every figure checked against a plain-Python computation over the raw rows of
seeded data; the snapshot's expiry and its invalidation by an admin action; admins only."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from sqlmodel import select

from brandifiers.clock import utcnow
from brandifiers.models import AdRequest, AnalyticsSnapshot, Campaign, Payment, User
from brandifiers.seed import Scale, seed
from brandifiers.services.accounts import approvals
from brandifiers.services.common.errors import PermissionDenied
from brandifiers.services.deals import moderation
from brandifiers.services.stats import analytics
from tests.unit import factories

SMALL = Scale(8, 2, 60, 30, 220, 200)
COMMITTED = {"accepted", "in_progress", "submitted", "completed"}


@pytest.fixture
def seeded(engine, session):
    analytics.forget_memory()
    seed(engine, SMALL, rng_seed=7)
    admin = session.exec(select(User).where(User.role == "admin", User.status == "active")).first()
    return admin or factories.admin(session)


def _month(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def expected(session, now) -> dict:
    """The same figures, the long way: load every row and count in Python."""
    users = session.exec(select(User)).all()
    campaigns = session.exec(select(Campaign)).all()
    requests = session.exec(select(AdRequest)).all()
    payments = session.exec(select(Payment)).all()
    active = Counter(u.role for u in users if u.status == "active")
    by_status = Counter(r.status for r in requests)
    today = now.date()
    first_week = today - timedelta(days=today.weekday() + 7 * 11)
    signups = defaultdict(Counter)
    for u in users:
        d = u.created_at.astimezone(now.tzinfo).date()
        if d >= first_week:
            signups[(d - timedelta(days=d.weekday())).isoformat()][u.role] += 1
    months, first_of = [], today.replace(day=1)
    for _ in range(12):
        months.insert(0, _month(first_of))
        first_of = (first_of - timedelta(days=1)).replace(day=1)
    agreed, paid = Counter(), Counter()
    for r in requests:
        if r.status in COMMITTED and r.accepted_at and _month(r.accepted_at.astimezone(now.tzinfo).date()) in months:
            agreed[_month(r.accepted_at.astimezone(now.tzinfo).date())] += r.payment_cents
    for p in payments:
        if _month(p.paid_on) in months:
            paid[_month(p.paid_on)] += p.amount_cents
    category = {c.id: c.category for c in campaigns}
    spend = Counter()
    for r in requests:
        if r.status in COMMITTED:
            spend[category[r.campaign_id]] += r.payment_cents
    return {
        "active": {role: active.get(role, 0) for role in ("admin", "sponsor", "influencer")},
        "pending": sum(1 for u in users if u.role == "sponsor" and u.status == "pending" and u.email_verified),
        "campaigns": Counter((c.visibility, c.status) for c in campaigns),
        "by_status": by_status,
        "funnel": [len(requests), sum(by_status[s] for s in COMMITTED),
                   by_status["submitted"] + by_status["completed"], by_status["completed"]],
        "flags": {"users": sum(u.status == "flagged" for u in users), "campaigns": sum(c.flagged for c in campaigns),
                  "requests": sum(r.flagged for r in requests)},
        "signups": {w: (c["sponsor"], c["influencer"]) for w, c in signups.items()},
        "months": months, "agreed": agreed, "paid": paid,
        "top": sorted(spend.items(), key=lambda kv: (-kv[1], kv[0]))[:8],
    }


def test_figures_match_a_plain_python_count(session, seeded):
    now = utcnow()
    got = analytics.platform_analytics(session, seeded.id, now=now, background=False)
    want = expected(session, now)
    assert got["users"]["active"] == want["active"]
    assert got["users"]["pending_sponsors"] == want["pending"] > 0
    assert {(c["visibility"], c["status"]): c["count"] for c in got["campaigns"]} == dict(want["campaigns"])
    assert got["requests"]["by_status"] == {s: want["by_status"].get(s, 0) for s in got["requests"]["by_status"]}
    assert [f["count"] for f in got["requests"]["funnel"]] == want["funnel"]
    assert want["funnel"][0] > want["funnel"][1] > 0
    assert got["flags"] == want["flags"]
    assert len(got["signups"]) == 12
    assert {w["week"]: (w["sponsor"], w["influencer"]) for w in got["signups"] if w["sponsor"] or w["influencer"]} \
        == want["signups"]
    assert [m["month"] for m in got["money"]] == want["months"]
    assert ({m["month"]: m["agreed_cents"] for m in got["money"]}
            == {m: want["agreed"].get(m, 0) for m in want["months"]})
    assert {m["month"]: m["paid_cents"] for m in got["money"]} == {m: want["paid"].get(m, 0) for m in want["months"]}
    assert sum(want["paid"].values()) > 0 and sum(want["agreed"].values()) > 0
    assert [(c["category"], c["spend_cents"]) for c in got["categories"]] == want["top"]


def test_snapshot_is_reused_until_it_expires_or_an_admin_acts(session, seeded):
    now = utcnow()
    first = analytics.platform_analytics(session, seeded.id, now=now, background=False)
    session.commit()
    # A new campaign flag made behind the cache's back (no admin action) is not seen before expiry...
    campaign = session.exec(select(Campaign).where(Campaign.flagged.is_(False))).first()
    campaign.flagged = True
    session.add(campaign)
    session.commit()
    analytics.forget_memory()  # also from another worker: the stored snapshot is used
    again = analytics.platform_analytics(session, seeded.id, now=now + timedelta(seconds=30), background=False)
    assert again["computed_at"] == first["computed_at"] and again["flags"] == first["flags"]
    # ...and is after the expiry (60 s by default).
    later = analytics.platform_analytics(session, seeded.id, now=now + timedelta(seconds=61), background=False)
    assert later["flags"]["campaigns"] == first["flags"]["campaigns"] + 1
    session.commit()
    # An admin action invalidates at once.
    other = session.exec(select(Campaign).where(Campaign.flagged.is_(False))).first()
    moderation.flag_campaign(session, seeded.id, other.id, "Spam")
    session.commit()
    fresh = analytics.platform_analytics(session, seeded.id, now=now + timedelta(seconds=62), background=False)
    assert fresh["flags"]["campaigns"] == later["flags"]["campaigns"] + 1
    assert session.get(AnalyticsSnapshot, analytics.KEY).audit_mark == analytics.audit_mark(session) > 0


def test_a_slow_snapshot_is_served_stale_while_it_refreshes(session, seeded, monkeypatch):
    now = utcnow()
    analytics.platform_analytics(session, seeded.id, now=now, background=False)
    session.commit()
    row = session.get(AnalyticsSnapshot, analytics.KEY)
    row.seconds = 5.0  # as if it took 5 s at L
    session.add(row)
    session.commit()
    started = []
    monkeypatch.setattr(analytics, "_refresh_in_background", lambda engine: started.append(engine))
    analytics.forget_memory()
    stale = analytics.platform_analytics(session, seeded.id, now=now + timedelta(seconds=120))
    assert stale["stale"] is True and started
    forced = analytics.platform_analytics(session, seeded.id, now=now + timedelta(seconds=120), force=True)
    assert forced["stale"] is False and forced["computed_at"] != stale["computed_at"]


def test_after_an_admin_action_a_slow_snapshot_is_recomputed_on_the_next_load(session, seeded, monkeypatch):
    """The admin home once showed figures 21 minutes old, "refreshing in the background", right after
    two approvals: an admin action's figures are never served stale."""
    waiting = [factories.sponsor(session) for _ in range(2)]
    session.commit()
    now = utcnow()
    before = analytics.platform_analytics(session, seeded.id, now=now, background=False)
    session.commit()
    row = session.get(AnalyticsSnapshot, analytics.KEY)
    row.seconds = 5.0  # as if it took 5 s at L: an aged snapshot would be served stale
    session.add(row)
    session.commit()
    started = []
    monkeypatch.setattr(analytics, "_refresh_in_background", lambda engine: started.append(engine))
    for sponsor in waiting:
        approvals.approve_sponsor(session, seeded.id, sponsor.id)
        session.commit()
    after = analytics.platform_analytics(session, seeded.id, now=now + timedelta(seconds=5))
    assert after["stale"] is False and not started
    assert after["users"]["pending_sponsors"] == before["users"]["pending_sponsors"] - 2
    assert after["users"]["active"]["sponsor"] == before["users"]["active"]["sponsor"] + 2


def test_the_background_refresh_stores_fresh_figures(session, seeded):
    """The refresh thread uses the session's own engine (its URL without the password could not connect)."""
    now = utcnow()
    analytics.platform_analytics(session, seeded.id, now=now - timedelta(minutes=21), background=False)
    session.commit()
    row = session.get(AnalyticsSnapshot, analytics.KEY)
    row.seconds = 5.0
    session.add(row)
    session.commit()
    analytics.forget_memory()
    stale = analytics.platform_analytics(session, seeded.id, now=now)
    assert stale["stale"] is True
    for thread in [t for t in threading.enumerate() if t.name == "analytics-refresh"]:
        thread.join(30)
    session.expire_all()
    analytics.forget_memory()
    fresh = analytics.platform_analytics(session, seeded.id, now=now + timedelta(seconds=1))
    assert fresh["stale"] is False and fresh["computed_at"] > stale["computed_at"]


@pytest.mark.parametrize("role", ["sponsor", "influencer", None])
def test_only_admins_see_platform_analytics(session, role):
    actor = {"sponsor": lambda: factories.sponsor(session, approved=True),
             "influencer": lambda: factories.influencer(session), None: lambda: None}[role]()
    with pytest.raises(PermissionDenied):
        analytics.platform_analytics(session, actor.id if actor else None, background=False)
    assert session.exec(select(AnalyticsSnapshot)).first() is None
