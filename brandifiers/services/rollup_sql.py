"""SQL building blocks shared by the incremental rollup run, the compaction and the full
rebuild (services/rollups.py, services/rollup_rebuild.py): temp tables, the set-based upserts
that add differences to a summary table, the owners of ad requests, watermarks.

The upper levels are written set-based: the base-row differences of a run go into the temp
table rollup_delta, the spend/followers differences into rollup_extra (each with the request's
owners), and one INSERT ... SELECT ... GROUP BY ... ON CONFLICT DO UPDATE SET x = x + excluded.x
per scope and table adds them up. Only the few base rows cross from pandas to the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from brandifiers.models import RollupWatermark
from brandifiers.services.metric_defs import COMMITTED
from brandifiers.services.rollup_frames import EXTRA, METRICS

OWNER_COLS = ("campaign_id", "sponsor_id", "influencer_id", "category")
BASE_COLS = ("ad_request_id", "day") + OWNER_COLS + METRICS
BASE_KEY, DAY_KEY, TOTAL_KEY = ("ad_request_id", "day"), ("scope", "key", "day"), ("scope", "key")
# (main, delta) table names
BASE, DAY, TOTAL = (("rollup_adrequest_day", "rollup_adrequest_day_delta"), ("rollup_day", "rollup_day_delta"),
                    ("rollup_total", "rollup_total_delta"))
# upper scope -> the owner column that is its key (platform: none, one row per day)
SCOPE_COLUMNS = {"campaign": "campaign_id", "influencer": "influencer_id", "sponsor": "sponsor_id",
                 "category": "category", "platform": None}
# ... and that key as text in SQL over the base/extra temp tables
SCOPE_KEYS = {scope: c if c in (None, "category") else f"CAST({c} AS VARCHAR(60))" for scope, c in SCOPE_COLUMNS.items()}
NO_KEY = "''"
_OWNERS_DDL = "campaign_id BIGINT NOT NULL, sponsor_id BIGINT NOT NULL, influencer_id BIGINT NOT NULL, " \
              "category VARCHAR(40) NOT NULL"
TEMP_TABLES = {
    "rollup_keys": "ad_request_id BIGINT NOT NULL, day DATE NOT NULL, PRIMARY KEY (ad_request_id, day)",
    "rollup_reqs": "id BIGINT NOT NULL PRIMARY KEY",
    "rollup_delta": (f"ad_request_id BIGINT NOT NULL, day DATE NOT NULL, {_OWNERS_DDL}, "
                     + ", ".join(f"{m} BIGINT NOT NULL" for m in METRICS) + ", PRIMARY KEY (ad_request_id, day)"),
    "rollup_extra": (f"ad_request_id BIGINT NOT NULL PRIMARY KEY, {_OWNERS_DDL}, "
                     "spend_cents BIGINT NOT NULL, followers BIGINT NOT NULL"),
}
_ATTRS = ("SELECT r.id AS ad_request_id, r.campaign_id, r.sponsor_id, r.influencer_id, c.category, r.status, "
          "r.payment_cents, COALESCE(p.total_followers, 0) AS profile_followers FROM adrequest r "
          "JOIN campaign c ON c.id = r.campaign_id LEFT JOIN influencerprofile p ON p.user_id = r.influencer_id")


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


def read_frame(conn: Connection, sql: str, params: dict | None = None) -> pd.DataFrame:
    """pd.read_sql; on SQLite straight on the driver's connection (same connection, same
    transaction, temp tables visible): pandas' sqlite3 path skips SQLAlchemy's per-row work."""
    if conn.dialect.name == "sqlite":
        return pd.read_sql(sql, conn.connection.driver_connection, params=params)
    return pd.read_sql(sa.text(sql), conn, params=params)


def streamed(sql: str):
    """A query read in chunks: a server-side cursor on PostgreSQL (SQLite steps through rows anyway)."""
    return sa.text(sql).execution_options(stream_results=True)


def read_chunks(conn: Connection, sql: str, chunksize: int) -> Iterator[pd.DataFrame]:
    """read_frame in chunks."""
    if conn.dialect.name == "sqlite":
        return pd.read_sql(sql, conn.connection.driver_connection, chunksize=chunksize)
    return pd.read_sql(streamed(sql), conn, chunksize=chunksize)


def attrs(conn: Connection, where: str = "") -> pd.DataFrame:
    """Per ad request: owners, category, and what it adds to spend and followers (committed only)."""
    out = read_frame(conn, _ATTRS + where).set_index("ad_request_id")
    committed = out["status"].isin(COMMITTED)
    out["spend_cents"] = out["payment_cents"].where(committed, 0).astype("int64")
    out["followers"] = out["profile_followers"].where(committed, 0).astype("int64")
    return out


def insert_rows(conn: Connection, table: str, frame: pd.DataFrame, names: tuple, tail: str = "") -> None:
    """executemany straight on the driver with plain tuples (SQLAlchemy's per-row work is the cost);
    `tail`: an ON CONFLICT clause, if any."""
    if frame.empty:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({quoted(names)}) VALUES ({', '.join([mark] * len(names))}){tail}"
    rows = list(zip(*(frame[c].tolist() for c in names)))
    for start in range(0, len(rows), 50_000):
        conn.exec_driver_sql(sql, rows[start:start + 50_000])


def apply_upper(conn: Connection, day_table: str, total_table: str) -> None:
    """Add the temp tables' differences upward: rollup_delta -> day rows per scope and total rows per
    scope incl. "adrequest"; rollup_extra -> spend and followers of the totals. `WHERE true` keeps
    SQLite's parser from reading ON CONFLICT as a join."""
    sums = ", ".join(f"SUM({m})" for m in METRICS)
    for scope, key in SCOPE_KEYS.items():
        group = f"{key}, day" if key else "day"
        conn.execute(sa.text(
            f"INSERT INTO {day_table} ({quoted(DAY_KEY + METRICS)}) "
            f"SELECT '{scope}', {key or NO_KEY}, day, {sums} FROM rollup_delta WHERE true GROUP BY {group}"
            + add_on_conflict(day_table, DAY_KEY, DAY_KEY + METRICS)))
    zeros, figures = ", ".join(["0"] * len(METRICS)), ", ".join(METRICS)
    for scope, key in {"adrequest": "CAST(ad_request_id AS VARCHAR(60))", **SCOPE_KEYS}.items():
        both = (f"SELECT {key or NO_KEY} AS k, {figures}, 0 AS spend_cents, 0 AS followers FROM rollup_delta "
                f"UNION ALL SELECT {key or NO_KEY}, {zeros}, spend_cents, followers FROM rollup_extra")
        group = "GROUP BY k" if key else "HAVING COUNT(*) > 0"
        conn.execute(sa.text(
            f"INSERT INTO {total_table} ({quoted(TOTAL_KEY + METRICS + EXTRA)}) "
            f"SELECT '{scope}', {'k' if key else NO_KEY}, {sums}, SUM(spend_cents), SUM(followers) "
            f"FROM ({both}) u WHERE true {group}" + add_on_conflict(total_table, TOTAL_KEY, TOTAL_KEY + METRICS + EXTRA)))


def watermark(session: Session, source: str) -> RollupWatermark:
    mark = session.get(RollupWatermark, source)
    return mark or RollupWatermark(source=source)


def newest(session: Session, model) -> tuple[datetime | None, int]:
    row = session.exec(select(model.updated_at, model.id).order_by(model.updated_at.desc(), model.id.desc())
                       .limit(1)).first()
    return (row[0], row[1]) if row else (None, 0)


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
