"""category medians shared by the app's processes

One row per category: the median engagement rate of its active influencers and when it was
computed (services/discovery/medians.py). A process whose own cache is empty reads these instead of
computing them on a search; a stale row is served while it is recomputed in the background.

Revision ID: a975e49d7485
Revises: b2c4d6e8f0a1
Create Date: 2026-11-26 03:06:22.938615

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = 'a975e49d7485'
down_revision: Union[str, Sequence[str], None] = 'b2c4d6e8f0a1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('categorymedian',
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('median_er', sa.Float(), nullable=True),
    sa.Column('computed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('category')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('categorymedian')
