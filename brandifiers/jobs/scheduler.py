"""The APScheduler set-up for background jobs. Not started here: the integrator starts it in
exactly one process (see ARCHITECTURE.md: lifespan tasks run in every backend worker)."""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler

from brandifiers.config import get_settings
from brandifiers.jobs.rollups import run_rollup

ROLLUP_JOB_ID = "metric-rollup"


def build_scheduler(scheduler: BackgroundScheduler | None = None, *, rollup_minutes: int | None = None):
    """A scheduler (a new BackgroundScheduler unless given) with the jobs registered, not started."""
    scheduler = scheduler or BackgroundScheduler(timezone="UTC")
    minutes = rollup_minutes or get_settings().rollup_minutes
    scheduler.add_job(run_rollup, "interval", minutes=minutes, id=ROLLUP_JOB_ID, replace_existing=True,
                      max_instances=1, coalesce=True)
    return scheduler
