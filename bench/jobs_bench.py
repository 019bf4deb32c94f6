"""Benchmark: the background jobs. Prints a table.

    .venv/bin/python bench/jobs_bench.py [--dir /tmp/brandifiers-jobs-bench]

1. CSV export of one sponsor with 10,000 campaigns and 100,000 ad requests (+ its metric rows):
   target <= 10 s and peak memory <= 500 MB.
2. The monthly report job for 1,000 sponsors, without an SMTP server (reports rendered, PDFs
   made, e-mails queued in the outbox): target <= 60 s.
Each database is seeded once with brandifiers.seed at a custom scale (kept in --dir and reused);
each measured job runs in a fresh child process so that its peak memory (ru_maxrss) is its own."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, func, select  # noqa: E402

from brandifiers.db import get_engine  # noqa: E402
from brandifiers.migrations import upgrade  # noqa: E402
from brandifiers.seed import Scale, is_empty, seed  # noqa: E402

EXPORT_SCALE = Scale(1, 0, 2_000, 10_000, 100_000, 300_000)
REPORT_SCALE = Scale(1_000, 0, 5_000, 5_000, 150_000, 600_000)  # ~12 requests a month each


def prepare(path: Path, scale: Scale) -> str:
    url = f"sqlite:///{path}"
    engine = get_engine(url)
    upgrade(engine)
    with Session(engine) as s:
        if not is_empty(s):
            return url
    print(f"seeding {path} ...", file=sys.stderr)
    seed(engine, scale, log=lambda m: print(m, file=sys.stderr))
    from brandifiers.services.rollups import rollups
    with Session(engine) as s:
        rollups.rebuild_all(s)
        s.commit()
    return url


def child(kind: str, url: str, export_dir: str) -> dict:
    """Run one job in this (fresh) process and return its figures."""
    os.environ["BRANDIFIERS_EXPORT_DIR"] = export_dir
    engine = get_engine(url)
    from brandifiers.models import AdRequest, Campaign, User
    if kind == "export":
        from brandifiers.services.records import exports
        with Session(engine) as s:
            top = s.exec(select(Campaign.sponsor_id).group_by(Campaign.sponsor_id)
                         .order_by(func.count().desc()).limit(1)).one()
            sponsor = s.get(User, top)
            sponsor.status = "active"  # the seed may have drawn this one as flagged
            s.add(sponsor)
            s.commit()
            campaigns = s.exec(select(func.count()).select_from(Campaign)
                               .where(Campaign.sponsor_id == sponsor.id)).one()
            requests = s.exec(select(func.count()).select_from(AdRequest)
                              .where(AdRequest.sponsor_id == sponsor.id)).one()
            job = exports.start_export(s, sponsor.id, {"include_ad_requests": "on", "include_metrics": "on"})
            s.commit()
            job_id = job.id
        t0 = time.perf_counter()
        job = exports.run_export(engine, job_id)
        seconds = time.perf_counter() - t0
        detail = f"{campaigns:,} campaigns, {requests:,} requests, {job.rows:,} rows in all, " \
                 f"{Path(job.path).stat().st_size / 2**20:.1f} MiB zip"
    else:
        from brandifiers.clock import utcnow
        from brandifiers.config import get_settings
        from brandifiers.models.jobs import MonthlyReport, OutboxMessage
        from brandifiers.services.messaging import reports
        month = reports.last_month(utcnow(), get_settings())
        with Session(engine) as s:
            s.exec(MonthlyReport.__table__.delete())  # a clean run each time
            s.exec(OutboxMessage.__table__.delete().where(OutboxMessage.kind == reports.KIND))
            s.commit()
            sponsors = s.exec(select(func.count()).select_from(User).where(User.role == "sponsor")).one()
            t0 = time.perf_counter()
            counts = reports.run_monthly_reports(s, month=month)
            s.commit()
            seconds = time.perf_counter() - t0
        detail = f"{month}: {counts.get('reports', 0):,} reports (of {sponsors:,} sponsors), " \
                 f"{counts.get('emails', 0):,} e-mails with PDF queued"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "detail": detail}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/tmp/brandifiers-jobs-bench")
    ap.add_argument("--child", nargs=3, metavar=("KIND", "URL", "EXPORT_DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    base = Path(args.dir)
    base.mkdir(parents=True, exist_ok=True)
    rows = []
    for kind, scale, target in (("export", EXPORT_SCALE, "<= 10 s, <= 500 MB"),
                                ("reports", REPORT_SCALE, "<= 60 s")):
        url = prepare(base / f"{kind}.db", scale)
        out = subprocess.run([sys.executable, __file__, "--child", kind, url, str(base / "exports")],
                             check=True, capture_output=True, text=True)
        rows.append((kind, target, json.loads(out.stdout.strip().splitlines()[-1])))
    print(f"\n{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print("| job | target | seconds | peak MB (process) | what |")
    print("|---|---|---:|---:|---|")
    for kind, target, r in rows:
        print(f"| {kind} | {target} | {r['seconds']:.1f} | {r['peak_mb']:.0f} | {r['detail']} |")


if __name__ == "__main__":
    main()
