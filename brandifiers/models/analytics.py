"""Precomputed platform analytics (the admin home reads this, never the raw tables)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from brandifiers.clock import utcnow


class AnalyticsSnapshot(SQLModel, table=True):
    """The latest result of one set of aggregate queries, as JSON, with when and how it was made."""

    key: str = Field(sa_type=sa.String(40), primary_key=True)
    data: str = Field(sa_type=sa.Text)
    computed_at: datetime = Field(default_factory=utcnow)
    # The newest admin AuditEvent id when computed: a later admin action makes the snapshot stale.
    audit_mark: int = Field(default=0, sa_type=sa.BigInteger)
    seconds: float = 0.0
