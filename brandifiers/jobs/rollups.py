"""The metric rollup job: what the scheduler calls every BRANDIFIERS_ROLLUP_MINUTES (default 5)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from brandifiers.clock import utcnow
from brandifiers.db import get_engine
from brandifiers.services.rollups import rollups

log = logging.getLogger(__name__)


# What `python -m brandifiers.jobs <step>` runs once (the scheduler runs "rollup" every few minutes
# and "compact" nightly).
STEPS = {"rollup": rollups.run_rollup, "compact": rollups.compact, "rebuild": rollups.rebuild_all}


def run_step(step: str, clock: Callable[[], datetime] = utcnow, url: str | None = None) -> dict:
    """One rollup step (STEPS) on the configured database (or `url`), in its own session.

    Returns the step's counts. A failure is logged and re-raised; the step's transaction was
    rolled back, so nothing is half done."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            result = STEPS[step](session, now=clock())
        except Exception:
            log.exception("metric %s failed", step)
            raise
    log.info("metric %s: %s", step, result)
    return result


def run_rollup(clock: Callable[[], datetime] = utcnow, url: str | None = None) -> dict:
    """One incremental rollup run (what the scheduler calls every BRANDIFIERS_ROLLUP_MINUTES)."""
    return run_step("rollup", clock, url)
