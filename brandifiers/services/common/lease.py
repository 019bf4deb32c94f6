"""The scheduler lease (at most one scheduler runs jobs; taking it is one conditional UPDATE) and the
calendar jobs' last runs, on an Engine or Session; no reflex, no APScheduler, raises nothing.
Design: docs/jobs.md, "The lease"."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from brandifiers.clock import utcnow
from brandifiers.models.jobs import JobRun, SchedulerLease

NAME = "scheduler"
TTL = timedelta(seconds=60)
RENEW = timedelta(seconds=10)  # every scheduler takes or renews the lease this often, jobs or not


def _take(session: Session, holder: str, now: datetime, ttl: timedelta, name: str) -> bool:
    result = session.exec(sa.update(SchedulerLease)
                          .where(SchedulerLease.name == name,
                                 sa.or_(SchedulerLease.holder == holder, SchedulerLease.expires_at < now))
                          .values(holder=holder, expires_at=now + ttl))
    session.commit()
    return result.rowcount == 1


def acquire(engine: Engine, holder: str, *, now: datetime | None = None, ttl: timedelta = TTL,
            name: str = NAME) -> bool:
    """Take or renew the lease for `holder`; False while another holder's lease is unexpired."""
    now = now or utcnow()
    with Session(engine) as s:
        if _take(s, holder, now, ttl, name):
            return True
        # No row we may take: either none exists yet (insert it) or another holder's is live.
        s.add(SchedulerLease(name=name, holder=holder, expires_at=now + ttl))
        try:
            s.commit()
            return True
        except IntegrityError:  # it exists (maybe inserted just now, by a job of this very holder)
            s.rollback()
            return _take(s, holder, now, ttl, name)


def release(engine: Engine, holder: str, *, name: str = NAME) -> None:
    """Give the lease up at shutdown so another scheduler can take over at once."""
    with Session(engine) as s:
        s.exec(sa.delete(SchedulerLease).where(SchedulerLease.name == name, SchedulerLease.holder == holder))
        s.commit()


def last_period(session: Session, job: str) -> str | None:
    row = session.get(JobRun, job)
    return row.period if row else None


def mark_done(session: Session, job: str, period: str, *, now: datetime | None = None) -> None:
    row = session.get(JobRun, job) or JobRun(name=job, period=period)
    row.period, row.finished_at = period, now or utcnow()
    session.add(row)
