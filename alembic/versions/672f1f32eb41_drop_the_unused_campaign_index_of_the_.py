"""drop the unused campaign index of the rollup base table

No reader looks up base rows by campaign (dashboards read rollup_day and rollup_total); the index
cost 1.5 s of every rebuild at L and a write for every base row.

Revision ID: 672f1f32eb41
Revises: 72e256873381
Create Date: 2026-11-26 06:15:03.674426

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '672f1f32eb41'
down_revision: Union[str, Sequence[str], None] = '72e256873381'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.drop_index('ix_rollup_adrequest_day_campaign', table_name='rollup_adrequest_day')


def downgrade() -> None:
    """Downgrade schema."""
    op.create_index('ix_rollup_adrequest_day_campaign', 'rollup_adrequest_day', ['campaign_id', 'day'], unique=False)
