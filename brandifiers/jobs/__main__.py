"""`python -m brandifiers.jobs`: the scheduler as its own process (safe to start twice: the lease), or
`python -m brandifiers.jobs rollup | compact | rebuild`: one metric rollup step now, printing its
counts (a failed step raises). Design: docs/jobs.md."""

from __future__ import annotations

import argparse
import json
import logging
import signal

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
    # Ctrl-C and SIGTERM are taken by sigwait, not by a handler: with the scheduler's threads running,
    # a handler setting an Event left the process hanging about one stop in four when both signals
    # came together (a terminal's Ctrl-C and brandifiers.sh's SIGTERM). Blocked before any thread
    # starts, so every thread inherits the block and only sigwait sees them.
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    scheduler = build_scheduler()
    scheduler.start()
    logging.getLogger("brandifiers.jobs").info("scheduler started (holder %s)", scheduler.jobs_runner.holder)
    signal.sigwait(stop_signals)
    stop(scheduler)


if __name__ == "__main__":
    main()
