"""Summary tables of the metric rollups (services/rollups/rollups.py writes them; dashboards read them).

- AdRequestDayRollup: one row per (ad request, day): the base grain, figures only (readers find a
  campaign's or an influencer's rows through the ad requests' owner indexes; the rebuild joins the
  requests where it needs owners). Its delta twin carries the owners, denormalised and indexed: the
  incremental run groups by them, and readers find the delta's rows by them.
- MetricDayRollup: one row per (scope, key, day) for the upper scopes sponsor and platform (key:
  the id as text, or "" for platform). A campaign's and an influencer's days are summed from the
  base rows of their ad requests when read; categories have totals only.
- MetricTotalRollup: one row per (scope, key) with all-time totals, for every scope including
  "adrequest"; spend_cents and followers live here only (they have no day).
- RollupWatermark: how far the incremental run has read each source table, and (source
  "metricsnapshot.id") the highest snapshot id the last run or rebuild had seen.

Each of the three summary tables has a *delta* twin with the same key (rollup_*_delta). The
incremental run adds its differences there: a small table whose pages stay in cache, so a run
costs what it reads, not a page write for every scattered key of the big tables. Readers add
main and delta (services/rollups/rollup_read.py); a total's figures are main + delta total + the delta
day rows of its key (an ad request's, a campaign's or an influencer's: its base delta rows; the
run writes each difference once, as a day row; its total delta rows carry spend and followers
only, and a category's figures). `rollups.compact` folds the deltas into the main tables (a
nightly job) and `rollups.rebuild_all` empties them.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from brandifiers.models.metrics import MetricFigures


# SQLite: the summary tables are clustered on their primary key (one B-tree instead of a rowid
# table plus a key index): writes and key lookups touch half the pages. Ignored by PostgreSQL.
NO_ROWID = {"sqlite_with_rowid": False}


class _Figures(MetricFigures):
    engagements: int = Field(default=0, sa_type=sa.BigInteger)


class _AdRequestDay(_Figures):
    ad_request_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    day: date = Field(primary_key=True)


class AdRequestDayRollup(_AdRequestDay, table=True):
    """Without the owners (migration a7c9e1f3b5d7): 4 of 15 columns, and the rebuild's 4.57M rows at
    L were written 20% faster without them (and without looking them up)."""
    __tablename__ = "rollup_adrequest_day"
    __table_args__ = (NO_ROWID,)


class AdRequestDayDelta(_AdRequestDay, table=True):
    """The base delta rows are also read by campaign and by influencer (their series' and totals'
    delta part, services/rollups/rollup_read.py): indexed on those owners (the delta is small; the main
    table is reached through the ad requests instead)."""
    __tablename__ = "rollup_adrequest_day_delta"
    __table_args__ = (sa.Index("ix_rollup_adrequest_day_delta_campaign", "campaign_id"),
                      sa.Index("ix_rollup_adrequest_day_delta_influencer", "influencer_id"), NO_ROWID)

    campaign_id: int = Field(sa_type=sa.BigInteger)
    sponsor_id: int = Field(sa_type=sa.BigInteger)
    influencer_id: int = Field(sa_type=sa.BigInteger)
    category: str = Field(sa_type=sa.String(40))


class _ScopeDay(_Figures):
    scope: str = Field(primary_key=True, sa_type=sa.String(12))
    key: str = Field(primary_key=True, sa_type=sa.String(60))
    day: date = Field(primary_key=True)


class MetricDayRollup(_ScopeDay, table=True):
    __tablename__ = "rollup_day"
    __table_args__ = (NO_ROWID,)


class MetricDayDelta(_ScopeDay, table=True):
    __tablename__ = "rollup_day_delta"
    __table_args__ = (NO_ROWID,)


class _ScopeTotal(_Figures):
    scope: str = Field(primary_key=True, sa_type=sa.String(12))
    key: str = Field(primary_key=True, sa_type=sa.String(60))
    spend_cents: int = Field(default=0, sa_type=sa.BigInteger)
    followers: int = Field(default=0, sa_type=sa.BigInteger)


class MetricTotalRollup(_ScopeTotal, table=True):
    __tablename__ = "rollup_total"
    __table_args__ = (NO_ROWID,)


class MetricTotalDelta(_ScopeTotal, table=True):
    __tablename__ = "rollup_total_delta"
    __table_args__ = (NO_ROWID,)


class RollupWatermark(SQLModel, table=True):
    __tablename__ = "rollup_watermark"

    source: str = Field(primary_key=True, sa_type=sa.String(30))
    updated_at: datetime | None = Field(default=None)
    last_id: int = Field(default=0, sa_type=sa.BigInteger)
    refreshed_at: datetime | None = Field(default=None)
