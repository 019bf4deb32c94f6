"""CSV output helpers shared by every export. OWASP's CSV-injection rule: a text cell whose first visible
character starts a formula (= + - @, their full-width forms, or tab / CR / LF) gets a leading ' even
behind spaces, NULs or zero-width characters; numbers are left alone. Cents as exact amounts."""

from __future__ import annotations

import re

import pandas as pd

TRIGGERS = "=+-@\t\r\n＝＋－＠"
# What a spreadsheet skips or does not show before a formula: whitespace, NUL and other controls,
# zero-width and direction marks, the byte-order mark.
_INVISIBLE = ("\x00-\x08\x0b\x0c\x0e-\x20\x7f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u2064"
              "\u2066-\u206f\u3000\ufeff")
_RISKY = re.compile(f"^[{_INVISIBLE}]*[{re.escape(TRIGGERS)}]")


def safe_cell(value):
    """A text value a spreadsheet would read as a formula, with a leading '; anything else unchanged."""
    if isinstance(value, str) and _RISKY.match(value):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell through safe_cell; numeric columns (and numbers inside text columns) untouched."""
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            values = frame[col]
            risky = values.map(lambda v: isinstance(v, str) and _RISKY.match(v) is not None).astype(bool)
            if risky.any():
                frame[col] = values.where(~risky, values.map(safe_cell))
    return frame


def cents_text(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Integer-cent columns (name_cents) as exact decimal amounts (name)."""
    renames = {}
    for col in columns:
        if col not in frame.columns:
            continue
        cents = pd.to_numeric(frame[col]).astype("Int64")
        sign = (cents < 0).fillna(False).map({True: "-", False: ""}).astype("string")  # a column of NULLs too
        whole, part = cents.abs() // 100, cents.abs() % 100
        text = sign + whole.astype("string") + "." + part.astype("string").str.zfill(2)
        frame[col] = text
        renames[col] = col[:-6] if col.endswith("_cents") else col
    return frame.rename(columns=renames)
