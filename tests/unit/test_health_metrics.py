"""Operations: /_health (the database, Redis, the scheduler lease, the outbox backlog, the rollups' age) and
/metrics (events timed through Reflex's real event processor, scheduled jobs, several workers' figures)."""

from __future__ import annotations

import asyncio
import logging
import math
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
import reflex as rx
import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families
from reflex.event import Event
from reflex.istate.manager.memory import StateManagerMemory
from reflex_base.event.processor import BaseStateEventProcessor
from starlette.applications import Starlette
from starlette.testclient import TestClient

from brandifiers import observability
from brandifiers.api import api
from brandifiers.db import get_engine
from brandifiers.jobs.scheduler import Jobs
from brandifiers.models.jobs import OutboxMessage
from brandifiers.services.common import health, lease
from brandifiers.services.messaging import outbox
from brandifiers.services.rollups import rollups

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
REDIS_TEST_URL = "redis://127.0.0.1:6379/14"
ROOT = Path(__file__).resolve().parents[2]


class OpsProbeState(rx.State):
    """A real Reflex state whose events the instrumented processor runs."""

    hits: int = 0

    @rx.event
    def ping(self):
        self.hits += 1

    @rx.event
    def fail(self):
        raise RuntimeError("probe failure")


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch):
    for name in ("REFLEX_REDIS_URL", "BRANDIFIERS_SCHEDULER", "BRANDIFIERS_EVENT_LOG"):
        monkeypatch.delenv(name, raising=False)


def _bad_url(db_url: str, tmp_path: Path) -> str:
    """A URL of the same backend that cannot be connected to."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path}/no-such-folder/brandifiers.db"
    return sa.engine.make_url(db_url).set(database="brandifiers_no_such_database").render_as_string(False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _enqueue(session, n: int) -> list[OutboxMessage]:
    return [outbox.enqueue(session, kind="reminder.daily", channel="email", recipient=f"u{i}@example.com",
                           period="2026-12-01", subject="Reminder", text="You have requests waiting.", now=T0)
            for i in range(n)]


def _scrape(client: TestClient) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def _value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


# --- health ------------------------------------------------------------------------------------

def test_health_is_ok_with_a_live_database_and_a_held_lease(engine, session):
    assert lease.acquire(engine, "web-1:4242:abcd1234", now=T0 - timedelta(seconds=30))
    rollups.run_rollup(session, now=T0 - timedelta(hours=2))
    result = health.check(engine, None, "embedded", now=T0)
    assert result["status"] == "ok"
    assert result["database"]["status"] == "ok" and 0 <= result["database"]["latency_ms"] < 5000
    assert result["redis"] == {"status": "not configured", "ok": True}
    assert result["scheduler"]["status"] == "held"
    assert result["scheduler"]["holder"] == "web-1:4242:abcd1234"
    assert result["scheduler"]["expires_in_seconds"] == (lease.TTL - timedelta(seconds=30)).total_seconds()
    assert datetime.fromisoformat(result["scheduler"]["expires_at"]) == T0 - timedelta(seconds=30) + lease.TTL
    assert result["outbox_backlog"] == 0
    assert result["rollup_age_seconds"] == 7200.0


def test_no_lease_is_degraded_when_a_scheduler_is_expected(engine):
    result = health.check(engine, None, "separate", now=T0)
    assert result["status"] == "degraded"
    assert result["scheduler"]["status"] == "missing" and result["scheduler"]["holder"] is None
    assert result["rollup_age_seconds"] is None  # never ran

    assert lease.acquire(engine, "jobs-1:7:ffff0000", now=T0 - timedelta(minutes=5))  # expired minutes ago
    expired = health.check(engine, None, "embedded", now=T0)
    assert expired["status"] == "degraded"
    assert expired["scheduler"]["status"] == "missing" and expired["scheduler"]["holder"] == "jobs-1:7:ffff0000"

    off = health.check(engine, None, "off", now=T0)
    assert off["status"] == "ok" and off["scheduler"]["status"] == "off"


def test_a_database_that_does_not_answer_is_unavailable(db_url, tmp_path):
    result = health.check(get_engine(_bad_url(db_url, tmp_path)), None, "embedded", now=T0)
    assert result["status"] == "unavailable"
    assert result["database"]["status"] == "down"
    assert "OperationalError" in result["database"]["error"] and "Traceback" not in result["database"]["error"]
    assert result["outbox_backlog"] is None and result["scheduler"] is None


def test_the_health_route_answers_503_when_unavailable_and_200_otherwise(engine, db_url, tmp_path, monkeypatch):
    client = TestClient(api)
    monkeypatch.setenv("BRANDIFIERS_SCHEDULER", "off")
    live = client.get("/_health")
    assert live.status_code == 200 and live.json()["status"] == "ok"
    assert live.json()["scheduler"]["status"] == "off"

    monkeypatch.delenv("BRANDIFIERS_SCHEDULER")  # embedded by default, and nothing holds the lease
    degraded = client.get("/_health")
    assert degraded.status_code == 200 and degraded.json()["status"] == "degraded"

    monkeypatch.setenv("REFLEX_DB_URL", _bad_url(db_url, tmp_path))
    down = client.get("/_health")
    assert down.status_code == 503
    assert down.json()["status"] == "unavailable"
    assert "Traceback" not in down.text


def test_redis_not_configured_ok_and_unreachable(engine):
    assert health.redis_status(None) == {"status": "not configured", "ok": True}

    unreachable = f"redis://127.0.0.1:{_free_port()}/14"
    result = health.check(engine, unreachable, "off", now=T0, redis_timeout=0.5)
    assert result["status"] == "degraded"
    assert result["redis"]["status"] == "down" and "ConnectionError" in result["redis"]["error"]

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError as err:
        pytest.skip(f"Redis is not running on 127.0.0.1:6379: {err}")
    live = health.check(engine, REDIS_TEST_URL, "off", now=T0)
    assert live["status"] == "ok"
    assert live["redis"]["status"] == "ok" and live["redis"]["latency_ms"] >= 0


def test_the_outbox_backlog_counts_real_undelivered_rows(engine, session):
    messages = _enqueue(session, 5)
    messages[0].status, messages[1].status, messages[2].status = "sent", "failed", "sending"
    session.commit()
    assert health.outbox_backlog(session) == 3  # two pending, one being sent
    assert health.check(engine, None, "off", now=T0)["outbox_backlog"] == 3
    samples = _scrape(TestClient(api))
    assert _value(samples, "brandifiers_outbox_backlog") == 3.0
    assert math.isnan(_value(samples, "brandifiers_rollup_age_seconds"))  # the rollups never ran


# --- metrics -----------------------------------------------------------------------------------

def test_a_job_run_shows_in_the_job_histogram(engine, db_url, monkeypatch):
    client = TestClient(api)
    before = _scrape(client)
    jobs_a = Jobs(db_url, holder="metrics-test-a")
    assert jobs_a.run("outbox") == {}
    assert Jobs(db_url, holder="metrics-test-b").run("outbox") is None  # skipped: a holds the lease
    after = _scrape(client)
    count = "brandifiers_job_duration_seconds_count"
    assert _value(after, count, job="outbox") - _value(before, count, job="outbox") == 1
    took = (_value(after, "brandifiers_job_duration_seconds_sum", job="outbox")
            - _value(before, "brandifiers_job_duration_seconds_sum", job="outbox"))
    assert 0 < took < 60

    def broken(*_args, **_kwargs):
        raise RuntimeError("mail server exploded")

    monkeypatch.setattr(outbox, "deliver_due", broken)
    assert jobs_a.run("outbox") is None  # logged, not raised
    failed = _scrape(client)
    assert (_value(failed, "brandifiers_job_failures_total", job="outbox")
            - _value(after, "brandifiers_job_failures_total", job="outbox")) == 1
    assert _value(failed, count, job="outbox") - _value(after, count, job="outbox") == 1


async def _run_events(names: list[str], *, log_events: bool) -> None:
    """The events through Reflex's own event processor (in-memory state), instrumented."""
    processor = BaseStateEventProcessor()
    processor.configure(state_manager=StateManagerMemory())
    async with processor:
        assert observability.instrument_processor(processor, log_events=log_events)
        for name in names:
            future = await processor.enqueue("ops-probe-token", Event(name=f"{OpsProbeState.get_full_name()}.{name}",
                                                                      payload={}))
            try:
                await future.wait_all()
            except RuntimeError as err:
                assert str(err) == "probe failure"


def test_reflex_events_are_timed_by_short_handler_name_and_logged(engine, caplog):
    client = TestClient(api)
    before = _scrape(client)
    with caplog.at_level(logging.INFO, logger="brandifiers.events"):
        asyncio.run(_run_events(["ping", "ping", "ping", "fail"], log_events=True))
    after = _scrape(client)

    def delta(name, **labels):
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert delta("brandifiers_event_duration_seconds_count", handler="ops_probe_state.ping") == 3
    assert 0 < delta("brandifiers_event_duration_seconds_sum", handler="ops_probe_state.ping") < 10
    assert delta("brandifiers_event_duration_seconds_count", handler="ops_probe_state.fail") == 1
    assert delta("brandifiers_event_errors_total", handler="ops_probe_state.fail") == 1
    assert _value(after, "brandifiers_events_in_flight", kind="foreground") == 0
    handlers = {dict(labels).get("handler") for (_name, labels) in after if dict(labels).get("handler")}
    assert not [h for h in handlers if "___" in h]  # never the full substate path
    lines = [r.getMessage() for r in caplog.records if r.name == "brandifiers.events"]
    assert len([line for line in lines if line.startswith("event ops_probe_state.ping ")]) == 3
    assert all(line.endswith("ms ok") for line in lines if "ping" in line)
    assert [line for line in lines if "fail" in line][0].endswith("ms error")


def test_the_event_log_can_be_turned_off(monkeypatch, caplog):
    monkeypatch.setenv("BRANDIFIERS_EVENT_LOG", "0")
    with caplog.at_level(logging.INFO, logger="brandifiers.events"):
        asyncio.run(_run_events(["ping"], log_events=None))  # None: the setting decides
    assert [r for r in caplog.records if r.name == "brandifiers.events"] == []


def test_instrument_wraps_the_event_processor_a_real_app_creates_at_startup():
    app = rx.App()
    observability.instrument(app)

    async def start_and_look() -> bool:
        async with app._run_lifespan_tasks(Starlette()):
            return getattr(app._event_processor._execute_event, "brandifiers_timed", False)

    assert asyncio.run(start_and_look())


def test_handler_names_are_short():
    full = ("reflex___state____state.brandifiers___state___auth____auth_state.brandifiers___state___base____role_"
            "state.brandifiers___state___discovery____discovery_state.search_influencers")
    assert observability.handler_name(full) == "discovery_state.search_influencers"
    assert observability.handler_name("reflex___state____state.hydrate") == "state.hydrate"


_WORKER = """
import sys
from brandifiers import observability
with observability.timed_job("outbox"):
    pass
if sys.argv[1] == "scrape":
    sys.stdout.write(observability.exposition()[0].decode())
"""


def test_several_workers_figures_are_summed_with_prometheus_multiproc_dir(engine, db_url, tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"), "REFLEX_DB_URL": db_url}
    for role in ("worker", "worker", "scrape"):
        done = subprocess.run([sys.executable, "-c", _WORKER, role], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    samples = {(s.name, frozenset(s.labels.items())): s.value
               for family in text_string_to_metric_families(done.stdout) for s in family.samples}
    assert _value(samples, "brandifiers_job_duration_seconds_count", job="outbox") == 3  # three processes
    assert _value(samples, "brandifiers_outbox_backlog") == 0
