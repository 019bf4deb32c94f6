"""Benchmark: discovery search (and the sponsor dashboard) at L scale. Prints a table.

    .venv/bin/python bench/search_bench.py [--db /tmp/brandifiers-L.db] [--reps 50] [--only TEXT]

With --db PATH an existing, seeded file is reused; a missing file is created first (migrated to
head, then seeded with brandifiers.seed at --scale; L takes about 4 minutes). Without --db a
temporary file is made under /tmp and deleted at the end. --url runs against any seeded
database instead (e.g. PostgreSQL). Each call opens its own Session on the app's engine (as a
Reflex event does) and is timed around the service call; after --warmup rounds, --reps rounds
(each round calls every case once) give p50/p95 per case. Figures are copied to bench/README.md
by hand; tests never assert timings.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, delete, func, select  # noqa: E402

from brandifiers.db import get_engine  # noqa: E402
from brandifiers.migrations import upgrade  # noqa: E402
from brandifiers.models import AdRequest, Campaign, CategoryMedian, SponsorProfile, User  # noqa: E402
from brandifiers.seed import is_empty, seed  # noqa: E402
from brandifiers.services.deals import dashboards  # noqa: E402
from brandifiers.services.discovery import fulltext, medians, search  # noqa: E402
from brandifiers.services.discovery.search import CampaignFilters as CF  # noqa: E402
from brandifiers.services.discovery.search import InfluencerFilters as IF  # noqa: E402

COMMON, COMMONER, MIDDLE, RARE = "coffee", "creator", "yoga", "franklin"


def prepare(url: str, scale: str) -> None:
    engine = get_engine(url)
    upgrade(engine)
    with Session(engine) as s:
        if not is_empty(s):
            return
    print(f"seeding scale {scale} into {url} ...", file=sys.stderr)
    result = seed(engine, scale, log=lambda m: print(m, file=sys.stderr))
    print(f"seeded in {result['seconds']:.0f} s", file=sys.stderr)


def actors(engine) -> dict:
    """The sponsor with the most campaigns, one of its active campaigns, and an active influencer."""
    with Session(engine) as s:
        active = select(User.id).where(User.status == "active")
        sponsor_id, n = s.exec(select(Campaign.sponsor_id, func.count()).where(Campaign.sponsor_id.in_(active))
                               .group_by(Campaign.sponsor_id).order_by(func.count().desc()).limit(1)).one()
        campaign = s.exec(select(Campaign).where(Campaign.sponsor_id == sponsor_id, Campaign.status == "active")
                          .order_by(Campaign.id).limit(1)).one()
        influencer_id = s.exec(select(User.id).where(User.role == "influencer", User.status == "active")
                               .order_by(User.id).limit(1)).one()
        company = s.exec(select(SponsorProfile.company_name).where(SponsorProfile.user_id == sponsor_id)).one()
        requests = s.exec(select(func.count()).select_from(AdRequest).where(AdRequest.sponsor_id == sponsor_id)).one()
    return {"sponsor": sponsor_id, "campaigns": n, "company": company, "campaign": campaign.id,
            "campaign_category": campaign.category, "influencer": influencer_id, "requests": requests}


def cases(a: dict) -> list[tuple[str, object, int, object]]:
    """(label, service function, actor id, filters or None)."""
    inf, camp = search.search_influencers, search.search_campaigns
    sp, infl, cid = a["sponsor"], a["influencer"], a["campaign"]
    rows = []
    for p in (0, 10, 200):
        rows.append((f"influencers: no filter, reach, page {p}", inf, sp, IF(page=p)))
    for p in (0, 10, 200):
        rows.append((f"influencers: category, reach, page {p}", inf, sp, IF(category="Food", page=p)))
    rows.append(("influencers: niche, reach, page 0", inf, sp, IF(niche="Yoga")))
    rows.append(("influencers: category+niche, reach, page 0", inf, sp, IF(category="Fitness", niche="yoga")))
    rows.append(("influencers: niche word 'home' (2 niches), reach, page 0", inf, sp, IF(niche="home")))
    rows.append(("influencers: niche prefix 'train' + text 'creator', page 0", inf, sp,
                 IF(niche="train", text=COMMONER)))
    for p in (0, 10):
        rows.append((f"influencers: category+platform+followers 10k-500k, page {p}", inf, sp,
                     IF(category="Fitness", platform="instagram", min_followers=10_000, max_followers=500_000,
                        page=p)))
    for p in (0, 10, 200):
        rows.append((f"influencers: ER 3%-6%, sort engagement, page {p}", inf, sp,
                     IF(min_er=0.03, max_er=0.06, sort="engagement", page=p)))
    for p in (0, 10, 200):
        rows.append((f"influencers: sort price, page {p}", inf, sp, IF(sort="price", page=p)))
    deepest = fulltext.MAX_RESULTS // 20 - 1  # a text search pages through its first 1,000 results
    for word, share in ((COMMONER, "28%"), (COMMON, "16%")):  # shares at L
        for p in (0, 10) if word == COMMONER else (0, 10, deepest):
            rows.append((f"influencers: text '{word}' ({share} of profiles), page {p}", inf, sp,
                         IF(text=word, page=p)))
    rows.append((f"influencers: text '{MIDDLE}' (~2% of rows), page 0", inf, sp, IF(text=MIDDLE)))
    rows.append((f"influencers: text '{RARE}' (rare), page 0", inf, sp, IF(text=RARE)))
    rows.append((f"influencers: text '{COMMON}' + category, page 0", inf, sp, IF(text=COMMON, category="Food")))
    for p in (0, 10):
        rows.append((f"influencers: sort fit (campaign {cid}), page {p}", inf, sp,
                     IF(sort="fit", campaign_id=cid, page=p)))
    rows.append((f"influencers: sort fit, category {a['campaign_category']}, page 0", inf, sp,
                 IF(sort="fit", campaign_id=cid, category=a["campaign_category"])))
    rows.append(("influencers: reach + fit column (campaign), page 0", inf, sp, IF(campaign_id=cid)))
    for p in (0, 10, 200):
        rows.append((f"campaigns: no filter, newest, page {p}", camp, infl, CF(page=p)))
    for p in (0, 10):
        rows.append((f"campaigns: category, page {p}", camp, infl, CF(category="Beauty", page=p)))
    rows.append(("campaigns: budget $5k-$20k + starts after a date", camp, infl,
                 CF(min_budget_cents=500_000, max_budget_cents=2_000_000, starts_after=_date())))
    rows.append(("campaigns: niche", camp, infl, CF(niche="Skincare")))
    rows.append(("campaigns: niche word 'travel' (2 niches)", camp, infl, CF(niche="travel")))
    rows.append((f"campaigns: text = a sponsor's name ({a['company']})", camp, infl, CF(text=a["company"])))
    rows.append(("campaigns: text 'launch' + niche prefix 'skin'", camp, infl, CF(text="launch", niche="skin")))
    rows.append(("campaigns: text 'launch' (common), page 0", camp, infl, CF(text="launch")))
    rows.append(("campaigns: text 'launch' (common), page 10", camp, infl, CF(text="launch", page=10)))
    rows.append(("campaigns: text 'serum' (rare), page 0", camp, infl, CF(text="serum")))
    rows.append(("campaigns: text 'serum' + category, page 0", camp, infl, CF(text="serum", category="Beauty")))
    return rows


def _date():
    from brandifiers.clock import utcnow
    return utcnow().date()


def call(engine, fn, actor, filters) -> tuple[float, object]:
    """One call in its own Session (as one Reflex event): (milliseconds, result)."""
    with Session(engine, expire_on_commit=False) as s:
        t0 = time.perf_counter()
        result = fn(s, actor, filters) if filters is not None else fn(s, actor)
        return (time.perf_counter() - t0) * 1000, result


def summary(label: str, samples: list[float], result) -> dict:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, max(0, round(0.95 * len(samples)) - 1))]
    rows = len(result.rows) if hasattr(result, "rows") else "-"
    total = getattr(result, "total", "-")
    more = f"> {result.more_than:,}" if getattr(result, "more_than", 0) else "many"
    return {"label": label, "p50": statistics.median(samples), "p95": p95, "rows": rows,
            "total": "-" if total == "-" else (more if total is None else f"{total:,}")}


def measure_all(engine, todo: list, warmup: int, reps: int) -> list[dict]:
    """Round-robin: every repetition runs each case once, so that a slow moment of a shared
    machine is spread over all cases instead of spoiling one."""
    for _ in range(warmup):
        for _label, fn, actor, filters in todo:
            call(engine, fn, actor, filters)
    samples: list[list[float]] = [[] for _ in todo]
    results: list[object] = [None] * len(todo)
    for _ in range(reps):
        for i, (_label, fn, actor, filters) in enumerate(todo):
            ms, results[i] = call(engine, fn, actor, filters)
            samples[i].append(ms)
    return [summary(label, samples[i], results[i]) for i, (label, *_rest) in enumerate(todo)]


def measure_cold(engine, label, fn, actor, filters, reps: int, stored: bool) -> dict:
    """The fit sort when this process has no category medians: a new process (stored=True: the
    categorymedian table has them) or a fresh database (stored=False: computed on the search;
    the background store that would follow is skipped so that every call finds none)."""
    samples, result = [], None
    keep = medians._in_background
    if stored:
        store_medians_now(engine)
    else:
        medians._in_background = lambda work: None
    try:
        for _ in range(reps):
            medians.clear_median_cache()
            if not stored:
                with Session(engine) as s:
                    s.execute(delete(CategoryMedian))
                    s.commit()
            ms, result = call(engine, fn, actor, filters)
            samples.append(ms)
    finally:
        medians._in_background = keep
        store_medians_now(engine)
    return summary(label, samples, result)


def store_medians_now(engine) -> None:
    """Fresh medians in the table, as the app's start-up warm-up leaves them (here without a thread)."""
    keep, medians._in_background = medians._in_background, lambda work: work()
    try:
        medians.clear_median_cache()
        medians.warm(engine)
    finally:
        medians._in_background = keep


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="SQLite file to reuse (created and seeded when missing)")
    ap.add_argument("--url", help="an already seeded database URL (instead of --db)")
    ap.add_argument("--scale", default="L")
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--only", help="run only the cases whose label contains this text")
    args = ap.parse_args()
    tmp = None
    if args.url:
        url = args.url
    else:
        path = args.db or os.path.join(tempfile.gettempdir(), f"brandifiers-search-{args.scale}-{os.getpid()}.db")
        tmp = None if args.db else path
        url = f"sqlite:///{path}"
    try:
        prepare(url, args.scale)
        engine = get_engine(url)
        a = actors(engine)
        print(f"backend {engine.dialect.name}; sponsor {a['sponsor']} ({a['company']}, {a['campaigns']} campaigns), "
              f"campaign {a['campaign']}, influencer {a['influencer']}", file=sys.stderr)
        todo = [c for c in cases(a) if not args.only or args.only in c[0]]
        if not args.only or "dashboard" in args.only:
            todo.append((f"sponsor_overview ({a['campaigns']} campaigns, {a['requests']:,} requests)",
                         dashboards.sponsor_overview,
                         a["sponsor"], None))
        store_medians_now(engine)  # what the app's start-up warm-up does, finished before the first round
        results = measure_all(engine, todo, args.warmup, args.reps)
        for cold in [c for c in todo if "sort fit" in c[0] and c[0].endswith("page 0")]:  # warm ones above
            results.append(measure_cold(engine, cold[0] + ", new process (medians stored)", *cold[1:], args.reps,
                                        stored=True))
            results.append(measure_cold(engine, cold[0] + ", no medians stored yet", *cold[1:], args.reps,
                                        stored=False))
        db = (f"SQLite {sqlite3.sqlite_version}" if engine.dialect.name == "sqlite"
              else f"{engine.dialect.name} {'.'.join(map(str, engine.dialect.server_version_info or ()))}")
        print(f"\n{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, {db}, "
              f"{args.reps} rounds after {args.warmup} warm-up rounds\n")
        print("| query | p50 ms | p95 ms | rows | total |")
        print("|---|---:|---:|---:|---:|")
        for r in results:
            print(f"| {r['label']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['rows']} | {r['total']} |")
    finally:
        if tmp:
            get_engine(url).dispose()
            for p in Path(tmp).parent.glob(Path(tmp).name + "*"):
                p.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
