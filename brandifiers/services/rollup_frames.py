"""The pure pandas steps of the metric rollups (services/rollups.py does the reading and writing).

Frames: raw snapshots (ad_request_id, deliverable_id, day 'YYYY-MM-DD', provenance, FIGURES);
base rows (ad_request_id, day, METRICS); attrs per ad request (owners, category_code, spend_cents,
followers). Upper scopes use integer keys while summing (category: its code in attrs, platform:
0) and become text only when written.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from brandifiers.services.metric_defs import ENGAGEMENT_PARTS, FIGURES

PRIORITY = {"platform-api": 3, "csv-import": 2, "creator-reported": 1}
METRICS = FIGURES + ("engagements",)
EXTRA = ("spend_cents", "followers")
UPPER = {"campaign": "campaign_id", "influencer": "influencer_id", "sponsor": "sponsor_id",
         "category": "category_code", "platform": None}


def choose_provenance(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per (deliverable, day): the highest PRIORITY provenance (deterministic)."""
    rank = raw["provenance"].map(PRIORITY).fillna(0)
    ordered = raw.assign(_rank=rank).sort_values(["deliverable_id", "day", "_rank"], ascending=[True, True, False],
                                                 kind="mergesort")
    return ordered.drop_duplicates(["deliverable_id", "day"], keep="first").drop(columns="_rank")


def base_rows(raw: pd.DataFrame) -> pd.DataFrame:
    """Raw snapshots (with ad_request_id) -> one row per (ad_request_id, day) with METRICS."""
    chosen = choose_provenance(raw)
    out = chosen.groupby(["ad_request_id", "day"], sort=False)[list(FIGURES)].sum().reset_index()
    out["engagements"] = out[list(ENGAGEMENT_PARTS)].sum(axis=1)
    return out


def day_text(series: pd.Series) -> pd.Series:
    """Days as 'YYYY-MM-DD' whatever the driver returned (SQLite: text, PostgreSQL: date)."""
    return series.astype(str).str.slice(0, 10)


OWNERS = ["campaign_id", "sponsor_id", "influencer_id", "category_code"]


def scope_key(frame: pd.DataFrame, column: str | None) -> pd.Series:
    """The integer key of an upper scope (category: its code in attrs; platform: 0). Text at write time."""
    return frame[column] if column else pd.Series(0, index=frame.index, dtype="int64")


def upper_frames(delta: pd.DataFrame, attrs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Base-row deltas (ad_request_id, day, METRICS) -> {scope: (key, day, METRICS)} per upper scope."""
    joined = delta.join(attrs[OWNERS], on="ad_request_id")
    out = {}
    for scope, column in UPPER.items():
        frame = joined.assign(key=scope_key(joined, column))
        out[scope] = frame.groupby(["key", "day"], sort=False)[list(METRICS)].sum().reset_index()
    return out


def key_text(scope: str, keys: pd.Series, attrs: pd.DataFrame) -> pd.Series:
    if scope == "platform":
        return pd.Series("", index=keys.index)
    if scope == "category":
        names = attrs.drop_duplicates("category_code").set_index("category_code")["category"]
        return keys.map(names)
    return keys.astype("int64").astype(str)


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


def request_totals(base_delta: pd.DataFrame, extra_delta: pd.DataFrame, attrs: pd.DataFrame) -> pd.DataFrame:
    """Total-row deltas of scope adrequest plus spend/followers deltas propagated to every upper scope."""
    per_request = base_delta.groupby("ad_request_id", sort=False)[list(METRICS)].sum()
    merged = per_request.join(extra_delta, how="outer").fillna(0)
    out = [merged.reset_index().rename(columns={"ad_request_id": "key"}).assign(scope="adrequest")]
    out[0]["key"] = out[0]["key"].astype("int64").astype(str)
    spend = extra_delta.join(attrs[OWNERS])
    for scope, column in UPPER.items():
        sums = spend.assign(key=scope_key(spend, column)).groupby("key", sort=False)[list(EXTRA)].sum().reset_index()
        out.append(sums.assign(scope=scope, key=key_text(scope, sums["key"], attrs)))
    return pd.concat(out, ignore_index=True).fillna(0)
