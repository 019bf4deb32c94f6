"""usersession: the device (readable browser and system) and the last time it was seen, for the
account page's list of sessions

Revision ID: f2a1c3e5b7d9
Revises: e2b4c6d8f0a1
Create Date: 2026-12-06 03:45:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'f2a1c3e5b7d9'
down_revision: Union[str, Sequence[str], None] = 'e2b4c6d8f0a1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('usersession') as batch:
        batch.add_column(sa.Column('device', sa.String(length=80), nullable=True))
        batch.add_column(sa.Column('last_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('usersession') as batch:
        batch.drop_column('last_seen_at')
        batch.drop_column('device')
