"""The health of the platform as one JSON-ready dict: the database (SELECT 1), Redis (PING), the scheduler
lease, the outbox backlog and the rollups' age; takes an Engine, raises nothing. Design: docs/operations.md."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

import redis
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.models.jobs import OutboxMessage, SchedulerLease
from brandifiers.models.rollups import RollupWatermark
from brandifiers.services.common import lease

log = logging.getLogger("brandifiers.health")

OK, DEGRADED, UNAVAILABLE = "ok", "degraded", "unavailable"
BACKLOG_STATUSES = ("pending", "sending")  # not delivered yet and not given up (failed, held: the admin's call)
REDIS_TIMEOUT = 1.0  # seconds, connect and reply: a health check must answer even when Redis hangs


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _reason(exc: BaseException) -> str:
    """The error class and the first line of the driver's message (no SQL, no traceback)."""
    cause = getattr(exc, "orig", None) or exc
    first = (str(cause).strip().splitlines() or [""])[0][:200]
    return f"{type(cause).__name__}: {first}" if first else type(cause).__name__


def outbox_backlog(session: Session) -> int:
    """Messages waiting for delivery (pending, or claimed by a run that is sending them)."""
    return session.exec(select(func.count()).select_from(OutboxMessage)
                        .where(OutboxMessage.status.in_(BACKLOG_STATUSES))).one()


def rollup_age_seconds(session: Session, now: datetime | None = None) -> float | None:
    """Seconds since the last rollup run brought its watermark up to date (None: never ran)."""
    refreshed = _aware(session.exec(select(func.max(RollupWatermark.refreshed_at))).first())
    return None if refreshed is None else round(((now or utcnow()) - refreshed).total_seconds(), 1)


def scheduler_lease(session: Session, mode: str, now: datetime | None = None) -> dict:
    """Who holds the scheduler lease and until when; `ok` is False when a scheduler is expected
    (mode embedded or separate) and no unexpired lease is held."""
    if mode == "off":
        return {"status": "off", "mode": mode, "ok": True}
    now = now or utcnow()
    row = session.get(SchedulerLease, lease.NAME)
    expires = _aware(row.expires_at) if row is not None else None
    if row is None or expires < now:
        return {"status": "missing", "mode": mode, "ok": False,
                "holder": row.holder if row else None, "expired_at": expires.isoformat() if expires else None}
    return {"status": "held", "mode": mode, "ok": True, "holder": row.holder, "expires_at": expires.isoformat(),
            "expires_in_seconds": round((expires - now).total_seconds(), 1)}


def database(engine: Engine) -> dict:
    start = time.perf_counter()
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any failure to answer is "down", reported rather than raised
        log.warning("health: database down: %s", _reason(exc))
        return {"status": "down", "ok": False, "error": _reason(exc)}
    return {"status": "ok", "ok": True, "latency_ms": round((time.perf_counter() - start) * 1000, 2)}


def redis_status(redis_url: str | None, timeout: float = REDIS_TIMEOUT) -> dict:
    if not redis_url:
        return {"status": "not configured", "ok": True}
    start = time.perf_counter()
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except Exception as exc:  # redis.RedisError, or a bad URL: down either way
        log.warning("health: redis down: %s", _reason(exc))
        return {"status": "down", "ok": False, "error": _reason(exc)}
    finally:
        client.close()
    return {"status": "ok", "ok": True, "latency_ms": round((time.perf_counter() - start) * 1000, 2)}


def check(engine: Engine, redis_url: str | None, scheduler_mode: str, *, now: datetime | None = None,
          redis_timeout: float = REDIS_TIMEOUT) -> dict:
    """{"status": ok|degraded|unavailable, "database", "redis", "scheduler", "outbox_backlog",
    "rollup_age_seconds"}: unavailable when the database does not answer; degraded when Redis is
    configured but down, or a scheduler is expected and holds no lease."""
    now = now or utcnow()
    result = {"status": OK, "checked_at": now.isoformat(), "database": database(engine),
              "redis": redis_status(redis_url, redis_timeout), "scheduler": None,
              "outbox_backlog": None, "rollup_age_seconds": None}
    if not result["database"]["ok"]:
        result["status"] = UNAVAILABLE
        return result
    try:
        with Session(engine) as session:
            result["scheduler"] = scheduler_lease(session, scheduler_mode, now)
            result["outbox_backlog"] = outbox_backlog(session)
            result["rollup_age_seconds"] = rollup_age_seconds(session, now)
    except Exception as exc:  # the database answers but its tables do not (e.g. not migrated)
        log.warning("health: figures unreadable: %s", _reason(exc))
        result["error"] = _reason(exc)
        result["status"] = DEGRADED
    if not result["redis"]["ok"] or (result["scheduler"] and not result["scheduler"]["ok"]):
        result["status"] = DEGRADED
    return result
