"""The scheduler: two schedulers started at once run each job once (the database lease); the
lease passes on when its holder stops renewing it; calendar jobs run once per period, also when
the scheduler was down at the set time. Time is injected, never waited for (except the short
real APScheduler run)."""

from __future__ import annotations

import dataclasses
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlmodel import select

from brandifiers.config import get_settings
from brandifiers.jobs.scheduler import Jobs, build_scheduler, daily_reminders, monthly_reports
from brandifiers.models.jobs import OutboxMessage, SchedulerLease
from brandifiers.services.common import lease
from tests.unit import collab_factories as cf
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)

JOBS = ("rollup", "outbox", "reminders", "reports", "compaction", "recommend")


class FixedClock:
    def __init__(self, t: datetime):
        self.t = t

    def __call__(self) -> datetime:
        return self.t


def test_two_real_schedulers_run_each_job_once(engine, db_url):
    a, b = Jobs(db_url, holder="worker-a"), Jobs(db_url, holder="worker-b")
    schedulers = [BackgroundScheduler(timezone="UTC") for _ in range(2)]
    fire = datetime.now(UTC) + timedelta(seconds=0.5)
    for scheduler, jobs in zip(schedulers, (a, b)):
        for name in JOBS:
            scheduler.add_job(jobs.run, "date", run_date=fire, args=[name], id=name)
        scheduler.start()
    deadline = time.monotonic() + 20
    while any(s.get_jobs() for s in schedulers) and time.monotonic() < deadline:
        time.sleep(0.05)
    for s in schedulers:
        s.shutdown(wait=True)
    assert sorted(a.ran + b.ran) == sorted(JOBS)  # every job once, by whoever held the lease
    assert not (a.ran and b.ran)


def test_the_lease_passes_on_only_when_it_expires(engine):
    t0, ttl, s = datetime(2026, 11, 26, 12, 0, tzinfo=UTC), lease.TTL, timedelta(seconds=1)
    assert lease.acquire(engine, "a", now=t0)
    assert not lease.acquire(engine, "b", now=t0 + ttl / 2)
    assert lease.acquire(engine, "a", now=t0 + lease.RENEW)  # renewed until RENEW + TTL
    assert not lease.acquire(engine, "b", now=t0 + lease.RENEW + ttl - s)
    assert lease.acquire(engine, "b", now=t0 + lease.RENEW + ttl + s)  # "a" died: "b" takes over
    assert not lease.acquire(engine, "a", now=t0 + lease.RENEW + ttl + 2 * s)
    lease.release(engine, "b")
    assert lease.acquire(engine, "a", now=t0 + lease.RENEW + ttl + 3 * s)


HOLDER = """
import sys, time
from datetime import timedelta
from brandifiers.jobs.scheduler import Jobs, build_scheduler
jobs = Jobs(sys.argv[1], holder="doomed", lease_ttl=timedelta(seconds=float(sys.argv[2])))
build_scheduler(jobs=jobs, lease_seconds=float(sys.argv[3])).start()
time.sleep(600)
"""


def _holder(engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(SchedulerLease.holder)).scalar_one_or_none()


def test_a_standby_takes_over_soon_after_the_holder_is_killed(engine, db_url):
    """The lease has a timer of its own: a standby takes over within TTL + its period of the holder's
    last renewal (not at its next job tick, minutes later), and then runs its jobs at once."""
    ttl, every = 3.0, 0.5
    child = subprocess.Popen([sys.executable, "-c", HOLDER, db_url, str(ttl), str(every)])
    standby = Jobs(db_url, holder="standby", lease_ttl=timedelta(seconds=ttl))
    scheduler = build_scheduler(jobs=standby, lease_seconds=every)
    try:
        deadline = time.monotonic() + 90  # the child imports the app first
        while _holder(engine) != "doomed":
            assert child.poll() is None and time.monotonic() < deadline, "the holder never took the lease"
            time.sleep(0.1)
        scheduler.start()
        time.sleep(ttl)  # the standby asks several times and is refused: the holder renews
        assert _holder(engine) == "doomed" and standby.ran == []
        child.send_signal(signal.SIGKILL)  # no shutdown, no release
        child.wait()
        killed = time.monotonic()
        while _holder(engine) != "standby":
            assert time.monotonic() - killed < ttl + every + 10, "no takeover"
            time.sleep(0.05)
        took = time.monotonic() - killed
        assert ttl - every - 0.2 <= took <= ttl + every + 1.5  # never while the lease was live; soon after
        deadline = time.monotonic() + 10
        while "outbox" not in standby.ran and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "outbox" in standby.ran  # woken at once (its tick is every minute)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if scheduler.running:
            scheduler.shutdown(wait=True)


def test_calendar_jobs_run_once_per_period_and_catch_up(session, engine):
    p = cf.cast(session)
    cf.send(session, p.sponsor, p.campaign, p.influencer)  # the influencer has an answer to give
    p.influencer.time_zone = "Europe/Paris"  # the reminder comes at 18:00 in the person's zone
    session.add(p.influencer)
    session.commit()
    settings = dataclasses.replace(get_settings(), timezone="Europe/Paris", reminder_time="18:00")
    day = datetime(2026, 11, 26, tzinfo=UTC)
    assert daily_reminders(engine, day + timedelta(hours=16, minutes=55), settings) is None  # 17:55 in Paris
    assert daily_reminders(engine, day + timedelta(hours=17, minutes=5), settings) == {"inapp": 1, "email": 1}
    assert daily_reminders(engine, day + timedelta(hours=20), settings) is None  # done today
    # Down all evening of the 27th: the 28th's first check after midnight does not run the 27th...
    assert daily_reminders(engine, day + timedelta(days=2, hours=1), settings) is None
    # ...and the 28th's reminder comes at 18:00 as usual, once.
    assert daily_reminders(engine, day + timedelta(days=2, hours=17), settings) == {"inapp": 1, "email": 1}
    session.expire_all()
    periods = sorted({m.period for m in session.exec(select(OutboxMessage))})
    assert periods == ["2026-11-26", "2026-11-28"]

    settings = dataclasses.replace(settings, report_time="08:00")
    first = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # 07:00 in Paris
    assert monthly_reports(engine, first, settings) is None
    assert monthly_reports(engine, first + timedelta(hours=1, minutes=1), settings) is not None  # November
    assert monthly_reports(engine, first + timedelta(days=3), settings) is None


def test_a_job_skipped_without_the_lease_leaves_no_trace(engine, db_url):
    holder = Jobs(db_url, holder="a", clock=FixedClock(datetime(2026, 11, 26, 19, tzinfo=UTC)))
    other = Jobs(db_url, holder="b", clock=holder.clock)
    holder.run("outbox")
    assert other.run("reminders") is None and other.ran == []
    with engine.connect() as conn:
        assert conn.execute(select(SchedulerLease.holder)).scalar_one() == "a"


def test_the_app_lifespan_starts_and_stops_the_embedded_scheduler(engine, monkeypatch):
    import asyncio

    from brandifiers.jobs import scheduler as sched
    from brandifiers.startup import scheduled_jobs

    started = []
    real_build = sched.build_scheduler
    monkeypatch.setattr(sched, "build_scheduler", lambda: started.append(real_build()) or started[-1])

    async def run(mode):
        monkeypatch.setenv("BRANDIFIERS_SCHEDULER", mode)
        async with scheduled_jobs():
            return [s.running for s in started]

    assert asyncio.run(run("embedded")) == [True]
    assert not started[0].running  # stopped with the app
    time.sleep(0.3)  # a lease timer still running when it stopped may not take the lease again
    assert _holder(engine) is None  # given up, so a standby can take over at once
    assert asyncio.run(run("separate")) == [False] and len(started) == 1  # none built or started in the app
    monkeypatch.delenv("BRANDIFIERS_SCHEDULER")
    monkeypatch.setenv("REFLEX_REDIS_URL", "redis://127.0.0.1:6379")
    assert sched.scheduler_mode() == "separate"


def test_jobs_of_one_scheduler_racing_for_the_first_lease_all_get_it(engine):
    import threading
    results, start = [], threading.Barrier(6)

    def take(holder):
        start.wait()
        results.append((holder, lease.acquire(engine, holder)))

    threads = [threading.Thread(target=take, args=("a" if i < 4 else "b",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = {h for h, ok in results if ok}
    assert len(winners) == 1  # one holder, and every job of that holder got through
    assert sum(ok for _h, ok in results) == sum(1 for h, _ok in results if h in winners)
