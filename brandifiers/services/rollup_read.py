"""Reading the rollup summaries: every figure is main + delta (models/rollups.py), added here so
no reader can forget the delta. Both tables are read by their primary key; the delta is small.

A total's figures are main total + the sum of its key's delta day rows (an ad request's: its base
delta rows): the incremental run writes each difference once, as a day row, and a total delta row
only for spend and followers (its figures are zero). `rollups.compact` adds both into the main
totals.
"""

from __future__ import annotations

import functools
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from brandifiers.models import (
    AdRequestDayDelta, MetricDayDelta, MetricDayRollup, MetricTotalDelta, MetricTotalRollup,
)
from brandifiers.services.rollup_frames import EXTRA, METRICS

_DAYS = (MetricDayRollup, MetricDayDelta)
_TOTALS = (MetricTotalRollup, MetricTotalDelta)


def _merged(models, cols: tuple, where, group: tuple):
    """SELECT group..., SUM(cols) over main UNION ALL delta, each arm filtered by where(model)."""
    arms = [sa.select(*(getattr(m, c) for c in group + cols)).where(*where(m)) for m in models]
    u = sa.union_all(*arms).subquery()
    return sa.select(*(u.c[c] for c in group), *(sa.func.sum(u.c[c]).label(c) for c in cols)).group_by(
        *(u.c[c] for c in group))


@functools.cache
def _series_stmt(has_start: bool, has_end: bool):
    """day_series' statement, built once (building it cost more than running it)."""
    def where(m):
        return ([m.scope == sa.bindparam("scope"), m.key == sa.bindparam("key")]
                + ([m.day >= sa.bindparam("start")] if has_start else [])
                + ([m.day <= sa.bindparam("end")] if has_end else []))
    return _merged(_DAYS, METRICS, where, ("day",)).order_by("day")


def day_series(session: Session, scope: str, key: str, start: date | None, end: date | None) -> list[tuple[date, dict]]:
    """[(day, {metric: value})] of one scope key, in day order, days with a row only."""
    params = {"scope": scope, "key": key, "start": start, "end": end}
    rows = session.connection().execute(_series_stmt(start is not None, end is not None),
                                        {k: v for k, v in params.items() if v is not None}).all()
    return [(_as_date(r[0]), {m: int(v or 0) for m, v in zip(METRICS, r[1:])}) for r in rows]


def day_sums(session: Session, scope: str, start: date, end: date, cols: tuple) -> dict[str, dict]:
    """{key: {col: sum over start <= day < end}} for every key of a scope."""
    stmt = _merged(_DAYS, cols, lambda m: [m.scope == scope, m.day >= start, m.day < end], ("key",))
    return {r[0]: {c: int(v or 0) for c, v in zip(cols, r[1:])} for r in session.connection().execute(stmt)}


@functools.cache
def _total_arms(scope: str, filtered: bool) -> tuple:
    """SELECT key, METRICS, EXTRA of a scope's totals (all keys, or those in the expanding parameter
    "keys"; an ad request's base delta rows by "ids", the same keys as integers): main and delta
    totals, and the delta day rows (an ad request's: its base delta rows) that belong to them."""
    def only(column, name):
        return [column.in_(sa.bindparam(name, expanding=True))] if filtered else []
    arms = [sa.select(m.key, *(getattr(m, c) for c in METRICS + EXTRA)).where(m.scope == scope, *only(m.key, "keys"))
            for m in _TOTALS]
    zeros = [sa.literal(0, sa.BigInteger).label(c) for c in EXTRA]
    if scope == "adrequest":  # the base delta's key is the integer id: compared as such
        b = AdRequestDayDelta
        arms.append(sa.select(sa.cast(b.ad_request_id, sa.String(60)).label("key"), *(getattr(b, c) for c in METRICS),
                              *zeros).where(*only(b.ad_request_id, "ids")))
    else:
        d = MetricDayDelta
        arms.append(sa.select(d.key, *(getattr(d, c) for c in METRICS), *zeros)
                    .where(d.scope == scope, *only(d.key, "keys")))
    return tuple(arms)


@functools.cache
def _totals_stmt(scope: str):
    u = sa.union_all(*_total_arms(scope, True)).subquery()
    return sa.select(u.c.key, *(sa.func.sum(u.c[c]).label(c) for c in METRICS + EXTRA)).group_by(u.c.key)


def totals(session: Session, scope: str, keys: list[str]) -> dict[str, dict]:
    """{key: {metric and spend/followers: value}} for the keys that have a row (main or delta)."""
    out = {}
    cols = METRICS + EXTRA
    for start in range(0, len(keys), 500):
        part = keys[start:start + 500]
        params = {"keys": part, **({"ids": [int(k) for k in part]} if scope == "adrequest" else {})}
        for r in session.connection().execute(_totals_stmt(scope), params):
            out[r[0]] = {c: int(v or 0) for c, v in zip(cols, r[1:])}
    return out


def total_keys(session: Session, scope: str) -> list[str]:
    """Every key of a scope that has a total (main or delta), sorted."""
    arms = [arm.with_only_columns(arm.selected_columns[0]) for arm in _total_arms(scope, False)]
    return sorted({r[0] for r in session.connection().execute(sa.union(*arms))})


def totals_sql(scope: str) -> str:
    """A derived table (key, metrics, spend_cents, followers) of one scope's totals, main + delta,
    for raw SQL readers (exports, anomalies): join it ON t."key" = CAST(id AS VARCHAR(60))."""
    cols = ", ".join(METRICS + EXTRA)
    sums = ", ".join(f"SUM({c}) AS {c}" for c in METRICS + EXTRA)
    arms = [f"SELECT \"key\", {cols} FROM {m.__tablename__} WHERE scope = '{scope}'" for m in _TOTALS]
    figures = ", ".join(METRICS)
    if scope == "adrequest":
        arms.append(f"SELECT CAST(ad_request_id AS VARCHAR(60)) AS \"key\", {figures}, 0, 0 "
                    f"FROM {AdRequestDayDelta.__tablename__}")
    else:
        arms.append(f"SELECT \"key\", {figures}, 0, 0 FROM {MetricDayDelta.__tablename__} WHERE scope = '{scope}'")
    return f"(SELECT \"key\", {sums} FROM ({' UNION ALL '.join(arms)}) u GROUP BY \"key\")"


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
