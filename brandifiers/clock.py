"""The injectable clock: every service takes `now` from here unless a test passes one.

Datetimes are timezone-aware UTC (SQLModel's UTCDateTime column type refuses naive ones).
"""

from __future__ import annotations

from datetime import UTC, datetime

UTC = UTC


def utcnow() -> datetime:
    return datetime.now(UTC)
