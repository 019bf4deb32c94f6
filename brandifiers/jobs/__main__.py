"""`python -m brandifiers.jobs`: the scheduler as its own process (safe to start twice: the lease), or
`python -m brandifiers.jobs rollup | compact | rebuild`: one metric rollup step now, printing its
counts (a failed step raises). Design: docs/jobs.md."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import time

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
    # The handlers only note the signal and the main thread looks twice a second: an Event set by the
    # handler hung about one stop in four (a signal delivered to another thread, e.g. one that numpy
    # starts at import, does not wake Event.wait), and blocking the signals for sigwait cannot reach
    # threads started before it (SIGTERM then killed the process before it gave its lease up).
    stopping: list[int] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda signum, _frame: stopping.append(signum))
    scheduler = build_scheduler()
    scheduler.start()
    logging.getLogger("brandifiers.jobs").info("scheduler started (holder %s)", scheduler.jobs_runner.holder)
    while not stopping:
        time.sleep(0.5)
    stop(scheduler)


if __name__ == "__main__":
    main()
