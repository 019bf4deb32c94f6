"""campaign and influencer day series are read from the base rows; categories keep no days

From this revision rollup_day holds the days of sponsors and the platform only; a campaign's and
an influencer's day series (and the delta part of their totals) are summed from the base rows (ad
request, day) of their ad requests when read (services/rollups/rollup_read.py), and a category's figure
differences go to its total delta rows (nothing shows a category's days). At L those were 6.1M of
rollup_day's 7.1M rows, which every rebuild wrote.

Upgrade: the deltas are folded into the main tables by the rule that held until now (a total's
figures = main + delta total + its key's delta days), as `rollups.compact` did, so no figure
depends on the delta day rows about to go; then the campaign, influencer and category day rows
are deleted.
A database whose deltas are empty (after the nightly compaction, or a fresh one) only loses those
rows.

Revision ID: e5f7a9b1c3d5
Revises: d4e6f8a0b2c4
Create Date: 2026-11-26 10:40:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'e5f7a9b1c3d5'
down_revision: Union[str, Sequence[str], None] = 'd4e6f8a0b2c4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_METRICS = ("views", "likes", "comments", "shares", "saves", "clicks", "conversions", "revenue_cents", "engagements")
_EXTRA = ("spend_cents", "followers")
_OWNERS = ("campaign_id", "sponsor_id", "influencer_id", "category")
_TABLES = (  # (main, key, other columns): the schema as of this revision
    ("rollup_adrequest_day", ("ad_request_id", "day"), _OWNERS + _METRICS),
    ("rollup_day", ("scope", "key", "day"), _METRICS),
    ("rollup_total", ("scope", "key"), _METRICS + _EXTRA),
)


def _quoted(names) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _adds(main: str, other) -> str:
    return ", ".join(f"{c} = {main}.{c} + excluded.{c}" for c in other if c not in _OWNERS)


def upgrade() -> None:
    totals = _quoted(("scope", "key") + _METRICS + _EXTRA)
    sums = ", ".join(f"SUM({m})" for m in _METRICS)
    tail = f' ON CONFLICT (scope, "key") DO UPDATE SET {_adds("rollup_total", _METRICS + _EXTRA)}'
    request_key = "CAST(ad_request_id AS VARCHAR(60))"
    for select_key, group, table in (('scope, "key"', 'scope, "key"', "rollup_day_delta"),
                                     (f"'adrequest', {request_key}", request_key, "rollup_adrequest_day_delta")):
        op.execute(f"INSERT INTO rollup_total ({totals}) SELECT {select_key}, {sums}, 0, 0 FROM {table} "
                   f"GROUP BY {group}{tail}")
    for main, key, other in _TABLES:
        cols = _quoted(key + other)
        op.execute(f"INSERT INTO {main} ({cols}) SELECT {cols} FROM {main}_delta WHERE true "
                   f"ON CONFLICT ({_quoted(key)}) DO UPDATE SET {_adds(main, other)}")
        op.execute(f"DELETE FROM {main}_delta")
    op.execute("DELETE FROM rollup_day WHERE scope IN ('campaign', 'influencer', 'category')")


def downgrade() -> None:
    """The deleted day rows are not brought back: `reflex run` of the older code needs a rebuild
    (`python -m brandifiers.jobs rebuild`) to show them again."""
