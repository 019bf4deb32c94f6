"""Schema checks and upgrades (the Alembic scripts of `reflex db migrate`): `ensure_current()` raises
SchemaNotCurrent naming the command to run on an unmigrated database; `python -m brandifiers.migrations
[--create]` upgrades to head (--create: first make a missing PostgreSQL database)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import brandifiers.models  # noqa: F401  (registers every table)
from brandifiers.config import get_settings
from brandifiers.db import get_engine

ROOT = Path(__file__).resolve().parent.parent
MIGRATE_COMMAND = "reflex db migrate   (or: python -m brandifiers.migrations)"


class SchemaNotCurrent(RuntimeError):
    pass


# Objects created by raw SQL in the migrations that SQLModel metadata cannot declare (SQLite FTS5
# tables and their shadow tables, PostgreSQL expression indexes, search indexes): autogenerate
# must neither drop them nor report them. alembic/env.py uses the same two hooks.
UNMODELLED_PREFIXES = ("fts_", "ix_search_")


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    return not (type_ in ("table", "index") and name and name.startswith(UNMODELLED_PREFIXES))


def include_object(obj, name: str | None, type_: str, reflected: bool, compare_to) -> bool:
    return include_name(name, type_, {})


def _script() -> tuple[Config, ScriptDirectory]:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    return config, ScriptDirectory.from_config(config)


def head_revision() -> str | None:
    return _script()[1].get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine | None = None, to_rev: str = "head") -> None:
    engine = engine or get_engine()
    config, script = _script()
    with engine.connect() as conn:
        with EnvironmentContext(config, script, fn=lambda rev, _ctx: script._upgrade_revs(to_rev, rev)) as env:
            env.configure(connection=conn, render_as_batch=True)
            with env.begin_transaction():
                env.run_migrations()
        conn.commit()


def pending_model_changes(engine: Engine) -> list:
    """What autogenerate would emit for this database (empty when models and migrations agree)."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True,
                                                      "include_name": include_name, "include_object": include_object})
        return compare_metadata(ctx, SQLModel.metadata)


def ensure_current(engine: Engine | None = None) -> None:
    engine = engine or get_engine()
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise SchemaNotCurrent(
            f"The database {engine.url.render_as_string(hide_password=True)} is at schema revision "
            f"{current or 'none (empty)'}, but the code needs {head}. Run: {MIGRATE_COMMAND}")


def create_database(url: str) -> bool:
    """Create the PostgreSQL database `url` names unless it exists (True when created); SQLite creates
    its file on first use, so nothing to do there."""
    target = sa.engine.make_url(url)
    if not target.drivername.startswith("postgresql"):
        return False
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            if conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                            {"name": target.database}).first():
                return False
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
            return True
    finally:
        server.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m brandifiers.migrations",
                                     description="Upgrade the database (REFLEX_DB_URL) to the newest schema.")
    parser.add_argument("--create", action="store_true", help="first create the PostgreSQL database if it is missing")
    if parser.parse_args().create and create_database(get_settings().db_url):
        print(f"created the database {get_engine().url.render_as_string(hide_password=True)}", file=sys.stderr)
    eng = get_engine()
    before = current_revision(eng)
    upgrade(eng)
    print(f"schema: {before or 'empty'} -> {current_revision(eng)}", file=sys.stderr)
