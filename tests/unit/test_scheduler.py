"""The scheduler: two schedulers started at once run each job once (the database lease); the
lease passes on when its holder stops renewing it; calendar jobs run once per period, also when
the scheduler was down at the set time. Time is injected, never waited for (except the short
real APScheduler run)."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlmodel import select

from brandifiers.config import get_settings
from brandifiers.jobs.scheduler import Jobs, daily_reminders, monthly_reports
from brandifiers.models.jobs import OutboxMessage, SchedulerLease
from brandifiers.services.common import lease
from tests.unit import collab_factories as cf
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)

JOBS = ("rollup", "outbox", "reminders", "reports", "compaction")


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
    t0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert lease.acquire(engine, "a", now=t0)
    assert not lease.acquire(engine, "b", now=t0 + timedelta(seconds=30))
    assert lease.acquire(engine, "a", now=t0 + timedelta(seconds=60))  # renewed until 12:02:30
    assert not lease.acquire(engine, "b", now=t0 + timedelta(seconds=149))
    assert lease.acquire(engine, "b", now=t0 + timedelta(seconds=151))  # "a" died: "b" takes over
    assert not lease.acquire(engine, "a", now=t0 + timedelta(seconds=152))
    lease.release(engine, "b")
    assert lease.acquire(engine, "a", now=t0 + timedelta(seconds=153))


def test_calendar_jobs_run_once_per_period_and_catch_up(session, engine):
    p = cf.cast(session)
    cf.send(session, p.sponsor, p.campaign, p.influencer)  # the influencer has an answer to give
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
