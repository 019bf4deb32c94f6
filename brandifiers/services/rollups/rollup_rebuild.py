"""The full rebuild of the metric rollups (rollups.rebuild_all): every summary table recomputed
inside the database, set-based, from a Connection; the deltas emptied. Design: docs/rollups.md."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session

from brandifiers.models import AdRequest, MetricSnapshot
from brandifiers.services.metrics.metric_defs import COMMITTED, ENGAGEMENT_PARTS, FIGURES
from brandifiers.services.rollups import spend_days
from brandifiers.services.rollups.rollup_frames import EXTRA, METRICS, PRIORITY, STORED_DAYS
from brandifiers.services.rollups.rollup_sql import (
    BASE,
    BASE_KEY,
    BASE_MAIN_COLS,
    DAY,
    SCOPE_COLUMNS,
    TOTAL,
    TOTAL_KEY,
    add_on_conflict,
    advance,
    advance_seen,
    newest,
    quoted,
)

_SUMS = ", ".join(f"SUM({m})" for m in METRICS)
_DAY_COLS = quoted(("scope", "key", "day") + METRICS)
_TOTAL_COLS = quoted(TOTAL_KEY + METRICS + EXTRA)


def _rebuild_days(conn: Connection, aux: _AuxDays | None) -> None:
    """rollup_day (STORED_DAYS: sponsor, platform), appended in the order of its primary key (text
    keys): SQLite, a file: copied from the database file the second connection wrote (`aux`), the
    platform's rows first ('platform' < 'sponsor'); elsewhere the sponsors' rows from the base
    table with one sort, and the platform's from them."""
    assert STORED_DAYS == ("sponsor", "platform")
    if aux is not None:
        aux.copy_into(conn)
        return
    sums = ", ".join(f"SUM(b.{m})" for m in METRICS)
    conn.execute(sa.text(f"INSERT INTO rollup_day ({_DAY_COLS}) SELECT 'sponsor', {_SKEY}, b.day, {sums} "
                         "FROM rollup_adrequest_day b JOIN adrequest r ON r.id = b.ad_request_id "
                         f"GROUP BY {_SKEY}, b.day ORDER BY {_SKEY}, b.day"))
    conn.execute(sa.text(f"INSERT INTO rollup_day ({_DAY_COLS}) SELECT 'platform', '', day, {_SUMS} "
                         "FROM rollup_day WHERE scope = 'sponsor' GROUP BY day ORDER BY day"))


class _AuxDays:
    """SQLite, a database file: the sponsors' and the platform's day rows computed from the
    snapshots on a second connection, in a thread, while the rebuild's connection writes the base
    rows, into a scratch database file the rebuild attaches and copies from (docs/rollups.md)."""
    ALIAS = "rollup_rebuild_aux"

    def __init__(self, engine) -> None:
        self.raw = None  # the thread's sqlite3 connection, once it has one
        self.folder = tempfile.mkdtemp(prefix="brandifiers-rebuild-")
        self.path = os.path.join(self.folder, "days.db")
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rollup-rebuild")
        self.future: Future = pool.submit(self._write, engine)
        pool.shutdown(wait=False)  # the thread ends with its work

    def _write(self, engine) -> None:
        pooled = engine.raw_connection()
        raw = self.raw = pooled.driver_connection
        saved = raw.execute("PRAGMA cache_size").fetchone()[0]
        raw.execute("ATTACH DATABASE ? AS " + self.ALIAS, (self.path,))
        try:
            for pragma in ("journal_mode = OFF", "synchronous = OFF"):  # a scratch file
                raw.execute(f"PRAGMA {self.ALIAS}.{pragma}")
            raw.execute(f"PRAGMA cache_size = {REBUILD_PRAGMAS['cache_size']}")
            raw.execute(f"CREATE TABLE {self.ALIAS}.sponsor AS {_SPONSOR_DAYS_SQLITE}")
            raw.execute(f"CREATE TABLE {self.ALIAS}.platform AS SELECT 'platform' AS scope, '' AS \"key\", day, "
                        + ", ".join(f"SUM({m}) AS {m}" for m in METRICS)
                        + f" FROM {self.ALIAS}.sponsor GROUP BY day ORDER BY day")
            raw.commit()
        finally:
            raw.execute(f"PRAGMA cache_size = {saved}")
            raw.execute("DETACH DATABASE " + self.ALIAS)
            pooled.close()

    def copy_into(self, conn: Connection) -> None:
        """Wait for the thread, then copy its rows (in the rebuild's transaction). The attached file
        stays attached until the transaction ends (SQLite refuses to detach it before), so this
        connection is taken out of the pool: it is closed when the session lets go of it."""
        self.future.result()
        conn.exec_driver_sql(f"ATTACH DATABASE ? AS {self.ALIAS}", (self.path,))
        conn.connection.detach()
        for table in ("platform", "sponsor"):  # both in key order: appended
            conn.exec_driver_sql(f"INSERT INTO rollup_day ({_DAY_COLS}) SELECT * FROM {self.ALIAS}.{table}")

    def discard(self) -> None:
        """Remove the scratch file once the thread is done (a file still attached is only unlinked).
        If the rebuild failed before it needed the thread's rows, the thread's statement is
        interrupted rather than waited for."""
        if not self.future.done() and self.raw is not None:
            self.raw.interrupt()
        with contextlib.suppress(Exception):  # its error, if any, was raised by copy_into (or it was interrupted)
            self.future.result()
        shutil.rmtree(self.folder, ignore_errors=True)


def _aux_days(conn: Connection) -> _AuxDays | None:
    """The sponsors' and platform's days computed on a second connection (SQLite, a database file), else None."""
    if conn.dialect.name != "sqlite" or conn.engine.url.database in (None, "", ":memory:"):
        return None
    return _AuxDays(conn.engine)


# upper scope -> its key (text, as stored) as an expression over the temp table rollup_request_totals
_UPPER_KEYS = {scope: "''" if column is None else column if column == "category" else f"CAST({column} AS VARCHAR(60))"
               for scope, column in SCOPE_COLUMNS.items()}
_COMMITTED = ", ".join(f"'{s}'" for s in COMMITTED)


def _rebuild_totals(conn: Connection) -> None:
    """rollup_total: the ad requests' spend and followers (committed requests), appended in key
    order, then their figures added (grouped in the base table's key order: no sort of the base
    rows); every upper scope's totals summed from the ad requests' with their owners (small sorts)."""
    followers = "COALESCE(p.total_followers, 0)"
    request_key = "CAST(r.id AS VARCHAR(60))"
    # SQLite: the narrow covering index, not the status index and a lookup of each wide row
    requests = "adrequest r" + (" INDEXED BY ix_adrequest_rollup_attrs" if conn.dialect.name == "sqlite" else "")
    conn.execute(sa.text(
        f"INSERT INTO rollup_total ({_TOTAL_COLS}) SELECT 'adrequest', {request_key}, "
        + ", ".join("0" for _ in METRICS) + f", r.payment_cents, {followers} FROM {requests} "
        "LEFT JOIN influencerprofile p ON p.user_id = r.influencer_id "
        f"WHERE r.status IN ({_COMMITTED}) AND (r.payment_cents <> 0 OR {followers} <> 0) ORDER BY {request_key}"))
    conn.execute(sa.text(f"INSERT INTO rollup_total ({_TOTAL_COLS}) SELECT 'adrequest', "
                         f"CAST(ad_request_id AS VARCHAR(60)), {_SUMS}, 0, 0 FROM rollup_adrequest_day "
                         "GROUP BY ad_request_id" + add_on_conflict(TOTAL[0], TOTAL_KEY, TOTAL_KEY + METRICS + EXTRA)))
    conn.execute(sa.text("DROP TABLE IF EXISTS rollup_request_totals"))
    conn.execute(sa.text(
        "CREATE TEMPORARY TABLE rollup_request_totals AS SELECT r.campaign_id, r.influencer_id, r.sponsor_id, "
        f"c.category, {', '.join(f't.{m}' for m in METRICS + EXTRA)} FROM rollup_total t "
        "JOIN adrequest r ON r.id = CAST(t.\"key\" AS BIGINT) JOIN campaign c ON c.id = r.campaign_id "
        "WHERE t.scope = 'adrequest'"))
    for scope, key in _UPPER_KEYS.items():  # (platform: one group; PostgreSQL refuses GROUP BY '')
        group = f"GROUP BY {key} ORDER BY {key}" if scope != "platform" else "HAVING COUNT(*) > 0"
        conn.execute(sa.text(f"INSERT INTO rollup_total ({_TOTAL_COLS}) SELECT '{scope}', {key}, "
                             f"{', '.join(f'SUM({m})' for m in METRICS + EXTRA)} FROM rollup_request_totals {group}"))
    conn.execute(sa.text("DROP TABLE rollup_request_totals"))


_RANK = ("CASE provenance " + " ".join(f"WHEN '{p}' THEN {r}" for p, r in PRIORITY.items()) + " ELSE 0 END")
_FIG = ", ".join(FIGURES)


def _rank(alias: str) -> str:
    return _RANK.replace("provenance", f"{alias}.provenance")


def _engagements(alias: str) -> str:
    return " + ".join(f"{alias}.{p}" for p in ENGAGEMENT_PARTS)


# One row per (deliverable, day): the highest-PRIORITY provenance (the same rule as
# rollup_frames.choose_provenance). PostgreSQL: DISTINCT ON with the rank ordered first; SQLite
# (_CHOSEN_SQLITE): a snapshot counts unless its (deliverable, day) has a higher-ranked one.
_CHOSEN_PG = (f"SELECT DISTINCT ON (deliverable_id, day) deliverable_id, day, {_FIG} FROM metricsnapshot "
              f"ORDER BY deliverable_id, day, {_RANK} DESC")


def _chosen_sqlite(owners: str) -> str:
    """SQLite: the counted snapshots in (ad request, deliverable, day) order (see _BASE_SQL), with
    `owners` (joins by rowid, once per deliverable) between the deliverables and their snapshots."""
    return ("FROM deliverable d " + owners
            + "CROSS JOIN metricsnapshot s INDEXED BY sqlite_autoindex_metricsnapshot_1 ON s.deliverable_id = d.id "
            "WHERE NOT EXISTS (SELECT 1 FROM metricsnapshot o INDEXED BY sqlite_autoindex_metricsnapshot_1 "
            f"WHERE o.deliverable_id = s.deliverable_id AND o.day = s.day AND ({_rank('o')} > {_rank('s')} "
            f"OR ({_rank('o')} = {_rank('s')} AND o.id < s.id)))")


_SKEY = "CAST(r.sponsor_id AS VARCHAR(60))"
# SQLite: the sponsors' days straight from the counted snapshots (read on a second connection)
_SPONSOR_DAYS_SQLITE = (f"SELECT 'sponsor' AS scope, {_SKEY} AS \"key\", s.day AS day, "
                        + ", ".join(f"SUM(s.{f}) AS {f}" for f in FIGURES)
                        + f", SUM({_engagements('s')}) AS engagements "
                        + _chosen_sqlite("CROSS JOIN adrequest r NOT INDEXED ON r.id = d.ad_request_id ")
                        + f"GROUP BY {_SKEY}, s.day ORDER BY {_SKEY}, s.day")
_BASE_SQL = {
    # PostgreSQL: the chosen rows grouped per (ad request, day) (a hash aggregate)
    "postgresql": (f"INSERT INTO rollup_adrequest_day ({quoted(BASE_MAIN_COLS)}) SELECT d.ad_request_id, x.day, "
                   + ", ".join(f"SUM(x.{f})" for f in FIGURES) + f", SUM({_engagements('x')}) "
                   f"FROM ({_CHOSEN_PG}) x JOIN deliverable d ON d.id = x.deliverable_id "
                   "GROUP BY d.ad_request_id, x.day"),
    # SQLite has no hash aggregate: that GROUP BY was a sort of every snapshot. Instead:
    # deliverables in ad request order (their index), each one's snapshots read in the unique
    # constraint's index order; a snapshot counts unless its (deliverable, day) has a higher-ranked
    # one (among equal ranks the lowest id counts), a probe of that index (cheaper than grouping
    # them); an upsert adds a request's second deliverable to the rows its first one has just
    # written (pages in cache).
    "sqlite": (f"INSERT INTO rollup_adrequest_day ({quoted(BASE_MAIN_COLS)}) SELECT d.ad_request_id, s.day, "
               + ", ".join(f"s.{f}" for f in FIGURES) + f", {_engagements('s')} "
               + _chosen_sqlite("") + " ORDER BY d.ad_request_id, d.id, s.day"
               + add_on_conflict("rollup_adrequest_day", BASE_KEY, BASE_MAIN_COLS)),
}
# SQLite, for the rebuild's connection (services/rollups/rollups.py sets them and back): a 64 MB page
# cache (a smaller one was slower, a larger one costs its allocations), its sorts in temp files; and
# no secure_delete (Debian builds SQLite with it on: emptying the summary tables overwrote every
# freed page with zeros).
REBUILD_PRAGMAS = {"cache_size": "-65536", "temp_store": "1", "secure_delete": "0"}


def rebuild(session: Session, now: datetime) -> dict:
    snap_hi, req_hi = newest(session, MetricSnapshot), newest(session, AdRequest)
    result = _rebuild_sql(session.connection())
    spend_days.refresh_platform(session)
    advance(session, "metricsnapshot", snap_hi, now)
    advance(session, "adrequest", req_hi, now)
    advance_seen(session)
    return result


def _rebuild_sql(conn: Connection) -> dict:
    aux = _aux_days(conn)
    try:
        for table in BASE + DAY + TOTAL:
            conn.execute(sa.text(f"DELETE FROM {table}"))
        started = time.perf_counter()
        conn.execute(sa.text(_BASE_SQL[conn.dialect.name]))
        base_seconds = time.perf_counter() - started
        _rebuild_totals(conn)
        _rebuild_days(conn, aux)
    finally:
        if aux is not None:
            aux.discard()
    if conn.dialect.name == "postgresql":  # fresh planner statistics for the dashboards' reads
        for table in BASE + DAY + TOTAL:
            conn.execute(sa.text(f"ANALYZE {table}"))
    upper_seconds = time.perf_counter() - started - base_seconds
    counts = {table: conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
              for table in (BASE[0], DAY[0], TOTAL[0])}
    return {"base_rows": counts[BASE[0]], "day_rows": counts[DAY[0]], "total_rows": counts[TOTAL[0]],
            "base_seconds": round(base_seconds, 1), "upper_seconds": round(upper_seconds, 1)}
