"""Benchmark: the Recommended sort and the model's training at L. Prints a table.

    .venv/bin/python bench/recommend_bench.py [--db /tmp/brandifiers-L.db] [--reps 30] [--models DIR]

Seeds the database first when the file is missing (as bench/search_bench.py does). Trains a model on
the whole history into --models (a temporary folder by default), timing it and reading the process's
peak RSS before and after; then times discovery's Recommended sort (the service call, uncached, each
call in its own Session) beside the fit sort for the sponsor's active campaigns of different categories.
Figures are copied to bench/README.md by hand; tests never assert timings.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=os.path.join(tempfile.gettempdir(), "brandifiers-L.db"))
    ap.add_argument("--scale", default="L")
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--models", help="model folder (default: a new temporary one)")
    args = ap.parse_args()
    models = args.models or tempfile.mkdtemp(prefix="brandifiers-models-")
    os.environ["BRANDIFIERS_MODEL_DIR"] = models  # before the settings are first read

    from search_bench import actors, measure_all, prepare, store_medians_now
    from sqlmodel import Session, select

    from brandifiers.clock import utcnow
    from brandifiers.db import get_engine
    from brandifiers.models import Campaign
    from brandifiers.services.discovery import search
    from brandifiers.services.discovery.search import InfluencerFilters as IF
    from brandifiers.services.recommend import training

    url = f"sqlite:///{args.db}"
    prepare(url, args.scale)
    engine = get_engine(url)
    before = _peak_mib()
    t0 = time.perf_counter()
    with Session(engine) as s:
        meta = training.retrain(s, now=utcnow(), seed=0)
    train_s, after = time.perf_counter() - t0, _peak_mib()
    a = actors(engine)
    with Session(engine) as s:
        campaigns, seen = [], set()
        for c in s.exec(select(Campaign).where(Campaign.sponsor_id == a["sponsor"], Campaign.status == "active")
                        .order_by(Campaign.id)):
            if c.category not in seen:
                seen.add(c.category)
                campaigns.append((c.id, c.category))
    todo = []
    for cid, category in campaigns[:3]:
        todo.append((f"fit sort, campaign {cid} ({category}), page 0", search.search_influencers, a["sponsor"],
                     IF(sort="fit", campaign_id=cid)))
        for p in (0, 5):
            todo.append((f"Recommended, campaign {cid} ({category}), page {p}", search.search_influencers,
                         a["sponsor"], IF(sort="recommended", campaign_id=cid, page=p)))
    store_medians_now(engine)
    results = measure_all(engine, todo, args.warmup, args.reps)
    print(f"\ntraining at {args.scale}: {meta['rows']:,} outcomes in {train_s:.1f} s; process peak RSS "
          f"{before:.0f} MiB before, {after:.0f} MiB after; hold-out metrics {meta.get('metrics')}")
    print(f"{os.cpu_count()} cores; {args.reps} rounds after {args.warmup} warm-up rounds\n")
    print("| query | p50 ms | p95 ms | rows | total |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['label']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['rows']} | {r['total']} |")


if __name__ == "__main__":
    main()
