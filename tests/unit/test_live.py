"""Live updates: a committed notification reaches a listener on each channel (in-process, PostgreSQL
LISTEN/NOTIFY, Redis pub/sub on database 11), once per transaction, never on rollback."""

from __future__ import annotations

import os
import queue
import threading
import time

import pytest
import redis
from sqlmodel import Session

from brandifiers.services.common import live, notify
from tests.unit.factories import influencer

REDIS_URL = os.environ.get("BRANDIFIERS_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def heard(engine, monkeypatch):
    """A listener on the channel this database uses (Redis never configured here): the queue it fills."""
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    got: queue.Queue = queue.Queue()
    stop = threading.Event()
    live.listen(got.put, stop, db_url=url, redis_url="")
    time.sleep(0.3)  # LISTEN is issued by the listener's thread
    yield got
    stop.set()


def _drain(got: queue.Queue, wait: float) -> list[list[int]]:
    out, deadline = [], time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            out.append(got.get(timeout=max(0.01, deadline - time.monotonic())))
        except queue.Empty:
            break
    return out


def test_kind_follows_the_configuration():
    assert live.kind("sqlite:///x.db", "") == "memory"
    assert live.kind("postgresql://u@h/db", "") == "postgresql"
    assert live.kind("sqlite:///x.db", "redis://h:6379/0") == "redis"
    assert live.redis_channel("sqlite:///a.db") != live.redis_channel("sqlite:///b.db")


def test_notifications_reach_the_listener_once_per_commit(engine, heard, monkeypatch):
    if engine.dialect.name == "sqlite":  # the in-process channel: the app's one worker on SQLite
        monkeypatch.setattr(live, "_db_url", lambda: engine.url.render_as_string(hide_password=False))
    with Session(engine, expire_on_commit=False) as session:
        a, b = influencer(session), influencer(session)
        session.commit()
        notify.notify(session, a.id, "x", "one")
        notify.notify(session, b.id, "x", "two")
        notify.notify(session, a.id, "x", "three")
        assert _drain(heard, 0.3) == []  # nothing before the commit
        session.commit()
    assert _drain(heard, 2.0) == [sorted([a.id, b.id])]


def test_a_rolled_back_notification_wakes_nobody(engine, heard, monkeypatch):
    if engine.dialect.name == "sqlite":
        monkeypatch.setattr(live, "_db_url", lambda: engine.url.render_as_string(hide_password=False))
    with Session(engine, expire_on_commit=False) as session:
        a = influencer(session)
        session.commit()
        notify.notify(session, a.id, "x", "gone")
        session.rollback()
        notify.notify(session, a.id, "x", "kept")
        session.commit()
    assert _drain(heard, 1.5) == [[a.id]]


def test_a_stopped_listener_hears_nothing(engine):
    url = engine.url.render_as_string(hide_password=False)
    got: queue.Queue = queue.Queue()
    stop = threading.Event()
    live.listen(got.put, stop, db_url=url, redis_url="")
    time.sleep(0.3)
    stop.set()
    time.sleep(1.2)  # the listener's thread notices within its 1 s wait
    live.publish([7], engine=engine, redis_url="")
    if live.kind(url, "") == "memory":
        live.publish([7], db_url=url, redis_url="")
    assert _drain(got, 0.5) == []


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_redis_channel_across_listeners_of_one_site_only():
    """Two workers of one site both hear a publish; a listener of another database's site does not."""
    mine, other = queue.Queue(), queue.Queue()
    stops = [threading.Event(), threading.Event(), threading.Event()]
    second = queue.Queue()
    live.listen(mine.put, stops[0], db_url="sqlite:///site-a.db", redis_url=REDIS_URL)
    live.listen(second.put, stops[1], db_url="sqlite:///site-a.db", redis_url=REDIS_URL)
    live.listen(other.put, stops[2], db_url="sqlite:///site-b.db", redis_url=REDIS_URL)
    time.sleep(0.5)
    try:
        live.publish([3, 1, 3], db_url="sqlite:///site-a.db", redis_url=REDIS_URL)
        assert _drain(mine, 2.0) == [[1, 3]]
        assert _drain(second, 0.5) == [[1, 3]]
        assert _drain(other, 0.5) == []
    finally:
        for s in stops:
            s.set()


def test_bad_payloads_are_dropped_without_a_traceback_reaching_the_caller():
    got = []
    live._deliver(got.append, '"not a list"')
    live._deliver(got.append, "{broken")
    live._deliver(got.append, '[1, "2", "x", null]')
    assert got == [[1, 2]]
