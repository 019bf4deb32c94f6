"""The pure pandas steps of the metric rollups (rollups.py reads and writes): the provenance choice, and
raw snapshot frames (ad_request_id, deliverable_id, day 'YYYY-MM-DD', provenance, FIGURES) made base
rows (ad_request_id, day, METRICS); the rollup scopes' constants. Design: docs/rollups.md."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import pandas as pd

from brandifiers.services.metrics.metric_defs import ENGAGEMENT_PARTS, FIGURES

PRIORITY = {"platform-api": 3, "csv-import": 2, "creator-reported": 1}
METRICS = FIGURES + ("engagements",)
EXTRA = ("spend_cents", "followers")
# The scopes whose day rows are stored (rollup_day). FROM_BASE scopes' day series, and the delta
# part of their totals, are summed from the base rows (ad request, day) of their ad requests when
# read (services/rollups/rollup_read.py): scope -> the base table's column that holds its key. A campaign
# has few enough base rows for that; a sponsor has too many, so sponsors keep stored days.
# Categories have no day series (nothing shows one): the incremental run writes their figure
# differences into their total delta rows (DAYLESS).
STORED_DAYS = ("sponsor", "platform")
FROM_BASE = {"adrequest": "ad_request_id", "campaign": "campaign_id", "influencer": "influencer_id"}
DAYLESS = ("category",)


def choose_provenance(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per (deliverable, day): the highest PRIORITY provenance (deterministic: among equal
    ranks the first row). A stable sort of numpy arrays (pandas' sort_values and drop_duplicates
    were slower on a campaign's few hundred rows, read on a page load)."""
    rank = raw["provenance"].map(PRIORITY).fillna(0).to_numpy()
    deliverable = raw["deliverable_id"].to_numpy()
    day = pd.factorize(raw["day"], sort=True)[0]
    order = np.lexsort((-rank, day, deliverable))
    d, y = deliverable[order], day[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (d[1:] != d[:-1]) | (y[1:] != y[:-1])
    return raw.iloc[order[first]]


def base_rows(raw: pd.DataFrame) -> pd.DataFrame:
    """Raw snapshots (with ad_request_id) -> one row per (ad_request_id, day) with METRICS."""
    chosen = choose_provenance(raw)
    out = chosen.groupby(["ad_request_id", "day"], sort=False)[list(FIGURES)].sum().reset_index()
    out["engagements"] = out[list(ENGAGEMENT_PARTS)].sum(axis=1)
    return out


def day_text(series: pd.Series) -> pd.Series:
    """Days as 'YYYY-MM-DD' whatever the driver returned (SQLite: text, PostgreSQL: date)."""
    return series.astype(str).str.slice(0, 10)


def as_date(value) -> date:
    """A day as a date whatever the driver returned (SQLite: text, PostgreSQL: date)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def nonzero(frame: pd.DataFrame, cols) -> pd.DataFrame:
    return frame[(frame[list(cols)] != 0).any(axis=1)]


def complete_groups(chunks: Iterator[pd.DataFrame], key: str) -> Iterator[pd.DataFrame]:
    """Chunks ordered by `key` -> frames that each hold every row of their keys (carry the last key over)."""
    carry = None
    for chunk in chunks:
        if carry is not None:
            chunk = pd.concat([carry, chunk], ignore_index=True)
        if chunk.empty:
            continue
        last = chunk[key].iloc[-1]
        tail = chunk[key] == last
        carry = chunk[tail]
        if (~tail).any():
            yield chunk[~tail]
    if carry is not None and not carry.empty:
        yield carry
