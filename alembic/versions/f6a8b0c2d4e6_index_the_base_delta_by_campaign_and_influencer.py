"""index the base delta rows by campaign and by influencer

A campaign's and an influencer's series and totals add their base delta rows (services/
rollup_read.py); found through the ad requests, PostgreSQL hashed the whole delta (18 ms at L with
2% in the deltas). The delta is small, so two indexes cost the incremental run little.

Revision ID: f6a8b0c2d4e6
Revises: e5f7a9b1c3d5
Create Date: 2026-11-26 11:20:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'f6a8b0c2d4e6'
down_revision: Union[str, Sequence[str], None] = 'e5f7a9b1c3d5'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_rollup_adrequest_day_delta_campaign", "rollup_adrequest_day_delta", ["campaign_id"])
    op.create_index("ix_rollup_adrequest_day_delta_influencer", "rollup_adrequest_day_delta", ["influencer_id"])


def downgrade() -> None:
    op.drop_index("ix_rollup_adrequest_day_delta_influencer", table_name="rollup_adrequest_day_delta")
    op.drop_index("ix_rollup_adrequest_day_delta_campaign", table_name="rollup_adrequest_day_delta")
