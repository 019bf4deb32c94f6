"""fold the rollup deltas in: a total delta row no longer carries figures

From this revision the incremental rollup writes each figure difference once, as a delta day row
(an ad request's: a base delta row), and a total delta row only for spend and followers; readers
add a key's delta days to its total (services/rollups/rollup_read.py). Delta rows written before it carry
the figures twice (day and total), so they are folded into the main tables here, the way
`rollups.compact` did until now, and the deltas emptied. A database whose deltas are empty (after
the nightly compaction, or a fresh one) changes nothing.

Revision ID: d4e6f8a0b2c4
Revises: c88758979042
Create Date: 2026-11-26 08:40:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'd4e6f8a0b2c4'
down_revision: Union[str, Sequence[str], None] = 'c88758979042'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_METRICS = ("views", "likes", "comments", "shares", "saves", "clicks", "conversions", "revenue_cents", "engagements")
_OWNERS = ("campaign_id", "sponsor_id", "influencer_id", "category")
_TABLES = (  # (main, delta, key, other columns): the schema as of this revision
    ("rollup_adrequest_day", ("ad_request_id", "day"), _OWNERS + _METRICS),
    ("rollup_day", ("scope", "key", "day"), _METRICS),
    ("rollup_total", ("scope", "key"), _METRICS + ("spend_cents", "followers")),
)


def _quoted(names) -> str:
    return ", ".join(f'"{n}"' for n in names)


def upgrade() -> None:
    for main, key, other in _TABLES:
        adds = ", ".join(f"{c} = {main}.{c} + excluded.{c}" for c in other if c not in _OWNERS)
        cols = _quoted(key + other)
        op.execute(f"INSERT INTO {main} ({cols}) SELECT {cols} FROM {main}_delta WHERE true "
                   f"ON CONFLICT ({_quoted(key)}) DO UPDATE SET {adds}")
        op.execute(f"DELETE FROM {main}_delta")


def downgrade() -> None:
    """Nothing to undo: the main tables hold the same figures the deltas did."""
