"""merge the statistics and admin/jobs migration branches

Revision ID: 353774084012
Revises: a6f47b6c8cec, efe9b0375e92
Create Date: 2026-11-26 02:47:00.652019

"""
from typing import Sequence, Union



# revision identifiers, used by Alembic.
revision: str = '353774084012'
down_revision: Union[str, Sequence[str], None] = ('a6f47b6c8cec', 'efe9b0375e92')
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass
