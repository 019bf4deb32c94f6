"""Metric rollups: the incremental run, the nightly compaction and the full rebuild of the summary
tables (models/rollups.py), each on a Session; each commits, or rolls back and re-raises.
Design: docs/rollups.md."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.models import AdRequest, Campaign, Deliverable, MetricSnapshot, RollupWatermark
from brandifiers.services.common import cache
from brandifiers.services.metrics.metric_defs import FIGURES
from brandifiers.services.metrics.metrics import STATS_CACHE_PREFIX
from brandifiers.services.rollups import spend_days
from brandifiers.services.rollups.rollup_frames import (
    EXTRA,
    FROM_BASE,
    METRICS,
    PRIORITY,
    base_rows,
    complete_groups,
    day_text,
    nonzero,
)
from brandifiers.services.rollups.rollup_rebuild import REBUILD_PRAGMAS, rebuild
from brandifiers.services.rollups.rollup_sql import (
    BASE,
    BASE_COLS,
    BASE_KEY,
    BASE_MAIN_COLS,
    DAY,
    DAY_KEY,
    OWNER_COLS,
    TOTAL,
    TOTAL_KEY,
    add_on_conflict,
    advance,
    advance_seen,
    after,
    apply_upper,
    attrs,
    cross_join,
    insert_rows,
    newest,
    quoted,
    read_chunks,
    read_frame,
    seen,
    stream_stmt,
    temp_tables,
    watermark,
)

CHUNK = 250_000
FRESH, KNOWN, RECOMPUTE = 0, 1, 2  # what a changed key needs (_kinds)
_NO_KEYS = pd.DataFrame({c: pd.Series(dtype="object" if c == "day" else "int64")
                         for c in ("ad_request_id", "day", "kind")})
_NO_EXTRA = pd.DataFrame({c: pd.Series(dtype="object" if c == "category" else "int64")
                          for c in ("ad_request_id",) + EXTRA + OWNER_COLS})
_RAW = ("SELECT d.ad_request_id, s.deliverable_id, s.day, s.provenance, "
        + ", ".join(f"s.{f}" for f in FIGURES) + " FROM metricsnapshot s JOIN deliverable d ON d.id = s.deliverable_id")
# {join}: rollup_sql.cross_join
_KEYED_RAW = (_RAW.replace("FROM metricsnapshot s JOIN deliverable d ON d.id = s.deliverable_id",
                           "FROM rollup_keys k {join} deliverable d ON d.ad_request_id = k.ad_request_id "
                           "{join} metricsnapshot s ON s.deliverable_id = d.id AND s.day = k.day")
              + " WHERE k.recompute = 1 ORDER BY d.ad_request_id")
# main + delta of the keys' base rows, and of the requests' spend and followers
_KEYED_OLD = ("SELECT ad_request_id, day, " + ", ".join(f"SUM({m}) AS {m}" for m in METRICS) + " FROM ("
              + " UNION ALL ".join("SELECT b.ad_request_id, b.day, " + ", ".join(f"b.{m}" for m in METRICS)
                                   + f" FROM rollup_keys k {{join}} {t} b ON k.ad_request_id = b.ad_request_id "
                                   "AND k.day = b.day" for t in BASE)
              + ") u GROUP BY ad_request_id, day")
_OLD_EXTRA = ('SELECT CAST("key" AS BIGINT) AS ad_request_id, SUM(spend_cents) AS spend_cents, '
              'SUM(followers) AS followers FROM ('
              + " UNION ALL ".join(f"SELECT t.\"key\", t.spend_cents, t.followers FROM rollup_reqs r {{join}} {t} t "
                                   "ON t.scope = 'adrequest' AND t.\"key\" = CAST(r.id AS VARCHAR(60))" for t in TOTAL)
              + ') u GROUP BY "key"')


def _keyed(conn: Connection, sql: str) -> str:
    return sql.format(join=cross_join(conn))


def _changed_snapshots(conn: Connection, mark: RollupWatermark, hi: tuple, chunksize: int,
                       seen: tuple[int | None, date | None]) -> Iterator[pd.DataFrame]:
    """The snapshots written or replaced in (mark, hi], one pass: figures, ad request and owners, how
    many rows their (deliverable, day) has now and how many deliverables their request has (two
    index-only counts; -1 for a row new by its day, see _kinds, which needs neither); in frames of
    whole ad requests (a big catch-up streams)."""
    M, D, R, C = MetricSnapshot, Deliverable, AdRequest, Campaign
    o, d2 = sa.alias(M.__table__, "o"), sa.alias(D.__table__, "d2")
    rows = (select(sa.func.count()).select_from(o)
            .where(o.c.deliverable_id == M.deliverable_id, o.c.day == M.day).scalar_subquery())
    posts = select(sa.func.count()).select_from(d2).where(d2.c.ad_request_id == D.ad_request_id).scalar_subquery()
    seen_id, seen_day = seen
    if seen_id is not None and seen_day is not None:  # (a CASE branch not taken is not evaluated)
        new_day = sa.and_(M.id > seen_id, M.day > seen_day)
        rows, posts = sa.case((new_day, -1), else_=rows), sa.case((new_day, -1), else_=posts)
    stmt = (select(M.id, M.deliverable_id, M.day, M.provenance, *(getattr(M, f) for f in FIGURES),
                   D.ad_request_id, R.campaign_id, R.sponsor_id, R.influencer_id, C.category, rows.label("n_rows"),
                   posts.label("n_deliverables"))
            .join(D, D.id == M.deliverable_id).join(R, R.id == D.ad_request_id).join(C, C.id == R.campaign_id)
            .where(after(M, mark, hi)).order_by(D.ad_request_id))
    for frame in complete_groups(stream_stmt(conn, stmt, chunksize), "ad_request_id"):
        yield frame.assign(day=day_text(frame["day"]))


_TOP = max(PRIORITY, key=PRIORITY.get)  # a row of this provenance is chosen whatever else its day holds


def _kinds(changed: pd.DataFrame, seen: int | None) -> pd.Series:
    """Per changed row, what its (ad request, day) key needs (docs/rollups.md, "The incremental run"):
    FRESH (new to the rollups: added as it is), KNOWN (one deliverable, the changed rows decide its
    figures: the stored base row is subtracted) or RECOMPUTE (from all the key's raw rows). `seen`: the
    highest snapshot id visible at the end of the last run (None: unknown, nothing is fresh); a row
    with n_rows -1 is new by its day (_changed_snapshots)."""
    if changed.empty:
        return pd.Series(RECOMPUTE, index=changed.index, dtype="int64")
    by_key = changed.groupby(["deliverable_id", "day"], sort=False)
    new_day = changed["n_rows"] < 0
    whole = new_day | (by_key["id"].transform("size") == changed["n_rows"])
    new = whole & (by_key["id"].transform("min") > seen) if seen is not None else pd.Series(False, index=changed.index)
    top = (changed["provenance"] == _TOP).groupby([changed["deliverable_id"], changed["day"]], sort=False).transform(
        "any")
    decided = (changed["n_deliverables"] == 1) & (whole | top)
    row = pd.Series(RECOMPUTE, index=changed.index, dtype="int64").mask(decided, KNOWN).mask(new, FRESH)
    return row.groupby([changed["ad_request_id"], changed["day"]], sort=False).transform("max")


def _changed_requests(conn: Connection, mark: RollupWatermark, hi: tuple) -> int:
    """Fill rollup_reqs with the ad requests changed in (mark, hi] (status, payment, followers: their
    spend and followers are taken again)."""
    if hi[0] is None:  # no ad request at all: nothing changed (and no bound to compare with)
        return 0
    reqs = sa.table("rollup_reqs", sa.column("id"))
    conn.execute(sa.insert(reqs).from_select(["id"], select(AdRequest.id).where(after(AdRequest, mark, hi))))
    return conn.execute(sa.text("SELECT COUNT(*) FROM rollup_reqs")).scalar_one()  # (rowcount: -1 on psycopg)


def run_rollup(session: Session, *, now: datetime | None = None, chunksize: int = CHUNK) -> dict:
    """The incremental run: fold in what changed since the watermark; returns counts. Commits.

    Everything (summary rows and watermarks) is written in one transaction: on any error it is
    rolled back and the next run starts from the same watermark."""
    with _gc_paused():
        return _in_one_transaction(session, _incremental, now or utcnow(), chunksize)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the run (reference counting still frees what the
    run lets go of): the collections set off by the many objects of the changed rows walked them
    again and again, and the run makes no reference cycles to speak of."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# SQLite, for a run's own connection (set back afterwards): the run's temp tables and sorts in
# memory. The page cache stays small on purpose: a run reads scattered pages about once each, and
# a large cache only allocated a fresh buffer for every one.
_RUN_PRAGMAS = {"temp_store": "2"}
# PostgreSQL, for a run's transaction only: a run probes scattered keys of tables of millions of
# rows; at the default random_page_cost (4, for spinning disks) the planner chose to scan the
# whole base table instead of the index probes. JIT compiling is pure overhead on these short
# statements.
_PG_SETTINGS = {"random_page_cost": "1.1", "jit": "off"}


def _one_run_at_a_time(session: Session) -> None:
    """Serialise runs before the watermark is read: two overlapping runs would both fold in the
    same changes. PostgreSQL: a transaction-level advisory lock (the second run waits). SQLite:
    an early no-op UPDATE takes the one write lock (the second run waits busy_timeout, then fails
    and the next scheduled run catches up)."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('brandifiers-metric-rollup'))"))
        for name, value in _PG_SETTINGS.items():
            conn.execute(sa.text(f"SET LOCAL {name} = {value}"))
    else:
        conn.execute(sa.text("UPDATE rollup_watermark SET last_id = last_id WHERE 1 = 0"))


def _in_one_transaction(session: Session, work, now: datetime, chunksize: int, pragmas: dict = _RUN_PRAGMAS) -> dict:
    conn = session.connection()
    saved = {}
    if conn.dialect.name == "sqlite":  # before the transaction begins (temp_store cannot change inside it)
        for name, value in pragmas.items():
            saved[name] = conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            conn.exec_driver_sql(f"PRAGMA {name} = {value}")
    try:
        _one_run_at_a_time(session)
        result = work(session, now, chunksize)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        if saved:
            for name, value in saved.items():
                session.connection().exec_driver_sql(f"PRAGMA {name} = {value}")
            session.commit()
    cache.invalidate(STATS_CACHE_PREFIX)
    return result


def _incremental(session: Session, now: datetime, chunksize: int) -> dict:
    conn = session.connection()
    snap_mark, req_mark = watermark(session, "metricsnapshot"), watermark(session, "adrequest")
    snap_hi, req_hi = newest(session, MetricSnapshot), newest(session, AdRequest)
    temp_tables(conn, create=True)
    seen_before, fresh, known, keys, owners = seen(session), [], [], [], []
    changes = _changed_snapshots(conn, snap_mark, snap_hi, chunksize, seen_before) if snap_hi[0] is not None else ()
    for changed in changes:
        kind = _kinds(changed, seen_before[0])
        fresh.append(base_rows(changed[kind == FRESH]))
        known.append(base_rows(changed[kind == KNOWN]))
        keys.append(changed[["ad_request_id", "day"]].assign(kind=kind).drop_duplicates())
        owners.append(changed.drop_duplicates("ad_request_id")[["ad_request_id", *OWNER_COLS]])
    keys = pd.concat(keys) if keys else _NO_KEYS
    stored = keys[keys["kind"] != FRESH]  # their stored base rows are read and subtracted
    insert_rows(conn, "rollup_keys", stored.assign(recompute=(stored["kind"] == RECOMPUTE).astype("int64")),
                ("ad_request_id", "day", "recompute"))
    delta = pd.concat(fresh + [_stored_delta(conn, known, chunksize)], ignore_index=True)
    owners = pd.concat(owners).set_index("ad_request_id") if owners else _NO_EXTRA.set_index("ad_request_id")
    delta = nonzero(delta, METRICS).join(owners[list(OWNER_COLS)], on="ad_request_id").sort_values(list(BASE_KEY))
    insert_rows(conn, BASE[1], delta, BASE_COLS, add_on_conflict(BASE[1], BASE_KEY, BASE_COLS))
    requests = _changed_requests(conn, req_mark, req_hi)
    extra = _extra_delta(conn) if requests else _NO_EXTRA
    _apply_upper(conn, delta, extra)
    if (extra["spend_cents"] != 0).any() or not spend_days.is_stored(session):
        spend_days.refresh_platform(session)  # the admin's spend by month reads it
    temp_tables(conn, create=False)
    advance(session, "metricsnapshot", snap_hi, now)
    advance(session, "adrequest", req_hi, now)
    advance_seen(session)
    kinds = keys["kind"].value_counts()
    return {"keys": len(keys), "requests": requests, "fresh_keys": int(kinds.get(FRESH, 0)),
            "known_keys": int(kinds.get(KNOWN, 0)), "changed_rows": len(delta)}


def _stored_delta(conn: Connection, known: list[pd.DataFrame], chunksize: int) -> pd.DataFrame:
    """Base-row differences of the keys in rollup_keys: their new base rows (`known`: taken from the
    changed rows; or recomputed from all raw rows where `recompute`) minus the stored main + delta
    rows (a replaced or late row, even for an old day, replaces its old contribution)."""
    old = read_frame(conn, _keyed(conn, _KEYED_OLD))
    old["day"] = day_text(old["day"])
    new = known + [
        base_rows(frame.assign(day=day_text(frame["day"])))
        for frame in complete_groups(read_chunks(conn, _keyed(conn, _KEYED_RAW), chunksize), "ad_request_id")]
    new_all = pd.concat(new) if new else old.iloc[0:0]
    return (new_all.set_index(["ad_request_id", "day"]).sub(old.set_index(["ad_request_id", "day"]), fill_value=0)
            .astype("int64").reset_index())


def _extra_delta(conn: Connection) -> pd.DataFrame:
    """Spend and followers differences (with owners) of the requests in rollup_reqs."""
    owners = attrs(conn)
    old_extra = read_frame(conn, _keyed(conn, _OLD_EXTRA)).set_index("ad_request_id")
    extra = owners[list(EXTRA)].sub(old_extra, fill_value=0).astype("int64")
    return nonzero(extra, EXTRA).join(owners[list(OWNER_COLS)]).reset_index()


def _apply_upper(conn: Connection, delta: pd.DataFrame, extra: pd.DataFrame) -> None:
    apply_upper(conn, delta, extra, DAY[1], TOTAL[1])


def compact(session: Session, *, now: datetime | None = None) -> dict:
    """Add the delta tables into the main tables and empty them, in one transaction (readers see
    the same figures before and after). The delta day rows (and base rows: to the totals of their
    ad request, campaign and influencer) are added to their main totals as well: a total's figures
    are main + its delta days (rollup_read). Returns the number of delta rows folded in. Commits."""
    def work(session: Session, _now, _chunksize) -> dict:
        conn = session.connection()
        totals = quoted(TOTAL_KEY + METRICS + EXTRA)
        sums = ", ".join(f"SUM({m})" for m in METRICS)
        tail = add_on_conflict(TOTAL[0], TOTAL_KEY, TOTAL_KEY + METRICS + EXTRA)
        from_base = [(f"'{scope}', CAST({column} AS VARCHAR(60))", f"CAST({column} AS VARCHAR(60))", BASE[1])
                     for scope, column in FROM_BASE.items()]
        for select_key, group, table in [('scope, "key"', 'scope, "key"', DAY[1])] + from_base:
            conn.execute(sa.text(f"INSERT INTO {TOTAL[0]} ({totals}) SELECT {select_key}, {sums}, 0, 0 FROM {table} "
                                 f"GROUP BY {group} ORDER BY {group}" + tail))
        moved = {}
        for (main, delta), keys, cols in ((BASE, BASE_KEY, BASE_MAIN_COLS), (DAY, DAY_KEY, DAY_KEY + METRICS),
                                          (TOTAL, TOTAL_KEY, TOTAL_KEY + METRICS + EXTRA)):
            moved[main] = conn.execute(sa.text(
                f"INSERT INTO {main} ({quoted(cols)}) SELECT {quoted(cols)} FROM {delta} WHERE true ORDER BY "
                f"{quoted(keys)}" + add_on_conflict(main, keys, cols))).rowcount
            conn.execute(sa.text(f"DELETE FROM {delta}"))
        return moved
    result = _in_one_transaction(session, work, now or utcnow(), 0)
    _vacuum_deltas(session)
    return result


def rebuild_all(session: Session, *, now: datetime | None = None, chunksize: int = CHUNK) -> dict:
    """Recompute every summary table from all raw snapshots and ad requests; resets the watermarks. Commits."""
    result = _in_one_transaction(session, lambda s, at, _chunksize: rebuild(s, at), now or utcnow(), chunksize,
                                 REBUILD_PRAGMAS)
    _vacuum_deltas(session)
    return result


def _vacuum_deltas(session: Session) -> None:
    """PostgreSQL, after the deltas were emptied: VACUUM ANALYZE them. Until autovacuum came by, the
    dead rows of the DELETE sat in their indexes and made a dashboard's key lookup in the delta
    many times slower. VACUUM cannot run in a transaction: its own autocommit connection. SQLite
    has nothing to clean."""
    engine = session.get_bind()
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for _, delta in (BASE, DAY, TOTAL):
            conn.exec_driver_sql(f"VACUUM (ANALYZE) {delta}")


def last_refreshed(session: Session) -> datetime | None:
    """When the rollups were last brought up to date (None: never)."""
    return session.exec(select(sa.func.max(RollupWatermark.refreshed_at))).first()
