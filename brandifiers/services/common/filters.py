"""Helpers shared by the admin list filters: date ranges, LIKE patterns and page bounds."""

from __future__ import annotations

from datetime import datetime

from brandifiers.services.common import zones
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.validation import CollabForm

PAGE_SIZE_MAX = 50
TEXT_MAX = 200


def day_range(date_from, date_to, *, from_field: str, to_field: str,
              zone=None) -> tuple[datetime | None, datetime | None]:
    """[start, end) in UTC for two optional local days of `zone` (date or 'YYYY-MM-DD'); `to` is inclusive.

    A malformed day or a `to` before `from` is a ValidationFailed on that field."""
    form = CollabForm({from_field: date_from, to_field: date_to})
    first = form.date(from_field, "From", required=False)
    last = form.date(to_field, "To", required=False)
    form.check()
    if first and last and last < first:
        raise DomainError("The end date is before the start date.", to_field)
    return zones.day_window(first, last, zone)


def like_pattern(text: str, *, prefix_only: bool = False, field: str = "text") -> str:
    """A LIKE pattern (escape character backslash) matching `text` literally: anywhere, or at the start."""
    if len(text) > TEXT_MAX:
        raise DomainError(f"Search with at most {TEXT_MAX} characters.", field)
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return (escaped if prefix_only else "%" + escaped) + "%"


def page_bounds(page: int, page_size: int) -> tuple[int, int]:
    """(offset, limit) with the page size held to 1..PAGE_SIZE_MAX and the page to >= 0."""
    size = max(1, min(int(page_size), PAGE_SIZE_MAX))
    return max(int(page), 0) * size, size
