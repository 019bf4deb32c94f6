"""Every scheduled job (rollups and compaction, anomalies, outbox, reminders, digests, monthly reports, purge,
the model's retraining) and the APScheduler that runs them under the database lease; a failed job is logged,
never raised. Design: docs/jobs.md."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlmodel import Session

from brandifiers import observability
from brandifiers.clock import utcnow
from brandifiers.config import Settings, get_settings
from brandifiers.db import get_engine
from brandifiers.jobs.rollups import run_rollup
from brandifiers.services.accounts import auth
from brandifiers.services.common import lease, zones
from brandifiers.services.discovery import fulltext
from brandifiers.services.messaging import digest, outbox, reminders, reports
from brandifiers.services.payments import reconcile
from brandifiers.services.payments.gateway import gateway_for
from brandifiers.services.recommend import training
from brandifiers.services.rollups import rollups
from brandifiers.services.stats import anomalies

log = logging.getLogger("brandifiers.jobs")
ROLLUP_JOB_ID = "metric-rollup"
LEASE_JOB_ID = "scheduler-lease"


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _local(now: datetime, settings: Settings) -> datetime:
    return zones.local_now(settings.timezone, now)


def _time_has_come(local: datetime, hhmm: str) -> bool:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return (local.hour, local.minute) >= (hour, minute)


def _once_a_day(engine, now: datetime, settings: Settings, name: str, hhmm: str, work) -> dict | None:
    """work(session) once per local day, from hhmm on, unless done today already."""
    local = _local(now, settings)
    day = local.date().isoformat()
    if not _time_has_come(local, hhmm):
        return None
    with Session(engine) as s:
        if lease.last_period(s, name) == day:
            return None
        result = work(s)
        lease.mark_done(s, name, day, now=now)
        s.commit()
    return result


def daily_reminders(engine, now: datetime, settings: Settings) -> dict | None:
    """Each person's reminder once their local time reaches the reminder time (checked once per quarter
    hour: zones with half-hour offsets get theirs within 15 minutes); None when nothing was queued."""
    utc = now.astimezone(UTC)
    slot = utc.strftime("%Y-%m-%dT%H:") + f"{utc.minute - utc.minute % 15:02d}"  # fits JobRun.period
    with Session(engine) as s:
        if lease.last_period(s, "reminders") == slot:
            return None
        result = reminders.run_daily_reminders(s, now=now, settings=settings, at=settings.reminder_time)
        lease.mark_done(s, "reminders", slot, now=now)
        s.commit()
    return result or None


def daily_digests(engine, now: datetime, settings: Settings) -> dict | None:
    """Each person's daily digest once their digest hour has come (per person: no once-a-day mark; the
    outbox's unique key keeps it to one per day)."""
    with Session(engine) as s:
        result = digest.run_digests(s, now=now, settings=settings)
        s.commit()
    return result or None


def nightly_compaction(engine, now: datetime, settings: Settings) -> dict | None:
    """Once a day (a quiet hour): fold the rollup deltas into the main summary tables, then, on
    SQLite, merge each search index (FTS5) into one segment again: a live database fragments them
    and every search reads each segment."""
    def work(s: Session) -> dict:
        result = rollups.compact(s, now=now)
        fulltext.optimize(s.connection())
        return {**result, "search_indexes_merged": s.get_bind().dialect.name == "sqlite"}
    return _once_a_day(engine, now, settings, "rollup-compaction", settings.compact_time, work)


def nightly_purge(engine, now: datetime, settings: Settings) -> dict | None:
    """Once a day with the compaction: ended sessions, used reset codes, old log-in throttle rows."""
    return _once_a_day(engine, now, settings, "housekeeping", settings.compact_time,
                       lambda s: auth.purge_expired(s, now=now))


def daily_reconciliation(engine, now: datetime, settings: Settings) -> dict | None:
    """Once a day: our card funding rows against the gateway's records (services.payments.reconcile)."""
    gateway = gateway_for(settings)
    if gateway.name == "manual":
        return None

    def work(s: Session) -> dict:
        return {"differences": len(reconcile.compare(s, gateway, now, settings.reconcile_days))}
    return _once_a_day(engine, now, settings, "reconciliation", settings.reconcile_time, work)


def nightly_recommend(engine, now: datetime, settings: Settings) -> dict | None:
    """Once a day with the compaction: retrain the recommendation model when enough new outcomes came
    in (BRANDIFIERS_RECOMMEND_RETRAIN_NEW). A failed training keeps the previous model in service and
    is logged; the day still counts as done (no retry every quarter hour of a minute-long training)."""
    def work(s: Session) -> dict:
        try:
            return training.retrain_if_due(s, now=now, settings=settings) or {"retrained": False}
        except Exception as exc:  # any failure: the current model stays, tomorrow tries again
            log.exception("recommendation model: training failed")
            s.rollback()
            return {"retrained": False, "error": str(exc)[:200]}
    return _once_a_day(engine, now, settings, "recommend", settings.compact_time, work)


def platform_flags(engine, now: datetime, settings: Settings) -> dict | None:
    """The admin's platform anomaly list, recomputed when it is older than
    BRANDIFIERS_ANOMALY_MINUTES and new figures were rolled up since (it reads two weeks of raw
    rows, so never on a page load)."""
    with Session(engine) as s:
        if not anomalies.platform_flags_due(s, now, settings.anomaly_minutes):
            return None
        result = anomalies.refresh_platform_anomalies(s, now=now)
        s.commit()
    return result


def monthly_reports(engine, now: datetime, settings: Settings) -> dict | None:
    """Last month's reports, from the 1st at the report time, once."""
    local = _local(now, settings)
    if not _time_has_come(local, settings.report_time) and local.day == 1:
        return None
    month = reports.last_month(now, settings)
    with Session(engine) as s:
        if lease.last_period(s, "reports") == month:
            return None
    # The month's reach and revenue come from the rollups: bring them up to now first, or the figures
    # (and which sponsors get a report) depend on when the rollup job last ran. A failure stops the job.
    with Session(engine) as s:
        rollups.run_rollup(s, now=now)
    with Session(engine) as s:
        counts = reports.run_monthly_reports(s, now=now, settings=settings, month=month)
        lease.mark_done(s, "reports", month, now=now)
        s.commit()
    return counts


def deliver(engine, now: datetime, settings: Settings) -> dict:
    return dict(outbox.deliver_due(engine, now=now, settings=settings))


class Jobs:
    """The jobs bound to one database and one lease holder; `run(name)` is what APScheduler calls."""

    def __init__(self, url: str | None = None, holder: str | None = None,
                 clock: Callable[[], datetime] = utcnow, settings: Settings | None = None,
                 lease_ttl: timedelta = lease.TTL):
        self.url, self.holder, self.clock = url, holder or new_holder(), clock
        self.settings = settings or get_settings()
        self.lease_ttl = lease_ttl
        self.ran: list[str] = []  # names of the jobs this instance actually ran (tests, logs)
        self._refused = False  # another scheduler held the lease when this one last asked
        # Stopping gives the lease up; the lock keeps a timer or job thread from taking it again after that.
        self._lock, self.stopped = threading.Lock(), False

    def _acquire(self, now: datetime) -> bool:
        with self._lock:
            return not self.stopped and lease.acquire(self.engine, self.holder, now=now, ttl=self.lease_ttl)

    def release(self) -> None:
        with self._lock:
            self.stopped = True
            lease.release(self.engine, self.holder)

    def keep_lease(self) -> bool:
        """Take or renew the lease (the short timer of its own); True when this took it over from
        another scheduler, so its jobs should run now rather than at their next tick."""
        try:
            held = self._acquire(self.clock())
        except Exception:  # e.g. the database is briefly locked: the next tick tries again
            log.exception("scheduler lease: renewal failed")
            return False
        took_over, self._refused = held and self._refused, not held
        if took_over:
            log.info("scheduler lease taken over by %s", self.holder)
        return took_over

    @property
    def engine(self):
        return get_engine(self.url)

    def run(self, name: str):
        now = self.clock()
        if not self._acquire(now):
            log.debug("job %s skipped: another scheduler holds the lease", name)
            return None
        self.ran.append(name)
        try:
            with observability.timed_job(name):  # its duration (and a failure) in /metrics
                return self._run(name, now)
        except Exception:  # a failed run is logged; the next run starts again (nothing half-done is kept)
            log.exception("job %s failed", name)
            return None

    def _run(self, name: str, now: datetime):
        if name == "rollup":
            return run_rollup(self.clock, self.url)
        job = {"outbox": deliver, "reminders": daily_reminders, "digests": daily_digests, "reports": monthly_reports,
               "compaction": nightly_compaction, "anomalies": platform_flags, "housekeeping": nightly_purge,
               "reconciliation": daily_reconciliation, "recommend": nightly_recommend}[name]
        result = job(self.engine, now, self.settings)
        if result:
            log.info("job %s: %s", name, result)
        return result


def build_scheduler(scheduler: BackgroundScheduler | None = None, *, jobs: Jobs | None = None,
                    rollup_minutes: int | None = None,
                    lease_seconds: float = lease.RENEW.total_seconds()) -> BackgroundScheduler:
    """A scheduler (a new BackgroundScheduler unless given) with every job registered, not started.
    The lease has a timer of its own (`lease_seconds`): a standby takes over at most that long after
    the lease expired, and then runs every job at once."""
    scheduler = scheduler or BackgroundScheduler(timezone="UTC")
    jobs = jobs or Jobs()
    minutes = rollup_minutes or jobs.settings.rollup_minutes
    common = {"replace_existing": True, "max_instances": 1, "coalesce": True}
    scheduler.add_job(jobs.run, "interval", args=["rollup"], minutes=minutes, id=ROLLUP_JOB_ID, **common)
    scheduler.add_job(jobs.run, "interval", args=["outbox"], minutes=1, id="outbox-delivery", **common)
    scheduler.add_job(jobs.run, "interval", args=["reminders"], minutes=5, id="daily-reminders", **common)
    scheduler.add_job(jobs.run, "interval", args=["digests"], minutes=5, id="daily-digests", **common)
    scheduler.add_job(jobs.run, "interval", args=["reports"], minutes=15, id="monthly-reports", **common)
    scheduler.add_job(jobs.run, "interval", args=["compaction"], minutes=15, id="rollup-compaction", **common)
    scheduler.add_job(jobs.run, "interval", args=["anomalies"], minutes=10, id="platform-anomalies", **common)
    scheduler.add_job(jobs.run, "interval", args=["housekeeping"], minutes=15, id="nightly-purge", **common)
    scheduler.add_job(jobs.run, "interval", args=["reconciliation"], minutes=15, id="reconciliation", **common)
    scheduler.add_job(jobs.run, "interval", args=["recommend"], minutes=15, id="recommend-retrain", **common)

    def keep_lease() -> None:
        if jobs.keep_lease():
            for job in scheduler.get_jobs():
                if job.id != LEASE_JOB_ID:
                    job.modify(next_run_time=datetime.now(UTC))
    scheduler.add_job(keep_lease, "interval", seconds=lease_seconds, id=LEASE_JOB_ID,
                      next_run_time=datetime.now(UTC), **common)
    scheduler.jobs_runner = jobs  # the bound jobs (for shutdown: release the lease)
    return scheduler


def scheduler_mode(settings: Settings | None = None) -> str:
    """embedded (start with the app), separate (python -m brandifiers.jobs) or off."""
    settings = settings or get_settings()
    chosen = os.environ.get("BRANDIFIERS_SCHEDULER", "").strip().lower()
    if chosen in ("embedded", "separate", "off"):
        return chosen
    return "separate" if settings.redis_url else "embedded"


def stop(scheduler: BackgroundScheduler) -> None:
    scheduler.shutdown(wait=False)
    runner = getattr(scheduler, "jobs_runner", None)
    if runner is not None:
        runner.release()
