"""CSV output helpers shared by every export: text cells starting with = + - @ (or a tab or carriage
return) get a leading ' so spreadsheets never run them (numbers are left alone); cents as exact
amounts."""

from __future__ import annotations

import pandas as pd

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            values = frame[col]
            text = values.astype("string")
            risky = text.str.startswith(DANGEROUS).fillna(False).astype(bool)
            if risky.any():
                frame[col] = values.where(~risky, "'" + text)
    return frame


def cents_text(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Integer-cent columns (name_cents) as exact decimal amounts (name)."""
    renames = {}
    for col in columns:
        if col not in frame.columns:
            continue
        cents = pd.to_numeric(frame[col]).astype("Int64")
        sign = cents.map(lambda c: "-" if c is not pd.NA and c < 0 else "", na_action="ignore")
        whole, part = cents.abs() // 100, cents.abs() % 100
        text = sign.fillna("") + whole.astype("string") + "." + part.astype("string").str.zfill(2)
        frame[col] = text
        renames[col] = col[:-6] if col.endswith("_cents") else col
    return frame.rename(columns=renames)
