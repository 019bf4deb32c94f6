"""The bulk writer of brandifiers.seed: fast inserts with pre-assigned ids."""

from __future__ import annotations

import time
from datetime import UTC

import numpy as np
import sqlalchemy as sa


class BulkWriter:
    """Writes generated columns in chunks inside the caller's transaction, with pre-assigned ids.

    SQLite: plain executemany with values pre-formatted as SQLAlchemy stores them (no per-value
    type processing); PostgreSQL with psycopg 3: COPY; any other backend: Core insert of dicts.
    """

    CHUNK = 20_000

    def __init__(self, conn, tables, log):
        self.conn, self.log, self.counts = conn, log, {}
        d = conn.dialect
        self.mode = ("sqlite" if d.name == "sqlite" else
                     "copy" if (d.name, d.driver) == ("postgresql", "psycopg") else "core")
        self.next_id = {m.__tablename__: (conn.execute(sa.select(sa.func.max(m.__table__.c.id))).scalar() or 0) + 1
                        for m in tables}

    def ids(self, model, n: int) -> np.ndarray:
        start = self.next_id[model.__tablename__]
        self.next_id[model.__tablename__] += n
        return np.arange(start, start + n)

    def insert(self, model, cols: dict, quiet: bool = False) -> None:
        """cols: column -> numpy array, list, or one constant for every row (needs an "id" array)."""
        t0, table, keys = time.perf_counter(), model.__table__, list(cols)
        n, names = len(cols["id"]), ", ".join(f'"{k}"' for k in keys)
        for a in range(0, n, self.CHUNK):
            rows = list(zip(*(self._values(table.c[k], cols[k], a, min(n, a + self.CHUNK)) for k in keys)))
            if self.mode == "sqlite":
                marks = ", ".join("?" * len(keys))
                self.conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)
            elif self.mode == "copy":
                with (self.conn.connection.driver_connection.cursor() as cur,
                      cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy):
                    for row in rows:
                        copy.write_row(row)
            else:
                self.conn.execute(table.insert(), [dict(zip(keys, row)) for row in rows])
        self.counts[table.name] = self.counts.get(table.name, 0) + n
        if not quiet:
            self.log(f"  {table.name:<17} {n:>10,} rows  {time.perf_counter() - t0:6.1f}s")

    def _values(self, column, v, a: int, b: int) -> list:
        if not isinstance(v, (np.ndarray, list)):
            return [v] * (b - a)
        v = v[a:b]
        if isinstance(v, list) or v.dtype.kind != "M":
            return v if isinstance(v, list) else v.tolist()
        if self.mode == "sqlite":  # 'YYYY-MM-DD HH:MM:SS.ffffff' and 'YYYY-MM-DD', as SQLAlchemy writes them
            is_date = v.dtype == np.dtype("datetime64[D]")
            text = np.datetime_as_string(v, unit="D" if is_date else "us")
            out = (text if is_date else np.char.replace(text, "T", " ")).astype(object)
            out[np.isnat(v)] = None
            return out.tolist()
        out = v.tolist()  # sqlmodel's UTCDateTime (timestamptz) wants aware datetimes, DateTime naive ones
        if getattr(getattr(column.type, "impl", column.type), "timezone", False):
            out = [x if x is None else x.replace(tzinfo=UTC) for x in out]
        return out
