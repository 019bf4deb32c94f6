"""merge the category medians branch

Revision ID: ac3cc0f03b6a
Revises: 353774084012, a975e49d7485
Create Date: 2026-11-26 03:24:53.164007

"""
from typing import Sequence, Union



# revision identifiers, used by Alembic.
revision: str = 'ac3cc0f03b6a'
down_revision: Union[str, Sequence[str], None] = ('353774084012', 'a975e49d7485')
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass
