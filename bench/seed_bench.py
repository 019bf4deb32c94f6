"""Benchmark: how long the generator takes per scale and backend. Prints a table.

    .venv/bin/python bench/seed_bench.py --scale demo S [L] [--pg postgresql://root@127.0.0.1:5432/test]

Each run seeds a new, migrated database of its own (SQLite file under bench/output/, or a
PostgreSQL database created and dropped on the given server).
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from brandifiers.db import get_engine  # noqa: E402
from brandifiers.migrations import upgrade  # noqa: E402
from brandifiers.seed import seed  # noqa: E402


def _pg(base: str, sql: str) -> None:
    eng = sa.create_engine(sa.engine.make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(sa.text(sql))
    eng.dispose()


def run(scale: str, backend: str, pg_url: str | None) -> dict:
    if backend == "sqlite":
        out = ROOT / "bench" / "output"
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"seed-{scale}-{uuid.uuid4().hex[:6]}.db"
        url, cleanup = f"sqlite:///{path}", lambda: [p.unlink(missing_ok=True) for p in out.glob(path.name + "*")]
    else:
        name = f"bench_seed_{uuid.uuid4().hex[:8]}"
        _pg(pg_url, f'CREATE DATABASE "{name}"')
        url = sa.engine.make_url(pg_url).set(database=name).render_as_string(hide_password=False)
        cleanup = lambda: (get_engine(url).dispose(), _pg(pg_url, f'DROP DATABASE "{name}" WITH (FORCE)'))  # noqa: E731
    try:
        engine = get_engine(url)
        upgrade(engine)
        t0 = time.perf_counter()
        result = seed(engine, scale)
        seconds = time.perf_counter() - t0
        size = path.stat().st_size if backend == "sqlite" else None
        return {"scale": scale, "backend": backend, "rows": sum(result["counts"].values()),
                "snapshots": result["counts"]["metricsnapshot"], "seconds": seconds, "bytes": size}
    finally:
        cleanup()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", nargs="+", default=["demo", "S"])
    ap.add_argument("--pg", help="PostgreSQL server URL to also measure")
    args = ap.parse_args()
    rows = []
    for scale in args.scale:
        for backend in ["sqlite"] + (["postgresql"] if args.pg else []):
            rows.append(run(scale, backend, args.pg))
            r = rows[-1]
            print(f"  done {r['scale']} on {r['backend']}: {r['seconds']:.1f} s", file=sys.stderr)
    print("\n| scale | backend | rows | metric snapshots | seconds | rows/s | SQLite file |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        size = f"{r['bytes'] / 2**20:,.0f} MiB" if r["bytes"] else "-"
        print(f"| {r['scale']} | {r['backend']} | {r['rows']:,} | {r['snapshots']:,} | {r['seconds']:.1f} | "
              f"{r['rows'] / r['seconds']:,.0f} | {size} |")


if __name__ == "__main__":
    main()
