"""The full rebuild of the metric rollups (services/rollups.py `rebuild_all`): everything inside
the database, set-based. The base rows with one INSERT ... SELECT (the provenance choice as a MAX
over a rank on SQLite, DISTINCT ON on PostgreSQL, then GROUP BY (ad request, day)), then each upper
level as one GROUP BY over the base table, grouped in the order of the target's primary key (text
keys) so rows are appended, not scattered; spend and followers summed in pandas. The deltas are
emptied: the main tables hold it all.
"""

from __future__ import annotations

import time
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session

from brandifiers.models import AdRequest, MetricSnapshot
from brandifiers.services import spend_days
from brandifiers.services.metric_defs import ENGAGEMENT_PARTS, FIGURES
from brandifiers.services.rollup_frames import EXTRA, METRICS, PRIORITY, nonzero
from brandifiers.services.rollup_sql import (
    BASE, BASE_COLS, DAY, TOTAL, TOTAL_KEY, UPPER_SCOPES, add_on_conflict, advance, advance_seen, attrs, insert_rows,
    newest, quoted, scope_key,
)

_SUMS = ", ".join(f"SUM({m})" for m in METRICS)
_CAMPAIGN_DAYS_DDL = ("CREATE TEMPORARY TABLE rollup_campaign_days (ckey VARCHAR(60) NOT NULL, day DATE NOT NULL, "
                      "sponsor_id BIGINT NOT NULL, category VARCHAR(40) NOT NULL, "
                      + ", ".join(f"{m} BIGINT NOT NULL" for m in METRICS)
                      + ", PRIMARY KEY (ckey, day, sponsor_id, category))")


def _rebuild_upper_days(conn: Connection) -> None:
    """rollup_day from the base table with two big sorts instead of five: (campaign, day) with the
    campaign's sponsor and category kept in a temp table (about half the base rows), from which the
    campaign rows are read in key order and sponsor and category grouped; platform from the category
    rows; influencer straight from the base table. Each GROUP BY is in the target's key order (text
    keys), so rows are appended to rollup_day, not scattered."""
    sqlite = conn.dialect.name == "sqlite"
    cols = quoted(("scope", "key", "day") + METRICS)
    conn.execute(sa.text("DROP TABLE IF EXISTS rollup_campaign_days"))
    conn.execute(sa.text(_CAMPAIGN_DAYS_DDL + (" WITHOUT ROWID" if sqlite else "")))
    ckey = "CAST(campaign_id AS VARCHAR(60))"
    conn.execute(sa.text(f"INSERT INTO rollup_campaign_days (ckey, day, sponsor_id, category, {', '.join(METRICS)}) "
                         f"SELECT {ckey}, day, sponsor_id, category, {_SUMS} FROM rollup_adrequest_day "
                         f"GROUP BY {ckey}, day, sponsor_id, category ORDER BY {ckey}, day, sponsor_id, category"))
    for scope, source, key in (("campaign", "rollup_campaign_days", "ckey"),
                               ("sponsor", "rollup_campaign_days", "CAST(sponsor_id AS VARCHAR(60))"),
                               ("category", "rollup_campaign_days", "category"),
                               ("influencer", "rollup_adrequest_day", "CAST(influencer_id AS VARCHAR(60))")):
        conn.execute(sa.text(f"INSERT INTO rollup_day ({cols}) SELECT '{scope}', {key}, day, {_SUMS} "
                             f"FROM {source} GROUP BY {key}, day ORDER BY {key}, day"))
    conn.execute(sa.text(f"INSERT INTO rollup_day ({cols}) SELECT 'platform', '', day, {_SUMS} "
                         "FROM rollup_day WHERE scope = 'category' GROUP BY day ORDER BY day"))
    conn.execute(sa.text("DROP TABLE rollup_campaign_days"))


_RANK = ("CASE provenance " + " ".join(f"WHEN '{p}' THEN {r}" for p, r in PRIORITY.items()) + " ELSE 0 END")
_FIG = ", ".join(FIGURES)
# One row per (deliverable, day): the highest-PRIORITY provenance (the same rule as
# rollup_frames.choose_provenance). SQLite: a MAX() aggregate takes its row's bare columns along;
# PostgreSQL: DISTINCT ON with the rank ordered first.
_CHOSEN = {
    "sqlite": f"SELECT deliverable_id, day, MAX({_RANK}) AS _rank, {_FIG} FROM metricsnapshot "
              "GROUP BY deliverable_id, day",
    "postgresql": f"SELECT DISTINCT ON (deliverable_id, day) deliverable_id, day, {_FIG} FROM metricsnapshot "
                  f"ORDER BY deliverable_id, day, {_RANK} DESC",
}
_ENGAGEMENTS = " + ".join(f"x.{p}" for p in ENGAGEMENT_PARTS)
_BASE_SQL = (f"INSERT INTO rollup_adrequest_day ({quoted(BASE_COLS)}) "
             "SELECT r.id, x.day, r.campaign_id, r.sponsor_id, r.influencer_id, c.category, "
             + ", ".join(f"SUM(x.{f})" for f in FIGURES) + f", SUM({_ENGAGEMENTS}) "
             "FROM ({chosen}) x JOIN deliverable d ON d.id = x.deliverable_id "
             "JOIN adrequest r ON r.id = d.ad_request_id JOIN campaign c ON c.id = r.campaign_id "
             "GROUP BY r.id, x.day, c.id")  # r's and c's columns depend on their primary keys
# SQLite, for the rebuild's connection (services/rollups.py sets them and back): a 64 MB page
# cache; its sorts of millions of rows stay in temp files. Measured at L: 2 MB 50.5 s / 511 MB
# peak, 64 MB 46.8 s / 556 MB, 512 MB 50-52 s / 1,231 MB (a large cache costs its allocations).
REBUILD_PRAGMAS = {"cache_size": "-65536", "temp_store": "1"}


def _spend_and_followers(conn: Connection, owners: pd.DataFrame) -> None:
    """Spend and followers of every scope, summed in pandas over the committed requests and upserted
    in key order (as SQL GROUP BYs over the 500k requests this step took three times as long)."""
    committed = nonzero(owners, EXTRA).reset_index()
    parts = []
    for scope, column in UPPER_SCOPES.items():
        key = scope_key(committed, column)
        parts.append(committed.assign(scope=scope, key=key).groupby(["scope", "key"], sort=False)[list(EXTRA)].sum())
    frame = pd.concat(parts).reset_index().sort_values(["scope", "key"]).assign(**{m: 0 for m in METRICS})
    insert_rows(conn, TOTAL[0], frame, TOTAL_KEY + METRICS + EXTRA,
                add_on_conflict(TOTAL[0], TOTAL_KEY, TOTAL_KEY + METRICS + EXTRA))  # figures + 0, spend + spend


def rebuild(session: Session, now: datetime) -> dict:
    snap_hi, req_hi = newest(session, MetricSnapshot), newest(session, AdRequest)
    result = _rebuild_sql(session.connection())
    spend_days.refresh_platform(session)
    advance(session, "metricsnapshot", snap_hi, now)
    advance(session, "adrequest", req_hi, now)
    advance_seen(session)
    return result


def _rebuild_sql(conn: Connection) -> dict:
    for table in BASE + DAY + TOTAL:
        conn.execute(sa.text(f"DELETE FROM {table}"))
    started = time.perf_counter()
    owners = attrs(conn)
    rows = conn.execute(sa.text(_BASE_SQL.format(chosen=_CHOSEN[conn.dialect.name]))).rowcount
    base_seconds = time.perf_counter() - started
    _rebuild_upper_days(conn)
    extra = quoted(EXTRA)
    conn.execute(sa.text(f"INSERT INTO rollup_total ({quoted(('scope', 'key') + METRICS)}, {extra}) "
                         f"SELECT scope, \"key\", {_SUMS}, 0, 0 FROM rollup_day GROUP BY scope, \"key\""))
    # grouped in the base table's key order (no sort of its 4.6M rows; ordering by the text key
    # cost 2-3 s at L): the 500k rows then land scattered in rollup_total, small enough for the cache
    conn.execute(sa.text(f"INSERT INTO rollup_total ({quoted(('scope', 'key') + METRICS)}, {extra}) "
                         f"SELECT 'adrequest', CAST(ad_request_id AS VARCHAR(60)), {_SUMS}, 0, 0 "
                         "FROM rollup_adrequest_day GROUP BY ad_request_id"))
    _spend_and_followers(conn, owners)
    if conn.dialect.name == "postgresql":  # fresh planner statistics for the dashboards' reads
        for table in BASE + DAY + TOTAL:
            conn.execute(sa.text(f"ANALYZE {table}"))
    return {"base_rows": rows, "requests": len(owners), "base_seconds": round(base_seconds, 1),
            "upper_seconds": round(time.perf_counter() - started - base_seconds, 1)}
