"""Prometheus metrics (event latency by handler, events in flight, job durations, outbox backlog and rollup
age) and the one-line event log; `instrument(app)` times every Reflex event, `exposition()` is /metrics' body.
Design: docs/operations.md."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session

from brandifiers.config import get_settings
from brandifiers.db import get_engine
from brandifiers.services.common import health

log = logging.getLogger("brandifiers.observability")
event_log = logging.getLogger("brandifiers.events")

MULTIPROC_DIR = get_settings().prometheus_multiproc_dir
if MULTIPROC_DIR:  # the folder must exist before the first metric writes its file
    os.makedirs(MULTIPROC_DIR, exist_ok=True)
    # a worker that exits cleanly drops its live gauges (its own pid at exit: workers may be forked after import)
    atexit.register(lambda: multiprocess.mark_process_dead(os.getpid()))

# Foreground events are what a person waits for: their p95 is the figure to watch (docs/operations.md).
EVENT_SECONDS = Histogram("brandifiers_event_duration_seconds", "Reflex event handling time (foreground events)",
                          ["handler"])
# Background events (an export can run for minutes) apart, so they never skew the above.
BACKGROUND_SECONDS = Histogram("brandifiers_background_event_duration_seconds", "Reflex background event run time",
                               ["handler"], buckets=(0.1, 1, 10, 60, 300, 900, 1800, 3600))
EVENT_ERRORS = Counter("brandifiers_event_errors", "Reflex events whose handler raised", ["handler"])
EVENTS_IN_FLIGHT = Gauge("brandifiers_events_in_flight", "Reflex events being handled now", ["kind"],
                         multiprocess_mode="livesum")
JOB_SECONDS = Histogram("brandifiers_job_duration_seconds", "Scheduled job run time (runs under the lease only)",
                        ["job"], buckets=(0.05, 0.25, 1, 5, 15, 30, 60, 120, 300, 600, 1800))
JOB_FAILURES = Counter("brandifiers_job_failures", "Scheduled job runs that failed", ["job"])
# Set from the database at each scrape (whichever worker serves it): the most recent value wins.
OUTBOX_BACKLOG = Gauge("brandifiers_outbox_backlog", "Outbox messages waiting for delivery",
                       multiprocess_mode="livemostrecent")
ROLLUP_AGE = Gauge("brandifiers_rollup_age_seconds", "Seconds since the metric rollups were last brought up to date",
                   multiprocess_mode="livemostrecent")

_log_enabled = True


def handler_name(event_name: str) -> str:
    """`discovery_state.search_influencers` from the full substate path of a registered handler."""
    state_path, _, handler = event_name.rpartition(".")
    state = state_path.rpartition(".")[2]
    return f"{state.rpartition('____')[2] or state}.{handler}" if state else handler


def _ensure_log_output() -> None:
    """Nothing configures the root logger in the app's workers: give the event log a handler of its
    own then (INFO would otherwise be dropped), else leave it to the application's logging."""
    event_log.setLevel(logging.INFO)
    if not event_log.hasHandlers():
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        event_log.addHandler(handler)


def record_event(name: str, seconds: float, outcome: str, background: bool = False) -> None:
    (BACKGROUND_SECONDS if background else EVENT_SECONDS).labels(name).observe(seconds)
    if outcome == "error":
        EVENT_ERRORS.labels(name).inc()
    if _log_enabled:
        event_log.info("event %s %.1fms %s%s", name, seconds * 1000, outcome, " background" if background else "")


def instrument_processor(processor, *, log_events: bool | None = None) -> bool:
    """Time every event `processor` (Reflex's EventProcessor) executes; False when it cannot be wrapped."""
    global _log_enabled
    original = processor._execute_event
    if getattr(original, "brandifiers_timed", False):
        return True

    async def timed(*, entry, registered_handler):
        name = handler_name(entry.event.name)  # a registered handler's name: bounded, never user input
        background = bool(registered_handler.handler.is_background)
        in_flight = EVENTS_IN_FLIGHT.labels("background" if background else "foreground")
        in_flight.inc()
        outcome, start = "error", time.perf_counter()
        try:
            await original(entry=entry, registered_handler=registered_handler)
            outcome = "ok"
        except asyncio.CancelledError:
            outcome = "cancelled"
            raise
        finally:
            in_flight.dec()
            record_event(name, time.perf_counter() - start, outcome, background)

    timed.brandifiers_timed = True
    try:
        processor._execute_event = timed  # the instance's own attribute shadows the class's method
    except AttributeError:  # a future Reflex whose processor has no __dict__
        log.warning("Reflex events are not timed: %s cannot be wrapped", type(processor).__name__)
        return False
    _log_enabled = get_settings().event_log if log_events is None else log_events
    if _log_enabled:
        _ensure_log_output()
    return True


def instrument(app) -> None:
    """Time every Reflex event of `app`. Reflex 0.10.1 never calls Middleware.postprocess, and creates its
    event processor in a lifespan task registered when the app is made; this lifespan task runs after it
    and wraps the processor's `_execute_event` (what runs one event: state lock, handler, delta)."""
    @contextlib.asynccontextmanager
    async def time_reflex_events():
        processor = getattr(app, "_event_processor", None)
        if processor is None:
            log.warning("Reflex events are not timed: the app has no event processor")
        else:
            instrument_processor(processor)
        yield

    app.register_lifespan_task(time_reflex_events)


@contextlib.contextmanager
def timed_job(name: str) -> Iterator[None]:
    """Observe the duration of one job run (a failure is counted too, and re-raised)."""
    start = time.perf_counter()
    try:
        yield
    except Exception:
        JOB_FAILURES.labels(name).inc()
        raise
    finally:
        JOB_SECONDS.labels(name).observe(time.perf_counter() - start)


def refresh_gauges(engine: Engine | None = None) -> None:
    """The outbox backlog and the rollup age, read now (NaN when the database does not answer)."""
    try:
        with Session(engine or get_engine()) as session:
            backlog, age = health.outbox_backlog(session), health.rollup_age_seconds(session)
    except Exception as exc:  # a scrape must answer even when the database does not
        log.warning("metrics: database figures unreadable: %s", type(exc).__name__)
        backlog = age = None
    OUTBOX_BACKLOG.set(float("nan") if backlog is None else backlog)
    ROLLUP_AGE.set(float("nan") if age is None else age)


def exposition(engine: Engine | None = None) -> tuple[bytes, str]:
    """(body, content type) of the Prometheus text format, every worker's figures summed in multiprocess mode."""
    refresh_gauges(engine)
    registry = REGISTRY
    if MULTIPROC_DIR:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST
