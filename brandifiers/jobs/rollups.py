"""The metric rollup job: what the scheduler calls every BRANDIFIERS_ROLLUP_MINUTES (default 5)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from brandifiers.clock import utcnow
from brandifiers.db import get_engine
from brandifiers.services import rollups

log = logging.getLogger(__name__)


def run_rollup(clock: Callable[[], datetime] = utcnow, url: str | None = None) -> dict:
    """One incremental rollup run on the configured database (or `url`), in its own session.

    Returns the run's counts. A failure is logged and re-raised; the run's transaction was
    rolled back, so the next run starts from the same watermark."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            result = rollups.run_rollup(session, now=clock())
        except Exception:
            log.exception("metric rollup failed")
            raise
    log.info("metric rollup: %s", result)
    return result
