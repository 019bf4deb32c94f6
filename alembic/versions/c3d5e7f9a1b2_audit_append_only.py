"""audit log append-only: the database refuses UPDATE and DELETE on auditevent

The services only ever insert audit events (services/common/audit.py); these triggers make that a
property of the database, so no code path (or a hand-written SQL statement) can rewrite
history. PostgreSQL's TRUNCATE, which only a database owner runs, is not blocked (the test
suite empties its own databases with it). The SQL is copied on purpose (a migration is frozen);
brandifiers/models/audit.py keeps the SQLite statements for the test fixtures.

Revision ID: c3d5e7f9a1b2
Revises: 7bcf64130a70
Create Date: 2026-11-26 02:45:00

"""
from typing import Sequence, Union

from alembic import op

revision: str = 'c3d5e7f9a1b2'
down_revision: Union[str, Sequence[str], None] = '7bcf64130a70'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MESSAGE = "the audit log is append-only"
SQLITE_UP = (
    f"CREATE TRIGGER auditevent_no_update BEFORE UPDATE ON auditevent BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER auditevent_no_delete BEFORE DELETE ON auditevent BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
)
SQLITE_DOWN = ("DROP TRIGGER IF EXISTS auditevent_no_update", "DROP TRIGGER IF EXISTS auditevent_no_delete")
PG_UP = (
    "CREATE FUNCTION auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$",
    "CREATE TRIGGER auditevent_no_change BEFORE UPDATE OR DELETE ON auditevent "
    "FOR EACH ROW EXECUTE FUNCTION auditevent_append_only()",
)
PG_DOWN = ("DROP TRIGGER IF EXISTS auditevent_no_change ON auditevent",
           "DROP FUNCTION IF EXISTS auditevent_append_only()")


def _run(statements) -> None:
    for sql in statements:
        op.execute(sql)


def upgrade() -> None:
    _run(PG_UP if op.get_bind().dialect.name == "postgresql" else SQLITE_UP)


def downgrade() -> None:
    _run(PG_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN)
