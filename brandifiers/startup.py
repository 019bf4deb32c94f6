"""Start-up work shared by the app's lifespan and the set-up scripts (no reflex import)."""

from __future__ import annotations

import contextlib
import logging
import sys

from sqlalchemy.exc import IntegrityError

from brandifiers.db import get_engine, session_scope
from brandifiers.migrations import SchemaNotCurrent, ensure_current
from brandifiers.services.accounts.auth import ensure_admin
from brandifiers.services.discovery import medians

log = logging.getLogger("brandifiers")


def prepare_database() -> None:
    """Refuse an unmigrated database; create the first admin once; start computing the category
    medians of the fit score in the background (so no search has to wait for them)."""
    try:
        ensure_current(get_engine())
    except SchemaNotCurrent as exc:
        print(f"\n*** Brandifiers refuses to start: {exc}\n", file=sys.stderr, flush=True)
        raise
    medians.warm(get_engine())
    try:
        with session_scope() as session:
            created = ensure_admin(session)
    except IntegrityError:  # another worker created it at the same moment
        return
    if created:
        email, password = created
        if password:
            banner = (f"\n{'=' * 64}\n  First admin account created (shown only this once):\n"
                      f"    e-mail:   {email}\n    password: {password}\n"
                      f"  Set BRANDIFIERS_ADMIN_EMAIL / BRANDIFIERS_ADMIN_PASSWORD to choose them.\n{'=' * 64}\n")
        else:
            banner = f"\nFirst admin account created from BRANDIFIERS_ADMIN_EMAIL: {email}\n"
        print(banner, file=sys.stderr, flush=True)


@contextlib.asynccontextmanager
async def scheduled_jobs():
    """Run the job scheduler inside the app in the embedded default (no Redis, one worker);
    with several workers it runs as `python -m brandifiers.jobs` instead. Either way the
    database lease keeps a second scheduler idle."""
    from brandifiers.jobs.scheduler import build_scheduler, scheduler_mode, stop

    scheduler = None
    if scheduler_mode() == "embedded":
        scheduler = build_scheduler()
        scheduler.start()
        log.info("job scheduler started in the app process (holder %s)", scheduler.jobs_runner.holder)
    try:
        yield
    finally:
        if scheduler is not None:
            stop(scheduler)
