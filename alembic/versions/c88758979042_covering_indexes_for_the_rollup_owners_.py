"""covering indexes for the rollup owners lookup and the admin's spend by month

The incremental rollup reads owners, status, payment and followers of scattered ad requests; from
these narrow indexes instead of the wide rows (services/rollup_sql.attrs). The admin's spend by
month sums committed payments per month range of accepted_at: status joins the accepted_at index
so the sum needs no row (services/stats_views.platform_spend_by_month); it still serves the admin
analytics' agreed-per-month sums.

Revision ID: c88758979042
Revises: 672f1f32eb41
Create Date: 2026-11-26 06:32:08.965922

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'c88758979042'
down_revision: Union[str, Sequence[str], None] = '672f1f32eb41'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


_INDEXES = (
    ("ix_adrequest_rollup_attrs", "adrequest", ["id", "campaign_id", "sponsor_id", "influencer_id", "status",
                                                "payment_cents"]),
    ("ix_campaign_rollup", "campaign", ["id", "category"]),
    ("ix_influencerprofile_followers", "influencerprofile", ["user_id", "total_followers"]),
    ("ix_adrequest_accepted_status_payment", "adrequest", ["accepted_at", "status", "payment_cents"]),
)


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns, unique=False)
    op.drop_index("ix_adrequest_accepted_payment", table_name="adrequest")  # the new one covers its uses


def downgrade() -> None:
    op.create_index("ix_adrequest_accepted_payment", "adrequest", ["accepted_at", "payment_cents"], unique=False)
    for name, table, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
