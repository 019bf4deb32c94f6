"""Money is integer cents in the one platform currency. Parsing and formatting live here only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from brandifiers import config
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.parse import text as parse_text

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "INR": "₹"}
MAX_CENTS = 10**13  # 100 billion in currency units: far above any real budget


def parse_cents(text: str | None, field: str, *, required: bool = True, allow_zero: bool = True) -> int | None:
    """'1,234.50' -> 123450. Refuses negatives, more than 2 decimals and absurd sizes."""
    raw = parse_text(text, field, "The amount").strip().replace(",", "").replace(" ", "")
    for sym in _SYMBOLS.values():
        raw = raw.replace(sym, "")
    if not raw:
        if required:
            raise DomainError("Enter an amount.", field)
        return None
    if not raw.isascii() or len(raw) > 40:  # Decimal() would read '１２' as 12 and digit strings of any length
        raise DomainError("Enter an amount as a number, e.g. 1500 or 1500.50.", field)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise DomainError("Enter an amount as a number, e.g. 1500 or 1500.50.", field) from None
    if not value.is_finite():
        raise DomainError("Enter an amount as a number, e.g. 1500 or 1500.50.", field)
    if value < 0:
        raise DomainError("The amount cannot be negative.", field)
    if value == 0 and not allow_zero:
        raise DomainError("The amount must be more than zero.", field)
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise DomainError("Use at most two decimals.", field)
    if value > Decimal(MAX_CENTS) / 100:
        raise DomainError("That amount is too large.", field)
    cents = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return cents


def format_cents(cents: int | None) -> str:
    if cents is None:
        return "-"
    currency = config.currency()
    symbol = _SYMBOLS.get(currency, currency + " ")
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}{symbol}{whole:,}.{frac:02d}"
