"""`python -m brandifiers.jobs`: the scheduler as its own process (for several app workers
behind Redis). Safe to start twice: the database lease lets only one of them run jobs."""

from __future__ import annotations

import logging
import signal
import threading

from brandifiers.jobs.scheduler import build_scheduler, stop
from brandifiers.migrations import ensure_current


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    ensure_current()
    scheduler = build_scheduler()
    scheduler.start()
    logging.getLogger("brandifiers.jobs").info("scheduler started (holder %s)", scheduler.jobs_runner.holder)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    stop(scheduler)


if __name__ == "__main__":
    main()
