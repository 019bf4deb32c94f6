"""Engine and session. One engine per URL, created lazily."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine, select

from brandifiers import config


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: the configured REFLEX_DB_URL), one per URL."""
    return _engine_for(url or config.db_url())


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def lock_row(session: Session, model, row_id: int):
    """Lock one row (of a table with an updated_at column) until the session's transaction ends
    and return it re-read, or None when it does not exist. Why this works: docs/concurrency.md."""
    if session.get_bind().dialect.name == "sqlite":
        # a no-op UPDATE takes SQLite's write lock now, before the caller reads anything
        session.exec(sa.update(model).where(model.id == row_id).values(updated_at=model.updated_at)
                     .execution_options(synchronize_session=False))
        stmt = select(model).where(model.id == row_id)
    else:
        stmt = select(model).where(model.id == row_id).with_for_update()
    return session.exec(stmt.execution_options(populate_existing=True)).first()
