"""offers immutable: the database refuses UPDATE on offer

An offer is one entry of the negotiation ledger; the services only insert them. This trigger makes
that a property of the database, like the audit log's (migration c3d5e7f9a1b2). DELETE stays
allowed: deleting a campaign that never reached an agreement removes its requests and their offers.
The SQL is copied on purpose (a migration is frozen); brandifiers/models/adrequests.py keeps the
SQLite statement for the test fixtures.

Revision ID: d1f3a5c7e9b0
Revises: b8d0f2a4c6e8
Create Date: 2026-12-05 22:10:00

"""
from typing import Sequence, Union

from alembic import op

revision: str = 'd1f3a5c7e9b0'
down_revision: Union[str, Sequence[str], None] = 'b8d0f2a4c6e8'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MESSAGE = "offers are immutable"
SQLITE_UP = (f"CREATE TRIGGER offer_no_update BEFORE UPDATE ON offer BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",)
SQLITE_DOWN = ("DROP TRIGGER IF EXISTS offer_no_update",)
PG_UP = (
    "CREATE FUNCTION offer_immutable() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$",
    "CREATE TRIGGER offer_no_update BEFORE UPDATE ON offer FOR EACH ROW EXECUTE FUNCTION offer_immutable()",
)
PG_DOWN = ("DROP TRIGGER IF EXISTS offer_no_update ON offer", "DROP FUNCTION IF EXISTS offer_immutable()")


def _run(statements) -> None:
    for sql in statements:
        op.execute(sql)


def upgrade() -> None:
    _run(PG_UP if op.get_bind().dialect.name == "postgresql" else SQLITE_UP)


def downgrade() -> None:
    _run(PG_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN)
