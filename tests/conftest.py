"""Shared fixtures: a migrated database per backend (SQLite always, PostgreSQL when
BRANDIFIERS_TEST_DB_URL is set), emptied after every test."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from brandifiers.db import get_engine
from brandifiers.migrations import upgrade
from brandifiers.models.audit import SQLITE_APPEND_ONLY

PG_URL = os.environ.get("BRANDIFIERS_TEST_DB_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _pg_database(base_url: str, name: str, create: bool) -> None:
    admin = sa.create_engine(sa.engine.make_url(base_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if create:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        else:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_database(backend: str, tmp_dir: Path) -> tuple[str, callable]:
    """A new, empty database: (url, drop)."""
    if backend == "sqlite":
        path = tmp_dir / f"test-{uuid.uuid4().hex[:8]}.db"
        return f"sqlite:///{path}", lambda: None
    name = f"brandifiers_test_{uuid.uuid4().hex[:10]}"
    _pg_database(PG_URL, name, create=True)
    url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    def drop():
        get_engine(url).dispose()
        _pg_database(PG_URL, name, create=False)

    return url, drop


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(request, tmp_path_factory):
    """A migrated database for this backend, shared by the session's tests."""
    url, drop = make_database(request.param, tmp_path_factory.mktemp(request.param))
    upgrade(get_engine(url))
    yield url
    drop()


def _empty_all_tables(url: str) -> None:
    engine = get_engine(url)
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:  # the audit log refuses DELETE: lift its triggers for the cleaning only
            for name in SQLITE_APPEND_ONLY:
                conn.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}"))
            for t in tables:
                conn.execute(sa.text(f'DELETE FROM "{t}"'))
            for sql in SQLITE_APPEND_ONLY.values():
                conn.execute(sa.text(sql))


@pytest.fixture(autouse=True)
def _medians_without_threads(monkeypatch):
    """services/discovery/medians.py refreshes and stores in a background thread; in tests that work runs
    at once, so that no thread writes into the next test's emptied tables. Each test starts with
    an empty median cache."""
    from brandifiers.services.discovery import medians

    medians.clear_median_cache()
    monkeypatch.setattr(medians, "_in_background", lambda work: work())
    yield
    medians.clear_median_cache()


@pytest.fixture
def engine(db_url, monkeypatch):
    """The test database, also made the app's configured database (for state tests)."""
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    yield get_engine(db_url)
    _empty_all_tables(db_url)


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Ids restart in every emptied database: no cached value may outlive its test."""
    from brandifiers.services.common import cache

    cache.invalidate("")
    yield
    cache.invalidate("")
