"""Benchmark: the admin home's data (services.stats.analytics) at L scale. Prints a table.

    .venv/bin/python bench/admin_bench.py [--db /tmp/brandifiers-admin-L.db] [--reps 30]

--db / --url / --scale as in bench/search_bench.py (a missing file is migrated and seeded).
Cases, each call in its own Session as one Reflex event:
- full computation: every aggregate query (what a refresh costs; runs in the background at L);
- cold: this process holds nothing (memory emptied before each call), the stored snapshot is
  fresh: one admin page load after a worker restart or on another worker;
- warm: the snapshot is in this process's memory;
- expired: the snapshot is older than the expiry: the stale figures are returned at once and a
  background refresh starts (the bench waits for it between calls, outside the timing).
Figures are copied to bench/README.md by hand; tests never assert timings."""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_bench import prepare, summary  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from brandifiers.clock import utcnow  # noqa: E402
from brandifiers.db import get_engine  # noqa: E402
from brandifiers.models import User  # noqa: E402
from brandifiers.services.stats import analytics  # noqa: E402


def admin_id(engine) -> int:
    with Session(engine) as s:
        admin = s.exec(select(User).where(User.role == "admin", User.status == "active")).first()
        if admin is None:
            admin = User(email="bench-admin@example.com", password_hash="!", role="admin", status="active")
            s.add(admin)
            s.commit()
        return admin.id


def timed(engine, fn) -> tuple[float, object]:
    with Session(engine, expire_on_commit=False) as s:
        t0 = time.perf_counter()
        result = fn(s)
        ms = (time.perf_counter() - t0) * 1000
        s.commit()
        return ms, result


def wait_for_refresh() -> None:
    while analytics._refreshing:  # the bench waits outside the timed call
        time.sleep(0.05)


def run(engine, reps: int) -> list[dict]:
    admin = admin_id(engine)
    out = []
    full = [timed(engine, lambda s: analytics.compute(s)) for _ in range(max(3, reps // 6))]
    out.append(summary("full computation (all aggregate queries)", [m for m, _ in full], full[-1][1]))
    timed(engine, lambda s: analytics.platform_analytics(s, admin, force=True))  # a fresh stored snapshot
    cold = []
    for _ in range(reps):
        analytics.forget_memory()
        cold.append(timed(engine, lambda s: analytics.platform_analytics(s, admin)))
    out.append(summary("cold: stored snapshot, empty process memory", [m for m, _ in cold], cold[-1][1]))
    warm = [timed(engine, lambda s: analytics.platform_analytics(s, admin)) for _ in range(reps)]
    out.append(summary("warm: snapshot in process memory", [m for m, _ in warm], warm[-1][1]))
    expired = []
    for i in range(max(3, reps // 6)):
        later = utcnow() + timedelta(seconds=analytics.get_settings().analytics_ttl_seconds + 1 + i)
        analytics.forget_memory()
        ms, result = timed(engine, lambda s: analytics.platform_analytics(s, admin, now=later))
        assert result["stale"], "expected the stale snapshot to be served while refreshing"
        expired.append(ms)
        wait_for_refresh()
    out.append(summary("expired: stale served, refresh started", expired, result))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="SQLite file to reuse (created and seeded when missing)")
    ap.add_argument("--url", help="an already seeded database URL (instead of --db)")
    ap.add_argument("--scale", default="L")
    ap.add_argument("--reps", type=int, default=30)
    args = ap.parse_args()
    path = args.db or os.path.join(tempfile.gettempdir(), f"brandifiers-admin-{args.scale}-{os.getpid()}.db")
    url = args.url or f"sqlite:///{path}"
    try:
        prepare(url, args.scale)
        engine = get_engine(url)
        results = run(engine, args.reps)
        db = (f"SQLite {sqlite3.sqlite_version}" if engine.dialect.name == "sqlite"
              else f"{engine.dialect.name} {'.'.join(map(str, engine.dialect.server_version_info or ()))}")
        print(f"\n{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, {db}, "
              f"load average {os.getloadavg()[0]:.1f}\n")
        print("| case | p50 ms | p95 ms |")
        print("|---|---:|---:|")
        for r in results:
            print(f"| {r['label']} | {r['p50']:.1f} | {r['p95']:.1f} |")
    finally:
        if not args.db and not args.url and os.path.exists(path):
            os.remove(path)


if __name__ == "__main__":
    main()
