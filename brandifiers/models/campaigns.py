"""Campaigns owned by sponsors."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from brandifiers.clock import utcnow


class Campaign(SQLModel, table=True):
    __table_args__ = (
        sa.CheckConstraint("budget_cents >= 0", name="ck_campaign_budget_nonneg"),
        sa.CheckConstraint("end_date >= start_date", name="ck_campaign_dates"),
        sa.Index("ix_campaign_discovery", "visibility", "status", "category"),
        sa.Index("ix_campaign_rollup", "id", "category"),  # covering: the rollup's category lookups
    )

    id: int | None = Field(default=None, primary_key=True)
    sponsor_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(sa_type=sa.String(120), index=True)
    description: str = Field(default="", sa_type=sa.String(4000))
    category: str = Field(sa_type=sa.String(40), index=True)
    niche: str | None = Field(default=None, sa_type=sa.String(80), index=True)
    goals: str = Field(default="", sa_type=sa.String(2000))
    target_views: int | None = Field(default=None, sa_type=sa.BigInteger)
    target_engagements: int | None = Field(default=None, sa_type=sa.BigInteger)
    target_conversions: int | None = Field(default=None, sa_type=sa.BigInteger)
    start_date: date = Field(index=True)
    end_date: date = Field(index=True)
    budget_cents: int = Field(sa_type=sa.BigInteger, index=True)
    visibility: str = Field(sa_type=sa.String(10), index=True)
    status: str = Field(sa_type=sa.String(12), index=True)
    # Admin moderation: a flagged campaign is hidden and takes no new requests.
    flagged: bool = Field(default=False, index=True)
    flag_reason: str | None = Field(default=None, sa_type=sa.String(500))
    # Optional approval hold for new public campaigns (admin setting).
    approved: bool = Field(default=True, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
