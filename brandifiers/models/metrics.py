"""Daily metric snapshots per deliverable, with provenance."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from brandifiers.clock import utcnow


class MetricFigures(SQLModel):
    """The figures of one day (shared by the snapshots and the rollup summary tables)."""

    views: int = Field(default=0, sa_type=sa.BigInteger)
    likes: int = Field(default=0, sa_type=sa.BigInteger)
    comments: int = Field(default=0, sa_type=sa.BigInteger)
    shares: int = Field(default=0, sa_type=sa.BigInteger)
    saves: int = Field(default=0, sa_type=sa.BigInteger)
    clicks: int = Field(default=0, sa_type=sa.BigInteger)
    conversions: int = Field(default=0, sa_type=sa.BigInteger)
    revenue_cents: int = Field(default=0, sa_type=sa.BigInteger)


class MetricSnapshot(MetricFigures, table=True):
    __table_args__ = (
        sa.UniqueConstraint("deliverable_id", "day", "provenance", name="uq_metric_day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deliverable_id: int = Field(foreign_key="deliverable.id", index=True, ondelete="CASCADE")
    day: date = Field(index=True)
    provenance: str = Field(sa_type=sa.String(20))
    reported_by_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    # updated_at drives the incremental rollup watermark.
    updated_at: datetime = Field(default_factory=utcnow, index=True)
