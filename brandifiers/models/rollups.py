"""Summary tables of the metric rollups (services/rollups.py writes them; dashboards read them).

- AdRequestDayRollup: one row per (ad request, day): the base grain, with the owners
  denormalised so upper levels and anomaly checks need no join.
- MetricDayRollup: one row per (scope, key, day) for the upper scopes campaign, influencer,
  sponsor, category and platform (key: the id as text, the category name, or "" for platform).
- MetricTotalRollup: one row per (scope, key) with all-time totals, for every scope including
  "adrequest"; spend_cents and followers live here only (they have no day).
- RollupWatermark: how far the incremental run has read each source table.
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


class AdRequestDayRollup(_Figures, table=True):
    __tablename__ = "rollup_adrequest_day"
    __table_args__ = (sa.Index("ix_rollup_adrequest_day_campaign", "campaign_id", "day"), NO_ROWID)

    ad_request_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    day: date = Field(primary_key=True)
    campaign_id: int = Field(sa_type=sa.BigInteger)
    sponsor_id: int = Field(sa_type=sa.BigInteger)
    influencer_id: int = Field(sa_type=sa.BigInteger)
    category: str = Field(sa_type=sa.String(40))


class MetricDayRollup(_Figures, table=True):
    __tablename__ = "rollup_day"
    __table_args__ = (NO_ROWID,)

    scope: str = Field(primary_key=True, sa_type=sa.String(12))
    key: str = Field(primary_key=True, sa_type=sa.String(60))
    day: date = Field(primary_key=True)


class MetricTotalRollup(_Figures, table=True):
    __tablename__ = "rollup_total"
    __table_args__ = (NO_ROWID,)

    scope: str = Field(primary_key=True, sa_type=sa.String(12))
    key: str = Field(primary_key=True, sa_type=sa.String(60))
    spend_cents: int = Field(default=0, sa_type=sa.BigInteger)
    followers: int = Field(default=0, sa_type=sa.BigInteger)


class RollupWatermark(SQLModel, table=True):
    __tablename__ = "rollup_watermark"

    source: str = Field(primary_key=True, sa_type=sa.String(30))
    updated_at: datetime | None = Field(default=None)
    last_id: int = Field(default=0, sa_type=sa.BigInteger)
    refreshed_at: datetime | None = Field(default=None)
