"""Stored snapshots (AnalyticsSnapshot rows: the admin home's figures, the anomaly list, the
platform's spend by day) and the UTC-day helpers their queries use."""

from __future__ import annotations

import json
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func

from brandifiers.models import AnalyticsSnapshot


def utc_day(session: Session, column):
    """A datetime column as its UTC calendar day, portable between SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.cast(func.timezone("UTC", column), sa.Date)
    return func.date(column)


def iso_day(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def put_snapshot(session: Session, key: str, data, computed_at: datetime, *, seconds: float = 0.0,
                 audit_mark: int = 0) -> None:
    """Store one AnalyticsSnapshot row (data as JSON); the one writer of that table (the admin
    home's figures, the stored anomaly list, the platform's spend by day). Does not commit."""
    row = session.get(AnalyticsSnapshot, key) or AnalyticsSnapshot(key=key, data="")
    row.data, row.computed_at, row.seconds, row.audit_mark = json.dumps(data), computed_at, seconds, audit_mark
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another worker stored one at the same moment: theirs is as good
        pass
