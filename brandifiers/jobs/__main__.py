"""`python -m brandifiers.jobs`: the scheduler as its own process (for several app workers
behind Redis). Safe to start twice: the database lease lets only one of them run jobs.

`python -m brandifiers.jobs rollup | compact | rebuild` runs one metric rollup step now and
exits, printing its counts: `rebuild` recomputes every summary table from the raw snapshots (the
repair for what the incremental run cannot see: deleted snapshots, rows committed late with an
old timestamp). It holds SQLite's write lock for its whole run (about a minute at 5M snapshots),
so run it in a quiet hour."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import threading

from brandifiers.jobs.rollups import STEPS, run_step
from brandifiers.jobs.scheduler import build_scheduler, stop
from brandifiers.migrations import ensure_current


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m brandifiers.jobs",
                                     description="Run the job scheduler, or one metric rollup step now.")
    parser.add_argument("step", nargs="?", choices=sorted(STEPS),
                        help="run this rollup step once and exit (without it: run the scheduler)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    ensure_current()
    if args.step:
        print(json.dumps(run_step(args.step)))
        return
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
