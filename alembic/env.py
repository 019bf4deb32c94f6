"""Alembic environment for the plain `alembic` CLI.

`reflex db migrate` and brandifiers.migrations configure Alembic programmatically and do
not run this file; both use the same metadata (every brandifiers model) and the same URL
(REFLEX_DB_URL, else rxconfig's SQLite default).
"""

from logging.config import fileConfig

from sqlmodel import SQLModel

import brandifiers.models  # noqa: F401  (registers every table)
from alembic import context
from brandifiers.db import get_engine
from brandifiers.migrations import include_name, include_object

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    with get_engine().connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                          include_name=include_name, include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported: run `reflex db migrate`.")
run_migrations_online()
