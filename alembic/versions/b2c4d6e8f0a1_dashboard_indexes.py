"""covering indexes for the dashboard sums

Revision ID: b2c4d6e8f0a1
Revises: 7391e64099c1
Create Date: 2026-11-26 00:58:00

"""
from typing import Sequence, Union

from alembic import op

revision: str = "b2c4d6e8f0a1"
down_revision: Union[str, Sequence[str], None] = "7391e64099c1"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("adrequest", schema=None) as batch_op:
        batch_op.create_index("ix_adrequest_sponsor_status", ["sponsor_id", "status", "payment_cents"], unique=False)
        batch_op.create_index("ix_adrequest_influencer_status", ["influencer_id", "status", "payment_cents"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("adrequest", schema=None) as batch_op:
        batch_op.drop_index("ix_adrequest_influencer_status")
        batch_op.drop_index("ix_adrequest_sponsor_status")
