"""Metric rollups (pandas) into the summary tables of models/rollups.py. Dashboards read only
those tables (services/stats.py); nothing here is called on page load.

Grain and scopes
  - rollup_adrequest_day: (ad request, day), the sum of the request's deliverables that day.
  - rollup_day: (scope, key, day) for campaign, influencer, sponsor, category (the campaign's)
    and platform (key "").
  - rollup_total: (scope, key) all-time totals for those scopes and "adrequest", plus
    spend_cents and followers (see metric_defs.DEFINITIONS); these have no day.

Provenance rule (no double counting): when one deliverable has figures of several provenances
for one day, exactly one row counts, chosen by PRIORITY: platform-api > csv-import >
creator-reported. The others stay stored (and shown on the deliverable) but are not summed.

Incremental run (`run_rollup`): a watermark per source table (max (updated_at, id) processed,
table rollup_watermark) selects the snapshots written or replaced since the last run, and the
ad requests changed since (status or agreed payment: spend). For every affected (ad request,
day) key the base row is recomputed from all its raw snapshots (so a replaced or late row, even
for an old day, replaces its old contribution), and the difference new - old is added upward
to the day and total rows (INSERT ... ON CONFLICT DO UPDATE SET x = x + delta). The watermark
moves in the same transaction as the summary writes: a crash leaves both as they were, and a
second run with nothing new changes nothing. Rows whose difference is all zero are not
written, so an upper row whose figures went back to zero may remain as zeros: readers treat a
missing row and a zero row alike. Limits: deleted snapshots (a deleted deliverable cascades)
and rows committed late with an older updated_at than the watermark are not seen; a
`rebuild_all` repairs both. Followers are taken when the ad request last changed.

Where pandas and where SQL: the incremental run reads the changed raw rows with
pd.read_sql(chunksize=...) (memory bounded by the chunk size) and computes the provenance choice,
base rows and deltas in pandas (rollup_frames). `rebuild_all` does the heavy lifting inside the
database instead: the base rows with one INSERT ... SELECT (the provenance choice as a MAX over a
rank on SQLite, DISTINCT ON on PostgreSQL, then GROUP BY (ad request, day)), then each upper level
as one GROUP BY over the base table; only spend/followers per request go through pandas. The
tests check that both paths agree with a plain recomputation.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.models import AdRequest, MetricSnapshot, RollupWatermark
from brandifiers.services import cache
from brandifiers.services.metric_defs import COMMITTED, ENGAGEMENT_PARTS, FIGURES
from brandifiers.services.metrics import STATS_CACHE_PREFIX
from brandifiers.services.rollup_frames import (  # noqa: F401  (PRIORITY, base_rows: part of this module's API)
    EXTRA, METRICS, PRIORITY, base_rows, complete_groups, day_text, key_text, nonzero, request_totals, upper_frames,
)

CHUNK = 250_000
_RAW = ("SELECT d.ad_request_id, s.deliverable_id, s.day, s.provenance, "
        + ", ".join(f"s.{f}" for f in FIGURES) + " FROM metricsnapshot s JOIN deliverable d ON d.id = s.deliverable_id")
_ATTRS = ("SELECT r.id AS ad_request_id, r.campaign_id, r.sponsor_id, r.influencer_id, c.category, r.status, "
          "r.payment_cents, COALESCE(p.total_followers, 0) AS profile_followers FROM adrequest r "
          "JOIN campaign c ON c.id = r.campaign_id LEFT JOIN influencerprofile p ON p.user_id = r.influencer_id")


BASE_COLS = ("ad_request_id", "day", "campaign_id", "sponsor_id", "influencer_id", "category") + METRICS
# (table, conflict key columns or None for a plain insert, all columns)
BASE_TABLE = ("rollup_adrequest_day", None, BASE_COLS)
DAY_TABLE = ("rollup_day", ("scope", "key", "day"), ("scope", "key", "day") + METRICS)
TOTAL_TABLE = ("rollup_total", ("scope", "key"), ("scope", "key") + METRICS + EXTRA)


def _quoted(names) -> str:
    return ", ".join('"' + n + '"' for n in names)


def _insert_sql(target: tuple, mark: str) -> str:
    """INSERT, or with conflict keys an upsert that adds the new values to the stored ones."""
    table, keys, names = target
    sql = f"INSERT INTO {table} ({_quoted(names)}) VALUES ({', '.join([mark] * len(names))})"
    if keys:
        adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in names if c not in keys)
        sql += f" ON CONFLICT ({_quoted(keys)}) DO UPDATE SET {adds}"
    return sql


def _attrs(conn: Connection, where: str = "", params: dict | None = None) -> pd.DataFrame:
    attrs = pd.read_sql(sa.text(_ATTRS + where), conn, params=params).set_index("ad_request_id")
    committed = attrs["status"].isin(COMMITTED)
    attrs["spend_cents"] = attrs["payment_cents"].where(committed, 0).astype("int64")
    attrs["followers"] = attrs["profile_followers"].where(committed, 0).astype("int64")
    attrs["category_code"] = pd.Categorical(attrs["category"]).codes.astype("int64")
    return attrs


def _write(conn: Connection, target: tuple, frame: pd.DataFrame) -> None:
    """executemany straight on the driver with plain tuples (SQLAlchemy's per-row work is the cost)."""
    if frame.empty:
        return
    sql = _insert_sql(target, "?" if conn.dialect.paramstyle == "qmark" else "%s")
    if target[1]:  # upserts in primary-key order: neighbouring rows share B-tree pages (not scattered)
        frame = frame.sort_values(list(target[1]), kind="stable")
    rows = list(zip(*(frame[c].tolist() for c in target[2])))
    for start in range(0, len(rows), 50_000):
        conn.exec_driver_sql(sql, rows[start:start + 50_000])


def _apply_upper(conn: Connection, uppers: dict[str, pd.DataFrame], totals: pd.DataFrame,
                 attrs: pd.DataFrame) -> None:
    """Add day deltas per scope and total deltas (incl. adrequest scope, spend, followers)."""
    parts = [totals]
    for scope, frame in uppers.items():
        frame = frame.assign(scope=scope, key=key_text(scope, frame["key"], attrs))
        _write(conn, DAY_TABLE, nonzero(frame, METRICS))
        parts.append(frame.groupby(["scope", "key"], sort=False)[list(METRICS)].sum().reset_index())
    totals = pd.concat(parts, ignore_index=True).fillna(0)
    if totals.empty:
        return
    totals = totals.groupby(["scope", "key"], sort=False)[list(METRICS + EXTRA)].sum().reset_index()
    _write(conn, TOTAL_TABLE, nonzero(totals, METRICS + EXTRA).astype({c: "int64" for c in METRICS + EXTRA}))


def _watermark(session: Session, source: str) -> RollupWatermark:
    mark = session.get(RollupWatermark, source)
    return mark or RollupWatermark(source=source)


def _newest(session: Session, model) -> tuple[datetime | None, int]:
    row = session.exec(select(model.updated_at, model.id).order_by(model.updated_at.desc(), model.id.desc())
                       .limit(1)).first()
    return (row[0], row[1]) if row else (None, 0)


def _after(model, mark: RollupWatermark, hi: tuple):
    """model rows with mark < (updated_at, id) <= hi, written so an index on updated_at serves it."""
    cond = [model.updated_at <= hi[0], sa.or_(model.updated_at < hi[0], model.id <= hi[1])]
    if mark.updated_at is not None:
        cond += [model.updated_at >= mark.updated_at,
                 sa.or_(model.updated_at > mark.updated_at, model.id > mark.last_id)]
    return sa.and_(*cond)


def _advance(session: Session, source: str, hi: tuple, now: datetime) -> None:
    mark = _watermark(session, source)
    if hi[0] is not None:
        mark.updated_at, mark.last_id = hi
    mark.refreshed_at = now
    session.add(mark)


_KEYS_DDL = ("CREATE TEMPORARY TABLE rollup_keys (ad_request_id BIGINT NOT NULL, day DATE NOT NULL, "
             "PRIMARY KEY (ad_request_id, day))")
_REQS_DDL = "CREATE TEMPORARY TABLE rollup_reqs (id BIGINT NOT NULL PRIMARY KEY)"
# {join}: "CROSS JOIN" on SQLite, whose planner otherwise may scan the big table and probe the
# (unanalysed, small) temp table; SQLite's CROSS JOIN keeps the written order. "JOIN" elsewhere.
_KEYED_RAW = (_RAW.replace("FROM metricsnapshot s JOIN deliverable d ON d.id = s.deliverable_id",
                           "FROM rollup_keys k {join} deliverable d ON d.ad_request_id = k.ad_request_id "
                           "{join} metricsnapshot s ON s.deliverable_id = d.id AND s.day = k.day")
              + " ORDER BY d.ad_request_id")
_KEYED_OLD = ("SELECT b.ad_request_id, b.day, " + ", ".join(f"b.{m}" for m in METRICS)
              + " FROM rollup_keys k {join} rollup_adrequest_day b ON k.ad_request_id = b.ad_request_id "
                "AND k.day = b.day")


def _keyed(conn: Connection, sql: str) -> str:
    return sql.format(join="CROSS JOIN" if conn.dialect.name == "sqlite" else "JOIN")
_OLD_EXTRA = ('SELECT CAST("key" AS BIGINT) AS ad_request_id, spend_cents, followers FROM rollup_total '
              "WHERE scope = 'adrequest' AND \"key\" IN (SELECT CAST(id AS VARCHAR(60)) FROM rollup_reqs)")


def streamed(sql: str):
    """A query read in chunks: a server-side cursor on PostgreSQL (SQLite steps through rows anyway)."""
    return sa.text(sql).execution_options(stream_results=True)


def read_chunks(conn: Connection, sql: str, chunksize: int) -> Iterator[pd.DataFrame]:
    """pd.read_sql in chunks. On SQLite straight on the driver's connection (the same connection and
    transaction): pandas' sqlite3 path skips SQLAlchemy's per-row result processing."""
    if conn.dialect.name == "sqlite":
        return pd.read_sql(sql, conn.connection.driver_connection, chunksize=chunksize)
    return pd.read_sql(streamed(sql), conn, chunksize=chunksize)


def _temp_tables(conn: Connection, create: bool) -> None:
    for name, ddl in (("rollup_keys", _KEYS_DDL), ("rollup_reqs", _REQS_DDL)):
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {name}"))
        if create:
            conn.execute(sa.text(ddl))


def _changed_keys(conn: Connection, mark: RollupWatermark, hi: tuple, chunksize: int) -> list[dict]:
    """Fill rollup_keys with the (ad request, day) keys of snapshots in (mark, hi]; returns them."""
    from brandifiers.models import Deliverable

    stmt = (select(Deliverable.ad_request_id, MetricSnapshot.day).distinct()
            .join(Deliverable, Deliverable.id == MetricSnapshot.deliverable_id)
            .where(_after(MetricSnapshot, mark, hi)))
    seen: set[tuple] = set()
    for chunk in pd.read_sql(stmt.execution_options(stream_results=True), conn, chunksize=chunksize):
        chunk["day"] = day_text(chunk["day"])
        seen.update(zip(chunk["ad_request_id"].astype(int), chunk["day"]))
    rows = [{"a": a, "d": d} for a, d in sorted(seen)]
    for start in range(0, len(rows), 50_000):
        conn.execute(sa.text("INSERT INTO rollup_keys (ad_request_id, day) VALUES (:a, :d)"), rows[start:start + 50_000])
    return rows


def _changed_requests(conn: Connection, mark: RollupWatermark, hi: tuple) -> int:
    """Fill rollup_reqs with the ad requests changed in (mark, hi] or touched by rollup_keys."""
    ids: set[int] = set()
    if hi[0] is not None:  # no ad request at all: nothing changed (and no bound to compare with)
        ids = {int(i) for i in conn.execute(select(AdRequest.id).where(_after(AdRequest, mark, hi))).scalars()}
    ids.update(int(i) for i in conn.execute(sa.text("SELECT DISTINCT ad_request_id FROM rollup_keys")).scalars())
    rows = [{"i": i} for i in sorted(ids)]
    for start in range(0, len(rows), 50_000):
        conn.execute(sa.text("INSERT INTO rollup_reqs (id) VALUES (:i)"), rows[start:start + 50_000])
    return len(rows)


def run_rollup(session: Session, *, now: datetime | None = None, chunksize: int = CHUNK) -> dict:
    """The incremental run: fold in what changed since the watermark; returns counts. Commits.

    Everything (summary rows and watermarks) is written in one transaction: on any error it is
    rolled back and the next run starts from the same watermark."""
    return _in_one_transaction(session, _incremental, now or utcnow(), chunksize)


SQLITE_CACHE_KIB = 256 * 1024  # page cache for a run: its upserts hit pages all over the summary tables


def _one_run_at_a_time(session: Session) -> None:
    """Serialise runs before the watermark is read: two overlapping runs would both fold in the
    same changes. PostgreSQL: a transaction-level advisory lock (the second run waits). SQLite:
    an early no-op UPDATE takes the one write lock (the second run waits busy_timeout, then fails
    and the next scheduled run catches up)."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('brandifiers-metric-rollup'))"))
    else:
        conn.execute(sa.text("UPDATE rollup_watermark SET last_id = last_id WHERE 1 = 0"))


def _in_one_transaction(session: Session, work, now: datetime, chunksize: int) -> dict:
    sqlite = session.connection().dialect.name == "sqlite"
    if sqlite:
        default = session.connection().exec_driver_sql("PRAGMA cache_size").scalar()
        session.connection().exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        _one_run_at_a_time(session)
        result = work(session, now, chunksize)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        if sqlite:
            session.connection().exec_driver_sql(f"PRAGMA cache_size = {default}")
            session.commit()
    cache.invalidate(STATS_CACHE_PREFIX)
    return result


def _incremental(session: Session, now: datetime, chunksize: int) -> dict:
    conn = session.connection()
    snap_mark, req_mark = _watermark(session, "metricsnapshot"), _watermark(session, "adrequest")
    snap_hi, req_hi = _newest(session, MetricSnapshot), _newest(session, AdRequest)
    _temp_tables(conn, create=True)
    keys = _changed_keys(conn, snap_mark, snap_hi, chunksize) if snap_hi[0] is not None else []
    requests = _changed_requests(conn, req_mark, req_hi)
    attrs = _attrs(conn, " WHERE r.id IN (SELECT id FROM rollup_reqs)")
    old = pd.read_sql(sa.text(_keyed(conn, _KEYED_OLD)), conn)
    old["day"] = day_text(old["day"])
    old = old.set_index(["ad_request_id", "day"])
    for start in range(0, len(keys), 50_000):  # key by key, so the primary key serves each delete
        conn.execute(sa.text("DELETE FROM rollup_adrequest_day WHERE ad_request_id = :a AND day = :d"),
                     keys[start:start + 50_000])
    deltas = []
    for frame in complete_groups(read_chunks(conn, _keyed(conn, _KEYED_RAW), chunksize), "ad_request_id"):
        frame["day"] = day_text(frame["day"])
        new = base_rows(frame)
        _write_base(conn, new, attrs)
        deltas.append(new.set_index(["ad_request_id", "day"]))
    new_all = pd.concat(deltas) if deltas else old.iloc[0:0]
    delta = new_all.sub(old, fill_value=0).astype("int64").reset_index()
    old_extra = pd.read_sql(sa.text(_OLD_EXTRA), conn).set_index("ad_request_id")
    extra = attrs[list(EXTRA)].sub(old_extra, fill_value=0).astype("int64")
    _apply_upper(conn, upper_frames(delta, attrs), request_totals(delta, extra, attrs), attrs)
    _temp_tables(conn, create=False)
    _advance(session, "metricsnapshot", snap_hi, now)
    _advance(session, "adrequest", req_hi, now)
    return {"keys": len(keys), "requests": requests, "base_rows": len(new_all)}


def _write_base(conn: Connection, new: pd.DataFrame, attrs: pd.DataFrame) -> None:
    owners = attrs[["campaign_id", "sponsor_id", "influencer_id", "category"]]  # the base row keeps the name
    _write(conn, BASE_TABLE, new.join(owners, on="ad_request_id"))


def rebuild_all(session: Session, *, now: datetime | None = None, chunksize: int = CHUNK) -> dict:
    """Recompute every summary table from all raw snapshots and ad requests; resets the watermarks. Commits."""
    return _in_one_transaction(session, _rebuild, now or utcnow(), chunksize)


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
    cols = _quoted(("scope", "key", "day") + METRICS)
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
_BASE_SQL = (f"INSERT INTO rollup_adrequest_day ({_quoted(BASE_COLS)}) "
             "SELECT r.id, x.day, r.campaign_id, r.sponsor_id, r.influencer_id, c.category, "
             + ", ".join(f"SUM(x.{f})" for f in FIGURES) + f", SUM({_ENGAGEMENTS}) "
             "FROM ({chosen}) x JOIN deliverable d ON d.id = x.deliverable_id "
             "JOIN adrequest r ON r.id = d.ad_request_id JOIN campaign c ON c.id = r.campaign_id "
             "GROUP BY r.id, x.day, c.id")  # r's and c's columns depend on their primary keys
# Dropped around a rebuild and made again at the end (one sorted build instead of 4.6M inserts).
_SECONDARY = (("ix_rollup_adrequest_day_campaign", "rollup_adrequest_day", "campaign_id, day"),)
# SQLite, for the rebuild's own connection only (set back afterwards): a larger page cache for the
# sorts and the inserts. (synchronous cannot change inside the transaction the rebuild runs in.)
_REBUILD_PRAGMAS = {"cache_size": f"-{512 * 1024}"}


def _rebuild(session: Session, now: datetime, chunksize: int) -> dict:
    """Everything inside the database, set-based: the base rows with one INSERT ... SELECT (provenance
    choice + GROUP BY (ad request, day)), then every upper level as one GROUP BY over the base table,
    grouped in the order of the target's primary key (text keys) so rows are appended, not scattered.
    pandas keeps the incremental deltas and the small spend/followers step; `chunksize` is unused
    here (kept for the API)."""
    conn = session.connection()
    sqlite = conn.dialect.name == "sqlite"
    snap_hi, req_hi = _newest(session, MetricSnapshot), _newest(session, AdRequest)
    saved = {}
    if sqlite:
        for name, value in _REBUILD_PRAGMAS.items():
            saved[name] = conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            conn.exec_driver_sql(f"PRAGMA {name} = {value}")
    try:
        return _rebuild_sql(session, conn, now, snap_hi, req_hi)
    finally:
        if sqlite:
            for name, value in saved.items():
                conn.exec_driver_sql(f"PRAGMA {name} = {value}")


def _rebuild_sql(session: Session, conn: Connection, now: datetime, snap_hi: tuple, req_hi: tuple) -> dict:
    for name, _, _ in _SECONDARY:
        conn.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
    for table in ("rollup_adrequest_day", "rollup_day", "rollup_total"):
        conn.execute(sa.text(f"DELETE FROM {table}"))
    started = time.perf_counter()
    attrs = _attrs(conn)
    rows = conn.execute(sa.text(_BASE_SQL.format(chosen=_CHOSEN[conn.dialect.name]))).rowcount
    base_seconds = time.perf_counter() - started
    _rebuild_upper_days(conn)
    extra = _quoted(EXTRA)
    conn.execute(sa.text(f"INSERT INTO rollup_total ({_quoted(('scope', 'key') + METRICS)}, {extra}) "
                         f"SELECT scope, \"key\", {_SUMS}, 0, 0 FROM rollup_day GROUP BY scope, \"key\""))
    key = "CAST(ad_request_id AS VARCHAR(60))"
    conn.execute(sa.text(f"INSERT INTO rollup_total ({_quoted(('scope', 'key') + METRICS)}, {extra}) "
                         f"SELECT 'adrequest', {key}, {_SUMS}, 0, 0 "
                         f"FROM rollup_adrequest_day GROUP BY {key} ORDER BY {key}"))
    no_figures = pd.DataFrame({"ad_request_id": pd.Series(dtype="int64"),
                               **{m: pd.Series(dtype="int64") for m in METRICS}})
    _apply_upper(conn, {}, request_totals(no_figures, attrs[list(EXTRA)], attrs), attrs)  # spend, followers
    for name, table, columns in _SECONDARY:
        conn.execute(sa.text(f"CREATE INDEX {name} ON {table} ({columns})"))
    if conn.dialect.name == "postgresql":  # fresh planner statistics for the dashboards' reads
        for table in ("rollup_adrequest_day", "rollup_day", "rollup_total"):
            conn.execute(sa.text(f"ANALYZE {table}"))
    _advance(session, "metricsnapshot", snap_hi, now)
    _advance(session, "adrequest", req_hi, now)
    return {"base_rows": rows, "requests": len(attrs), "base_seconds": round(base_seconds, 1),
            "upper_seconds": round(time.perf_counter() - started - base_seconds, 1)}


def last_refreshed(session: Session) -> datetime | None:
    """When the rollups were last brought up to date (None: never)."""
    return session.exec(select(sa.func.max(RollupWatermark.refreshed_at))).first()
