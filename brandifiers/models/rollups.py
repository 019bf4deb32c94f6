"""Summary tables of the metric rollups (services/rollups/ writes them, dashboards read them): base rows
per (ad request, day), stored day rows, totals, each with a delta twin; and the watermarks.
Design: docs/rollups.md."""

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
    """Without the owners (migration a7c9e1f3b5d7): the rebuild writes narrower rows, faster, and
    looks no owner up per deliverable."""
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
