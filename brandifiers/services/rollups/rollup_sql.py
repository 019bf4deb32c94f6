"""Building blocks of the rollup run, compaction and rebuild: temp tables, upserts that add differences
(executemany on SQLite, COPY on PostgreSQL), owners of ad requests, watermarks. Design: docs/rollups.md."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from brandifiers.models import MetricSnapshot, RollupWatermark
from brandifiers.services.metrics.metric_defs import COMMITTED
from brandifiers.services.rollups.rollup_frames import DAYLESS, EXTRA, METRICS, STORED_DAYS, as_date, nonzero

OWNER_COLS = ("campaign_id", "sponsor_id", "influencer_id", "category")
BASE_COLS = ("ad_request_id", "day") + OWNER_COLS + METRICS  # the base delta's; the main table has no owners
BASE_MAIN_COLS = ("ad_request_id", "day") + METRICS
BASE_KEY, DAY_KEY, TOTAL_KEY = ("ad_request_id", "day"), ("scope", "key", "day"), ("scope", "key")
# (main, delta) table names
BASE, DAY, TOTAL = (("rollup_adrequest_day", "rollup_adrequest_day_delta"), ("rollup_day", "rollup_day_delta"),
                    ("rollup_total", "rollup_total_delta"))
# upper scope -> the owner column that is its key (platform: none, one row per day)
SCOPE_COLUMNS = {"campaign": "campaign_id", "influencer": "influencer_id", "sponsor": "sponsor_id",
                 "category": "category", "platform": None}
TEMP_TABLES = {
    "rollup_keys": "ad_request_id BIGINT NOT NULL, day DATE NOT NULL, recompute SMALLINT NOT NULL, "
                   "PRIMARY KEY (ad_request_id, day)",
    "rollup_reqs": "id BIGINT NOT NULL PRIMARY KEY",
}
_ATTRS = ("SELECT r.id AS ad_request_id, r.campaign_id, r.sponsor_id, r.influencer_id, c.category, r.status, "
          "r.payment_cents, COALESCE(p.total_followers, 0) AS profile_followers FROM {source} "
          "JOIN campaign c ON c.id = r.campaign_id LEFT JOIN influencerprofile p ON p.user_id = r.influencer_id")
# the requests in the temp table rollup_reqs (driven from it: on SQLite a CROSS JOIN keeps that
# order). SQLite reads the covering indexes (models: ix_adrequest_rollup_attrs, ix_campaign_rollup,
# ix_influencerprofile_followers) instead of the wide rows: its planner prefers the rowid lookup,
# so they are named.
_ATTRS_SQL = {
    "sqlite": _ATTRS.format(source="rollup_reqs k CROSS JOIN adrequest r INDEXED BY ix_adrequest_rollup_attrs "
                                   "ON r.id = k.id")
    .replace("JOIN campaign c ON", "JOIN campaign c INDEXED BY ix_campaign_rollup ON")
    .replace("JOIN influencerprofile p ON", "JOIN influencerprofile p INDEXED BY ix_influencerprofile_followers ON"),
    "postgresql": _ATTRS.format(source="rollup_reqs k JOIN adrequest r ON r.id = k.id"),
}


def quoted(names) -> str:
    return ", ".join('"' + n + '"' for n in names)


def add_on_conflict(table: str, keys: tuple, names: tuple) -> str:
    """The tail of an upsert that adds the new values to the stored ones (not the key columns, nor
    a base row's owners, which never change)."""
    adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in names if c not in keys + OWNER_COLS)
    return f" ON CONFLICT ({quoted(keys)}) DO UPDATE SET {adds}"


def temp_tables(conn: Connection, create: bool) -> None:
    for name, columns in TEMP_TABLES.items():
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {name}"))
        if create:
            conn.execute(sa.text(f"CREATE TEMPORARY TABLE {name} ({columns})"))


def _frames(batches: Iterator[list], columns: list[str]) -> Iterator[pd.DataFrame]:
    """Row batches as DataFrames (one empty frame with the columns when there are none)."""
    first = True
    for rows in batches:
        yield _frame(rows, columns)
        first = False
    if first:
        yield pd.DataFrame.from_records([], columns=columns)


def _frame(rows: list, columns: list[str]) -> pd.DataFrame:
    """Rows (tuples) as a DataFrame, column by column: a column of integers straight into an int64
    array (np.fromiter), anything else (text, dates, decimals, NULLs) inferred by pandas as
    from_records does (which inferred every column from Python objects, more slowly)."""
    if not rows or len(set(columns)) != len(columns):  # (a dict keeps one of two equal names)
        return pd.DataFrame.from_records(rows, columns=columns)
    data = {}
    for name, values in zip(columns, zip(*rows)):
        if type(values[0]) is int:
            try:
                data[name] = np.fromiter(values, dtype=np.int64, count=len(values))
                continue
            except (TypeError, ValueError, OverflowError):  # a NULL, a float, a huge number: inferred
                pass
        data[name] = pd.Series(values)
    return pd.DataFrame(data, columns=columns)


def _one_frame(frames: Iterator[pd.DataFrame]) -> pd.DataFrame:
    frames = list(frames)
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def read_chunks(conn: Connection, sql: str, chunksize: int) -> Iterator[pd.DataFrame]:
    """A query's rows as DataFrames of up to `chunksize` rows, read straight on the driver's cursor
    (same connection and transaction, temp tables visible): SQLAlchemy's per-row work was the cost.
    PostgreSQL: a server-side cursor, so a big result streams."""
    raw = conn.connection.driver_connection
    cur = raw.cursor(name="rollup_read") if conn.dialect.name == "postgresql" else raw.cursor()
    try:
        cur.execute(sql)
        yield from _frames(iter(lambda: cur.fetchmany(chunksize), []), [d[0] for d in cur.description])
    finally:
        cur.close()


def stream_stmt(conn: Connection, stmt, chunksize: int) -> Iterator[pd.DataFrame]:
    """A SQLAlchemy statement's rows as DataFrames of up to `chunksize` rows. SQLite: taken from the
    driver's cursor, which streams (values as the driver returns them, no SQLAlchemy per-row
    processing). PostgreSQL: a server-side cursor (stream_results), so a big result streams;
    SQLAlchemy buffers those rows itself, so they are read through it."""
    if conn.dialect.name == "postgresql":
        result = conn.execute(stmt, execution_options={"stream_results": True, "yield_per": chunksize})
        batches = ([tuple(row) for row in part] for part in result.partitions())
    else:
        result = conn.execute(stmt)
        batches = iter(lambda: result.cursor.fetchmany(chunksize), [])
    try:
        yield from _frames(batches, list(result.keys()))
    finally:
        result.close()


def read_stmt(conn: Connection, stmt) -> pd.DataFrame:
    """stream_stmt in one frame."""
    return _one_frame(stream_stmt(conn, stmt, 200_000))


def read_frame(conn: Connection, sql: str) -> pd.DataFrame:
    """read_chunks in one frame."""
    return _one_frame(read_chunks(conn, sql, 200_000))


def cross_join(conn: Connection) -> str:
    """The join that keeps the written order: SQLite's planner may otherwise scan the big table and
    probe the (unanalysed, small) temp table; its CROSS JOIN keeps the order. "JOIN" elsewhere."""
    return "CROSS JOIN" if conn.dialect.name == "sqlite" else "JOIN"


def attrs(conn: Connection) -> pd.DataFrame:
    """Per ad request in rollup_reqs: owners, category, and what it adds to spend and followers
    (committed only)."""
    out = read_frame(conn, _ATTRS_SQL[conn.dialect.name]).set_index("ad_request_id")
    committed = out["status"].isin(COMMITTED)
    out["spend_cents"] = out["payment_cents"].where(committed, 0).astype("int64")
    out["followers"] = out["profile_followers"].where(committed, 0).astype("int64")
    return out


def insert_rows(conn: Connection, table: str, frame: pd.DataFrame, names: tuple, tail: str = "") -> None:
    """Write a frame's rows into `table`; `tail`: an ON CONFLICT clause, if any. SQLite: executemany
    straight on the driver with plain tuples (SQLAlchemy's per-row work is the cost). PostgreSQL:
    COPY into a temp table, then one INSERT ... SELECT (executemany was slow per row there)."""
    if frame.empty:
        return
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, table, frame, names, tail)
        return
    sql = f"INSERT INTO {table} ({quoted(names)}) VALUES ({', '.join(['?'] * len(names))}){tail}"
    rows = list(zip(*(frame[c].tolist() for c in names)))
    for start in range(0, len(rows), 50_000):
        conn.exec_driver_sql(sql, rows[start:start + 50_000])


def _copy_rows(conn: Connection, table: str, frame: pd.DataFrame, names: tuple, tail: str) -> None:
    stage = "rollup_stage"
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {stage}")
    conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {stage} AS SELECT {quoted(names)} FROM {table} WITH NO DATA")
    data = frame.to_csv(columns=list(names), header=False, index=False, quoting=csv.QUOTE_NONNUMERIC)  # "" is not NULL
    with (conn.connection.driver_connection.cursor() as cur,
          cur.copy(f"COPY {stage} ({quoted(names)}) FROM STDIN WITH (FORMAT csv)") as copy):
        copy.write(data)
    conn.exec_driver_sql(f"INSERT INTO {table} ({quoted(names)}) SELECT {quoted(names)} FROM {stage}{tail}")
    conn.exec_driver_sql(f"DROP TABLE {stage}")


def scope_key(frame: pd.DataFrame, column: str | None) -> pd.Series:
    """A scope's key as stored ("key" columns are text): the id as text, the category, or "" (platform)."""
    if column is None:
        return pd.Series("", index=frame.index)
    return frame[column] if column == "category" else frame[column].astype(str)


UPPER_SCOPES = {"adrequest": "ad_request_id", **SCOPE_COLUMNS}  # the totals' scopes -> key column


def upper_rows(delta: pd.DataFrame, extra: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The differences of the upper levels, summed in pandas (a hash group, no sort of the rows):
    day rows (scope, key, day, METRICS) of the scopes with stored days (STORED_DAYS) from `delta`
    (base-row differences with their owners), and total rows (scope, key, METRICS, EXTRA) of every
    scope incl. "adrequest" from `extra` (spend/followers differences with owners), their figures
    zero except a DAYLESS scope's: other totals' figures are not written again, readers add its
    key's delta day rows, or base delta rows, to it (rollup_read). Grouped on the owner columns
    (integers), made text keys after; all-zero rows are dropped."""
    days, totals = [], []
    for scope, column in UPPER_SCOPES.items():
        by = [column] if column else []
        if scope in STORED_DAYS:
            d = delta.groupby(by + ["day"], sort=False)[list(METRICS)].sum().reset_index()
            days.append(d.assign(scope=scope, key=scope_key(d, column)))
        t = extra[by + list(EXTRA)].groupby(by or (lambda _: ""), sort=False)[list(EXTRA)].sum()
        if scope in DAYLESS:  # its figure differences too
            t = t.join(delta.groupby(by, sort=False)[list(METRICS)].sum(), how="outer").fillna(0)
        t = t.reset_index(names=by or None)
        totals.append(t.assign(scope=scope, key=scope_key(t, column)))
    day_rows = nonzero(pd.concat(days, ignore_index=True), METRICS)
    total_rows = pd.concat(totals, ignore_index=True)
    figures = {m: total_rows[m].fillna(0) if m in total_rows else 0 for m in METRICS}
    total_rows = nonzero(total_rows.assign(**figures), METRICS + EXTRA)
    return day_rows.astype(dict.fromkeys(METRICS, "int64")), total_rows.astype(dict.fromkeys(METRICS + EXTRA, "int64"))


def apply_upper(conn: Connection, delta: pd.DataFrame, extra: pd.DataFrame, day_table: str, total_table: str) -> None:
    """Add the upper levels' differences (upper_rows) to a day and a total table."""
    day_rows, total_rows = upper_rows(delta, extra)
    insert_rows(conn, day_table, day_rows, DAY_KEY + METRICS, add_on_conflict(day_table, DAY_KEY, DAY_KEY + METRICS))
    insert_rows(conn, total_table, total_rows, TOTAL_KEY + METRICS + EXTRA,
                add_on_conflict(total_table, TOTAL_KEY, TOTAL_KEY + METRICS + EXTRA))


def watermark(session: Session, source: str) -> RollupWatermark:
    mark = session.get(RollupWatermark, source)
    return mark or RollupWatermark(source=source)


def newest(session: Session, model) -> tuple[datetime | None, int]:
    row = session.exec(select(model.updated_at, model.id).order_by(model.updated_at.desc(), model.id.desc())
                       .limit(1)).first()
    return (row[0], row[1]) if row else (None, 0)


SEEN = "metricsnapshot.id"  # a watermark row: last_id = the highest snapshot id visible at the end of the last
# run, updated_at = midnight of the newest day any snapshot visible then had


def seen(session: Session) -> tuple[int | None, date | None]:
    """The highest snapshot id, and the newest day, the rollups had seen at the end of the last run
    or rebuild (None: not recorded, e.g. before the first run: then no snapshot can be taken as new
    to them). Every row counted so far has an id at or below that id, and (SQLite: every row with
    such an id; PostgreSQL: every row committed by then) a day at or before that day."""
    mark = session.get(RollupWatermark, SEEN)
    if mark is None:
        return None, None
    return mark.last_id, mark.updated_at.date() if mark.updated_at is not None else None


def advance_seen(session: Session) -> None:
    """Record the highest snapshot id and the newest day visible now (one statement: one snapshot
    of the table on PostgreSQL; each a single index probe). Called after the run's last read of
    snapshots, so every row the run counted has an id at or below it, and a day at or before it."""
    M = MetricSnapshot
    highest, newest_day = session.exec(select(select(sa.func.max(M.id)).scalar_subquery(),
                                              select(sa.func.max(M.day)).scalar_subquery())).one()
    mark = watermark(session, SEEN)
    mark.last_id = highest or 0
    mark.updated_at = datetime.combine(as_date(newest_day), time(), UTC) if newest_day is not None else None
    session.add(mark)


def after(model, mark: RollupWatermark, hi: tuple):
    """model rows with mark < (updated_at, id) <= hi, written so an index on updated_at serves it."""
    cond = [model.updated_at <= hi[0], sa.or_(model.updated_at < hi[0], model.id <= hi[1])]
    if mark.updated_at is not None:
        cond += [model.updated_at >= mark.updated_at,
                 sa.or_(model.updated_at > mark.updated_at, model.id > mark.last_id)]
    return sa.and_(*cond)


def advance(session: Session, source: str, hi: tuple, now: datetime) -> None:
    mark = watermark(session, source)
    if hi[0] is not None:
        mark.updated_at, mark.last_id = hi
    mark.refreshed_at = now
    session.add(mark)
