"""user.time_zone: each person's IANA time zone (existing accounts: UTC)

Revision ID: f3a1c5e7b9d2
Revises: f1a3c5e7b9d2
Create Date: 2026-12-06 03:45:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'f3a1c5e7b9d2'
down_revision: Union[str, Sequence[str], None] = 'f1a3c5e7b9d2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('user') as batch:
        batch.add_column(sa.Column('time_zone', sa.String(length=64), server_default='UTC', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('user') as batch:
        batch.drop_column('time_zone')
