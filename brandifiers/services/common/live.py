"""Live updates across workers: `signal_after_commit(session, user_ids)` names the users a change concerns;
`listen(callback)` hears them in every worker, over Redis pub/sub, PostgreSQL LISTEN/NOTIFY or (one process)
an in-process channel. How the tabs are woken: docs/live-updates.md."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from sqlmodel import Session

from brandifiers.config import get_settings
from brandifiers.services.common.parse import is_digits
from brandifiers.services.common.transactions import after_outcome

log = logging.getLogger(__name__)

PG_CHANNEL = "brandifiers_live"
_PENDING = "brandifiers.live_pending"  # session.info key: the user ids waiting for this transaction's commit
_PG_PAYLOAD_MAX = 7000  # NOTIFY payloads must stay under 8000 bytes
_local: list[Callable[[list[int]], None]] = []
_local_lock = threading.Lock()
_redis_clients: dict[str, object] = {}


def _db_url() -> str:
    return get_settings().db_url


def _redis_url() -> str:
    return os.environ.get("REFLEX_REDIS_URL", "")


def kind(db_url: str | None = None, redis_url: str | None = None) -> str:
    """'redis' when Redis is configured, 'postgresql' on PostgreSQL, else 'memory' (one process)."""
    if redis_url if redis_url is not None else _redis_url():
        return "redis"
    if (db_url or _db_url()).startswith("postgresql"):
        return "postgresql"
    return "memory"


def redis_channel(db_url: str | None = None) -> str:
    """One channel per database, so two sites sharing a Redis server never wake each other's tabs."""
    return "brandifiers:live:" + hashlib.sha256((db_url or _db_url()).encode()).hexdigest()[:16]


def signal_after_commit(session: Session, user_ids: Iterable[int]) -> None:
    """Tell every worker, once the session's transaction commits, that these users have news.
    Several calls in one transaction publish once."""
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = set()
        bind = session.get_bind()

        def flush() -> None:
            ids = session.info.pop(_PENDING, set())
            if ids:
                publish(ids, engine=bind)
        after_outcome(session, flush, lambda: session.info.pop(_PENDING, None))
    pending.update(int(u) for u in user_ids)


def publish(user_ids: Iterable[int], *, engine: sa.engine.Engine | None = None, db_url: str | None = None,
            redis_url: str | None = None) -> None:
    """Send the user ids to every worker now, NOTIFY going through `engine` (default: the configured
    database's). Failures are logged: a missed wake-up is not a lost change."""
    ids = sorted({int(u) for u in user_ids})
    if not ids:
        return
    how = kind(engine.url.render_as_string(hide_password=False) if engine is not None else db_url, redis_url)
    try:
        if how == "redis":
            _redis(redis_url or _redis_url()).publish(redis_channel(db_url), json.dumps(ids))
        elif how == "postgresql":
            if engine is None:
                from brandifiers.db import get_engine

                engine = get_engine(db_url)
            with engine.connect() as conn:
                for chunk in _chunks(ids):
                    conn.execute(sa.text("SELECT pg_notify(:c, :p)"), {"c": PG_CHANNEL, "p": json.dumps(chunk)})
                conn.commit()
        else:
            with _local_lock:
                listeners = list(_local)
            for callback in listeners:
                callback(ids)
    except Exception:
        log.exception("live update for users %s not published", ids[:20])


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    step = _PG_PAYLOAD_MAX // 12
    for i in range(0, len(ids), step):
        yield ids[i:i + step]


def _redis(url: str):
    client = _redis_clients.get(url)
    if client is None:
        import redis

        client = _redis_clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return client


def listen(callback: Callable[[list[int]], None], stop: threading.Event, *, db_url: str | None = None,
           redis_url: str | None = None) -> threading.Thread | None:
    """Call `callback(user_ids)` for every publish, from a daemon thread (Redis, PostgreSQL) or from the
    publishing thread (memory), until `stop` is set. Returns the thread, if any."""
    how = kind(db_url, redis_url)
    if how == "memory":
        with _local_lock:
            _local.append(callback)

        def forget() -> None:
            stop.wait()
            with _local_lock:
                if callback in _local:
                    _local.remove(callback)
        thread = threading.Thread(target=forget, name="live-memory", daemon=True)
    elif how == "redis":
        url, channel = redis_url or _redis_url(), redis_channel(db_url)
        thread = threading.Thread(target=_retrying, args=(_listen_redis, (url, channel, callback, stop), stop),
                                  name="live-redis", daemon=True)
    else:
        url = sa.engine.make_url(db_url or _db_url()).set(drivername="postgresql").render_as_string(
            hide_password=False)
        thread = threading.Thread(target=_retrying, args=(_listen_pg, (url, callback, stop), stop),
                                  name="live-postgresql", daemon=True)
    thread.start()
    return thread


def _retrying(fn, args, stop: threading.Event) -> None:
    """Keep a listener alive: reconnect after a lost connection, backing off up to 10 s."""
    delay = 0.5
    while not stop.is_set():
        try:
            fn(*args)
            delay = 0.5
        except Exception:
            log.exception("live update listener lost its connection; reconnecting in %.1f s", delay)
            stop.wait(delay)
            delay = min(delay * 2, 10.0)


def _deliver(callback, payload) -> None:
    try:
        ids = json.loads(payload)
        if isinstance(ids, list):
            callback([int(i) for i in ids if isinstance(i, int) or is_digits(str(i))])
    except Exception:
        log.exception("live update %r not delivered", payload)


def _listen_redis(url: str, channel: str, callback, stop: threading.Event) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, health_check_interval=30)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    try:
        pubsub.subscribe(channel)
        while not stop.is_set():
            message = pubsub.get_message(timeout=1.0)
            if message and message.get("type") == "message":
                _deliver(callback, message["data"])
    finally:
        pubsub.close()
        client.close()


def _listen_pg(url: str, callback, stop: threading.Event) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"LISTEN {PG_CHANNEL}")
        while not stop.is_set():
            for note in conn.notifies(timeout=1.0):
                _deliver(callback, note.payload)
