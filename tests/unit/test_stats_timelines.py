"""The spend and earnings timelines (services/stats_views) obey the page's date window like every
other figure: the running total as of each day in the window, carrying in what was accepted
before its start. Checked against a plain computation over the acceptance days the test set
itself (UTC days, some close to midnight), never against hard-coded numbers."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

import pytest

from brandifiers.services.common.errors import NotFound, PermissionDenied
from brandifiers.services.stats import stats_views
from tests.unit.collab_factories import cheap_passwords, today  # noqa: F401  (autouse fixture)
from tests.unit.stats_factories import world

COMMITTED = ("accepted", "in_progress", "submitted", "completed")  # spend: accepted or later
# (start, end) as days from today; None is an open end.
WINDOWS = [(None, None), (-4, None), (None, -3), (-6, -2), (-3, -3), (-40, -30), (2, 9)]


@pytest.fixture
def w(session):
    """The stats world with its requests accepted on shuffled days of the last nine, two on the
    same day, at random hours (the pending one too: an acceptance date never makes a request that
    is not accepted spend). Whatever the shuffle, spend falls before, in and after (-6, -2)."""
    w = world(session)
    rng = random.Random(11)
    offsets = [-8, -7, -4, -4, -1, 0]
    rng.shuffle(offsets)
    w.accepted_on = {}
    for r, offset in zip(w.requests, offsets, strict=True):
        day = today() + timedelta(days=offset)
        r.accepted_at = datetime.combine(day, time(rng.choice([0, 12, 23]), rng.choice([0, 59])), tzinfo=UTC)
        w.accepted_on[r.id] = day
        session.add(r)
    session.commit()
    return w


def window(offsets):
    return tuple(None if o is None else today() + timedelta(days=o) for o in offsets)


def by_hand(w, belongs, start, end) -> list[dict]:
    """The running total as of each day in [start, end] on which it changed, plus the start day
    when something was accepted before it: written out from the definition."""
    spend = [(w.accepted_on[r.id], r.payment_cents) for r in w.requests if belongs(r) and r.status in COMMITTED]

    def as_of(day):
        return sum(cents for accepted, cents in spend if accepted <= day)

    days = {d for d, _ in spend if (start is None or d >= start) and (end is None or d <= end)}
    if start is not None and as_of(start - timedelta(days=1)) > 0:
        days.add(start)
    return [{"day": d.isoformat(), "cents": as_of(d)} for d in sorted(days)]


@pytest.mark.parametrize("offsets", WINDOWS)
def test_campaign_spend_obeys_the_window(session, w, offsets):
    start, end = window(offsets)
    for c in w.campaigns:
        want = by_hand(w, lambda r: r.campaign_id == c.id, start, end)
        for actor in (c.sponsor_id, w.admin.id):
            assert stats_views.campaign_overview(session, actor, c.id, start, end)["spend"] == want


@pytest.mark.parametrize("offsets", WINDOWS)
def test_earnings_obey_the_window(session, w, offsets):
    start, end = window(offsets)
    for inf in w.influencers:
        want = by_hand(w, lambda r: r.influencer_id == inf.id, start, end)
        assert stats_views.earnings_timeline(session, inf.id, start, end) == want


def test_the_world_makes_the_windows_meaningful(w):
    """Guards the fixture: some spend falls before, inside and after the (-6, -2) window."""
    start, end = window((-6, -2))
    days = [w.accepted_on[r.id] for r in w.requests if r.status in COMMITTED]
    assert any(d < start for d in days) and any(start <= d <= end for d in days) and any(d > end for d in days)


@pytest.mark.parametrize("offsets", WINDOWS)
def test_platform_spend_by_month_obeys_the_window(session, w, offsets):
    start, end = window(offsets)
    want: dict[str, int] = {}
    for r in w.requests:
        day = w.accepted_on[r.id]
        if r.status in COMMITTED and (start is None or day >= start) and (end is None or day <= end):
            want[day.isoformat()[:7]] = want.get(day.isoformat()[:7], 0) + r.payment_cents
    assert stats_views.platform_spend_by_month(session, w.admin.id, start, end) == want


def test_timelines_refuse_other_actors(session, w):
    start, end = window((-6, -2))
    with pytest.raises(NotFound):
        stats_views.campaign_overview(session, w.sponsors[1].id, w.campaigns[0].id, start, end)
    with pytest.raises(PermissionDenied):
        stats_views.earnings_timeline(session, w.sponsors[0].id, start, end)
    with pytest.raises(PermissionDenied):
        stats_views.platform_spend_by_month(session, w.sponsors[0].id, start, end)


def test_the_admins_spend_by_month_is_the_series_each_rollup_run_stores(session, w):
    """Summed now until a rollup run stores the platform's series; the run that sees spend change
    stores it again, so the page says what the rollups say (never the budget, never a stale sum
    after a run)."""
    from brandifiers.clock import utcnow
    from brandifiers.services.rollups import rollups, spend_days

    want = stats_views.platform_spend_by_month(session, w.admin.id)
    assert want and not spend_days.is_stored(session)
    rollups.run_rollup(session)
    assert spend_days.is_stored(session)
    assert stats_views.platform_spend_by_month(session, w.admin.id) == want
    pending = next(r for r in w.requests if r.status not in COMMITTED)
    pending.status, pending.accepted_at, pending.updated_at = "accepted", utcnow(), utcnow() + timedelta(seconds=5)
    session.add(pending)
    session.commit()
    assert stats_views.platform_spend_by_month(session, w.admin.id) == want  # as of the last run
    rollups.run_rollup(session)
    month = pending.accepted_at.date().isoformat()[:7]
    assert stats_views.platform_spend_by_month(session, w.admin.id) == {
        **want, month: want.get(month, 0) + pending.payment_cents}
