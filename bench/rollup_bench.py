"""Benchmark: metric rollups and the stats reads at L scale. Prints a table (not a test).

    .venv/bin/python bench/rollup_bench.py --db /tmp/brandifiers-stats-L.db     # creates + seeds L when missing
    .venv/bin/python bench/rollup_bench.py --url postgresql://postgres@127.0.0.1:5432/stats_l --only rebuild

Steps (each rollup step runs in a child process of its own, so its peak RSS is its own):
  rebuild      rollups.rebuild_all on the whole database               target <= 15 s, <= 1.5 GB
  incremental  target <= 1 s, twice: after 1% new rows as they arrive (the next day's figures of
               active deliverables: add_next_day), then after 1% scattered rows (0.5% replaced and
               0.5% late rows on random old days: touch_one_percent; the second run finds the deltas
               holding the first 1%); then the compaction of both. Each run in a fresh process, or with
               --warm in a process that has run the job before (as the scheduler's has: its mappers,
               compiled statements and libraries loaded), which writes the new rows just before
  anomalies    the scheduler's job that recomputes the admin's stored platform anomaly list
  reads        what each role's statistics page reads on load (the sponsor's campaign page and
               portfolio, the influencer's performance page, the admin's statistics page), each in its
               own Session with the cache emptied first (the uncached cost)   target <= 30 ms; in a full
               run twice: with the 2% still in the deltas, and after the compaction
The figures are copied to bench/README.md by hand; tests never assert timings.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlmodel import Session, func, select  # noqa: E402

from bench.search_bench import prepare  # noqa: E402
from brandifiers.clock import utcnow  # noqa: E402
from brandifiers.db import get_engine  # noqa: E402
from brandifiers.models import (  # noqa: E402
    AdRequest,
    AnalyticsSnapshot,
    Campaign,
    MetricSnapshot,
    Role,
    User,
    UserStatus,
)
from brandifiers.services.common import cache  # noqa: E402
from brandifiers.services.rollups import rollups  # noqa: E402
from brandifiers.services.rollups.rollup_frames import as_date  # noqa: E402
from brandifiers.services.stats import anomalies, stats, stats_views  # noqa: E402


def machine_speed() -> str:
    """Two fixed workloads, printed with the figures: these machines differ (session 5's ran the
    same code on the same file 2.5x slower than session 4's), so figures of two runs compare only
    together with these."""
    t0 = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    python = time.perf_counter() - t0
    con = sqlite3.connect(":memory:")
    t0 = time.perf_counter()
    con.execute("CREATE TABLE t (a INTEGER, b INTEGER)")
    con.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) "
                "INSERT INTO t SELECT x, (x * 7919) % 1000003 FROM c")
    con.execute("SELECT b, COUNT(*) FROM t GROUP BY b").fetchall()
    sqlite = time.perf_counter() - t0
    con.close()
    return f"machine: 10M Python additions {python:.2f} s; SQLite 2M-row insert + GROUP BY {sqlite:.2f} s"


def child(step: str, url: str) -> dict:
    """Run one rollup step in a fresh interpreter; its own seconds and peak RSS."""
    out = subprocess.run([sys.executable, __file__, "--url", url, "--child", step], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_child(step: str, url: str) -> None:
    engine = get_engine(url)
    def flags(s: Session) -> dict:  # the scheduler's anomalies job
        result = anomalies.refresh_platform_anomalies(s)
        s.commit()
        return result

    touched = None
    if step.startswith("warm-"):  # a process that has run the job before (the scheduler's), then new rows
        with Session(engine) as s:
            rollups.run_rollup(s)
        touched = SHAPES[step.removeprefix("warm-")](url)
        step = "incremental"
    fn = {"rebuild": rollups.rebuild_all, "incremental": rollups.run_rollup, "compact": rollups.compact,
          "anomalies": flags}[step]
    t0, cpu0 = time.perf_counter(), _cpu()
    with Session(engine) as s:
        result = fn(s)
    seconds, cpu = time.perf_counter() - t0, _cpu() - cpu0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": rss, "result": result, "touched": touched}))


def _cpu() -> float:
    """This process's CPU seconds so far, all threads (user + system): the work done, which a busy
    shared machine disturbs less than the wall-clock time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def touch_one_percent(url: str, seed: int | None = None) -> int:
    """Replace the figures of 0.5% of the snapshots and add 0.5% new ones (a higher provenance for
    existing creator-reported days, i.e. late and overriding rows); all with updated_at = now."""
    engine = get_engine(url)
    rng = random.Random(seed)  # None: a fresh sample on every run (a reused file keeps earlier changes)
    now = utcnow()
    with Session(engine) as s:
        lo, hi = s.exec(select(func.min(MetricSnapshot.id), func.max(MetricSnapshot.id))).one()
        n = (hi - lo) // 200
        ids = rng.sample(range(lo, hi + 1), 2 * n)
        for start in range(0, n, 10_000):
            part = ids[start:min(n, start + 10_000)]
            s.exec(sa.update(MetricSnapshot).where(MetricSnapshot.id.in_(part))
                   .values(views=MetricSnapshot.views + 7, updated_at=now))
        M = MetricSnapshot
        cols = ["deliverable_id", "day", "provenance", "views", "likes", "comments", "shares", "saves", "clicks",
                "conversions", "revenue_cents", "updated_at"]
        for start in range(n, 2 * n, 10_000):
            part = ids[start:min(2 * n, start + 10_000)]
            src = (select(M.deliverable_id, M.day, sa.literal("platform-api"), M.views * 2, M.likes, M.comments,
                          M.shares, M.saves, M.clicks, M.conversions, M.revenue_cents,
                          sa.bindparam("now", now, type_=M.__table__.c.updated_at.type))
                   .where(M.id.in_(part), M.provenance != "platform-api"))
            o = sa.alias(M.__table__, "o")  # skip days that already have a platform-api row (unique key)
            src = src.where(~sa.exists().where(o.c.deliverable_id == M.deliverable_id, o.c.day == M.day,
                                               o.c.provenance == "platform-api"))
            s.exec(sa.insert(M).from_select(cols, src))
        s.commit()
        # (psycopg's rowcount of an INSERT ... SELECT is -1: count what carries this run's time)
        return s.exec(select(func.count()).select_from(M).where(M.updated_at == now)).one()


def add_next_day(url: str, seed: int | None = None) -> int:
    """1% new rows as they arrive in production: the next day's figures of active deliverables
    (copies, views + 11, of rows of the newest day, whatever their provenance), all with
    updated_at = now. Every key is a new (ad request, day) pair, all on one day."""
    engine = get_engine(url)
    rng = random.Random(seed)
    now = utcnow()
    M = MetricSnapshot
    with Session(engine) as s:
        total = s.exec(select(func.count()).select_from(M)).one()
        newest = s.exec(select(func.max(M.day))).one()
        newest = as_date(newest)
        rows = s.exec(select(M.id).where(M.day == newest)).all()
        chosen = rng.sample(list(rows), min(len(rows), total // 100))
        cols = ["deliverable_id", "day", "provenance", "views", "likes", "comments", "shares", "saves", "clicks",
                "conversions", "revenue_cents", "updated_at"]
        for start in range(0, len(chosen), 10_000):
            src = (select(M.deliverable_id, sa.literal(newest + timedelta(days=1), M.__table__.c.day.type),
                          M.provenance,
                          M.views + 11, M.likes, M.comments, M.shares, M.saves, M.clicks, M.conversions,
                          M.revenue_cents, sa.bindparam("now", now, type_=M.__table__.c.updated_at.type))
                   .where(M.id.in_(chosen[start:start + 10_000])))
            s.exec(sa.insert(M).from_select(cols, src))
        s.commit()
        return s.exec(select(func.count()).select_from(M).where(M.updated_at == now)).one()


SHAPES = {"next-day": add_next_day, "scattered": touch_one_percent}


def actors(url: str) -> dict:
    engine = get_engine(url)
    with Session(engine) as s:
        # the busiest sponsor, its busiest campaign and the busiest influencer, by base rows
        base = "rollup_adrequest_day b JOIN adrequest r ON r.id = b.ad_request_id"
        row = s.exec(sa.text(f"SELECT r.sponsor_id, COUNT(*) FROM {base} GROUP BY r.sponsor_id "
                             "ORDER BY COUNT(*) DESC LIMIT 1")).first()
        sponsor = row[0]
        campaign = s.exec(sa.text(f"SELECT r.campaign_id FROM {base} WHERE r.sponsor_id = :s "
                                  "GROUP BY r.campaign_id ORDER BY COUNT(*) DESC LIMIT 1")
                          .bindparams(s=sponsor)).one()[0]
        influencer = s.exec(sa.text(f"SELECT r.influencer_id FROM {base} GROUP BY r.influencer_id "
                                    "ORDER BY COUNT(*) DESC LIMIT 1")).one()[0]
        admin = s.exec(select(User.id).where(User.role == Role.ADMIN.value, User.status == "active")).first()
        if admin is None:
            user = User(email="bench-admin@example.com", password_hash="x", role=Role.ADMIN.value,
                        status=UserStatus.ACTIVE.value)
            s.add(user)
            s.commit()
            admin = user.id
        n_camp = s.exec(select(func.count()).select_from(Campaign).where(Campaign.sponsor_id == sponsor)).one()
        n_req = s.exec(select(func.count()).select_from(AdRequest).where(AdRequest.campaign_id == campaign)).one()
    return {"sponsor": sponsor, "campaign": campaign, "influencer": influencer, "admin": admin,
            "sponsor_campaigns": n_camp, "campaign_requests": n_req}


def reads(url: str, a: dict, reps: int) -> list[tuple[str, float, float]]:
    engine = get_engine(url)
    sp, camp, infl, adm = a["sponsor"], a["campaign"], a["influencer"], a["admin"]
    # what each page's load handler reads (state/stats*.py), all time
    cases = [
        (f"sponsor: campaign page ({a['campaign_requests']} requests): overview, stats, anomalies",
         lambda s: (stats_views.campaign_overview(s, sp, camp, None, None), stats.campaign_stats(s, sp, camp),
                    anomalies.campaign_anomalies(s, sp, camp))),
        (f"sponsor: portfolio page ({a['sponsor_campaigns']} campaigns)",
         lambda s: (stats.sponsor_portfolio(s, sp), stats_views.my_deliverables(s, sp))),
        ("influencer: performance page",
         lambda s: (stats.influencer_stats(s, infl), stats_views.my_deliverables(s, infl),
                    stats_views.earnings_timeline(s, infl, None, None))),
        ("admin: statistics page (incl. the stored anomaly list)",
         lambda s: (stats.platform_stats(s, adm), stats_views.platform_spend_by_month(s, adm, None, None),
                    anomalies.stored_platform_anomalies(s, adm))),
    ]
    with Session(engine) as s:  # the stored anomaly list exists (the job made it), as in the app
        if s.get(AnalyticsSnapshot, anomalies.PLATFORM_KEY) is None:
            anomalies.refresh_platform_anomalies(s)
            s.commit()
    samples: dict[str, list[float]] = {label: [] for label, _ in cases}
    for i in range(reps + 3):
        for label, fn in cases:
            cache.invalidate("")
            t0 = time.perf_counter()
            with Session(engine) as s:
                fn(s)
            if i >= 3:
                samples[label].append((time.perf_counter() - t0) * 1000)
    out = []
    for label, xs in samples.items():
        xs.sort()
        out.append((label, statistics.median(xs), xs[min(len(xs) - 1, int(0.95 * len(xs)))]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/brandifiers-stats-L.db", help="SQLite file (created + seeded when missing)")
    ap.add_argument("--url", help="an already seeded database URL instead of --db")
    ap.add_argument("--scale", default="L")
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--only", help="rebuild | incremental | reads")
    ap.add_argument("--warm", action="store_true",
                    help="time each incremental run in a process that has run the job before (as the scheduler's "
                         "is), the new rows written by that process just before; default: a fresh process")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    url = args.url or f"sqlite:///{args.db}"
    if args.child:
        run_child(args.child, url)
        return
    prepare(url, args.scale)
    rows = []
    if args.only in (None, "rebuild"):
        r = child("rebuild", url)
        x = r["result"]
        rows.append(("full rebuild", f"{r['seconds']:.1f} s", f"{r['peak_mb']:,.0f} MB", "<= 15 s, <= 1.5 GB",
                     f"{x['base_rows']:,} (ad request, day) rows, {x.get('day_rows', 0):,} day rows, "
                     f"{x.get('total_rows', 0):,} totals; base {x['base_seconds']} s, upper levels "
                     f"{x['upper_seconds']} s"))
    if args.only in (None, "incremental"):
        child("incremental", url)  # catch up first (a no-op after a rebuild)
        child("compact", url)  # start from empty deltas, as after the nightly compaction
        warm = " (a warm process)" if args.warm else ""
        for label, shape in (("incremental after 1% new rows: the next day of active deliverables (deltas empty)"
                              + warm, "next-day"),
                             ("incremental after 1% scattered rows: 0.5% replaced, 0.5% late, on random old days "
                              "(deltas hold the first 1%)" + warm, "scattered")):
            if args.warm:
                r = child(f"warm-{shape}", url)
                touched = r["touched"]
            else:
                touched = SHAPES[shape](url)
                r = child("incremental", url)
            x = r["result"]
            rows.append((label, f"{r['seconds']:.2f} s", f"{r['peak_mb']:,.0f} MB", "<= 1 s",
                         f"{touched:,} rows written; {x['keys']:,} keys ({x.get('fresh_keys', 0):,} new to the "
                         f"rollups, {x.get('known_keys', 0):,} decided by their changed rows), "
                         f"{x['requests']:,} changed requests"))
        r = child("incremental", url)
        rows.append(("incremental, nothing new", f"{r['seconds']:.2f} s", f"{r['peak_mb']:,.0f} MB", "-", ""))
        r = child("anomalies", url)
        rows.append(("platform anomaly list (the admin's; hourly job after new figures)", f"{r['seconds']:.1f} s",
                     f"{r['peak_mb']:,.0f} MB", "-", f"{r['result']['flags']} flags from 14 days of raw rows"))
        if args.only is None:  # the reads' worst case: the day's deltas not yet compacted
            a = actors(url)
            for label, p50, p95 in reads(url, a, args.reps):
                rows.append((label, f"p50 {p50:.1f} ms", f"p95 {p95:.1f} ms", "<= 30 ms", "uncached, deltas hold 2%"))
        r = child("compact", url)
        moved = sum(r["result"].values())
        rows.append(("compaction of those 2% (nightly job)", f"{r['seconds']:.2f} s", f"{r['peak_mb']:,.0f} MB", "-",
                     f"{moved:,} delta rows folded into the main tables"))
    if args.only in (None, "reads"):
        a = actors(url)
        for label, p50, p95 in reads(url, a, args.reps):
            rows.append((label, f"p50 {p50:.1f} ms", f"p95 {p95:.1f} ms", "<= 30 ms", "uncached, deltas empty"))
    engine = get_engine(url)
    print(f"\nbackend {engine.dialect.name}; load average {os.getloadavg()[0]:.2f} "
          f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} on {os.cpu_count()} cores; {machine_speed()}\n")
    print("| step | time | memory / p95 | target | notes |")
    print("|---|---:|---:|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
