"""The one parsing layer for what a browser sends: text (NUL and broken unicode refused), whole numbers
(ASCII digits only, range checked before int()), ids (0 when not a possible id), dates and months
within DATE_MIN..DATE_MAX. Raises DomainError on the field; never a bare ValueError or OverflowError."""

from __future__ import annotations

import re
from datetime import date

from brandifiers.services.common.errors import DomainError

INT64_MAX = 2**63 - 1  # the widest integer column of every backend
ID_MAX = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL, where a larger one is a database error
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2099, 12, 31)  # room for date arithmetic on either side
_DIGITS_RE = re.compile(r"-?[0-9]+")  # ASCII only: '²' and '１２' pass str.isdigit() but are not numbers here
_INT_RE = re.compile(r"-?[0-9]{1,19}")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_RE = re.compile(r"[0-9]{4}-[0-9]{2}")


def text(value, field: str | None = None, label: str = "This field") -> str:
    """A browser value as text: None -> "", numbers as written; lists, dicts, booleans, a NUL
    character or unpaired surrogates refused (PostgreSQL and the drivers cannot store them)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise DomainError(f"{label} must be text.", field)
    value = value if isinstance(value, str) else str(value)
    if "\x00" in value:
        raise DomainError(f"{label} must not contain a NUL character.", field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise DomainError(f"{label} contains characters that are not valid text.", field) from None
    return value


def is_digits(raw) -> bool:
    """True for 1-19 ASCII digits only (a key or an id as text; '²' passes str.isdigit() and int() refuses it)."""
    return isinstance(raw, str) and _INT_RE.fullmatch(raw) is not None and raw[0] != "-"


def is_int_text(raw: str) -> bool:
    """True for an optional minus and 1-19 ASCII digits (nothing else, no spaces)."""
    return isinstance(raw, str) and _INT_RE.fullmatch(raw) is not None


def integer(value, field: str | None = None, label: str = "This number", *, minimum: int | None = None,
            maximum: int = INT64_MAX) -> int:
    """A whole number from an int or its ASCII text ("1,200" and "1_200" allowed), range checked."""
    if isinstance(value, float) and value.is_integer() and abs(value) <= maximum:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        raw = text(value, field, label).strip().replace(",", "").replace("_", "")
        if not raw:
            raise DomainError(f"{label} is required.", field)
        if not _DIGITS_RE.fullmatch(raw):
            plain = raw.lstrip("-")
            raise DomainError(f"{label} must be written with the digits 0-9." if plain.isdecimal() else
                              f"{label} must be a whole number.", field)
        if len(raw.lstrip("-").lstrip("0")) > 19:  # checked before int(): no 4,300-digit conversion
            raise DomainError(f"{label} is too large." if raw[0] != "-" else f"{label} is too small.", field)
        number = int(raw)
    if number < -INT64_MAX - 1:
        raise DomainError(f"{label} is too small.", field)
    if minimum is not None and number < minimum:
        raise DomainError(f"{label} cannot be negative." if minimum == 0 else
                          f"{label} must be at least {minimum:,}.", field)
    if number > maximum:
        raise DomainError(f"{label} is too large.", field)
    return number


def record_id(value) -> int:
    """An id sent by the browser (int or text): the id, or 0 (which matches no row) when it cannot be
    one: missing, not ASCII digits, below 1 or beyond ID_MAX. Lookups of 0 then say "does not exist"."""
    try:
        number = integer(value, minimum=1, maximum=ID_MAX)
    except DomainError:
        return 0
    return number


def day(value, field: str | None = None, label: str = "Date", *, required: bool = True) -> date | None:
    """YYYY-MM-DD (ASCII digits) within DATE_MIN..DATE_MAX; None when empty and not required."""
    raw = value.isoformat() if isinstance(value, date) else text(value, field, label).strip()
    if not raw:
        if required:
            raise DomainError(f"{label} is required.", field)
        return None
    try:
        if not _DATE_RE.fullmatch(raw):
            raise ValueError(raw)
        parsed = date.fromisoformat(raw)
    except ValueError:
        raise DomainError(f"{label} must be a date written YYYY-MM-DD, e.g. 2025-03-31.", field) from None
    if not DATE_MIN <= parsed <= DATE_MAX:
        raise DomainError(f"{label} must be between {DATE_MIN} and {DATE_MAX}.", field)
    return parsed


def month(value, field: str | None = None, label: str = "Month") -> str:
    """YYYY-MM (ASCII digits) within the years of DATE_MIN..DATE_MAX, returned as that text."""
    raw = text(value, field, label).strip()
    if not _MONTH_RE.fullmatch(raw) or not 1 <= int(raw[5:]) <= 12:
        raise DomainError(f"{label} must be written YYYY-MM, e.g. 2025-03.", field)
    if not DATE_MIN.year <= int(raw[:4]) <= DATE_MAX.year:
        raise DomainError(f"{label} must be between {DATE_MIN.year} and {DATE_MAX.year}.", field)
    return raw
