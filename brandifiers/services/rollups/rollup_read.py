"""Reading the rollup summaries from a Session: every figure is main + delta, added here so no reader
can forget the delta; day series, totals and a raw-SQL totals table (day_sums of a scope without stored
days raises ValueError). Design: docs/rollups.md."""

from __future__ import annotations

import functools
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from brandifiers.models import (
    AdRequest,
    AdRequestDayDelta,
    AdRequestDayRollup,
    MetricDayDelta,
    MetricDayRollup,
    MetricTotalDelta,
    MetricTotalRollup,
)
from brandifiers.services.common.parse import is_digits
from brandifiers.services.rollups.rollup_frames import EXTRA, FROM_BASE, METRICS, STORED_DAYS, as_date

_DAYS = (MetricDayRollup, MetricDayDelta)
_BASES = (AdRequestDayRollup, AdRequestDayDelta)
_TOTALS = (MetricTotalRollup, MetricTotalDelta)


def _merged(models, cols: tuple, where, group: tuple):
    """SELECT group..., SUM(cols) over main UNION ALL delta, each arm filtered by where(model)."""
    arms = [sa.select(*(getattr(m, c) for c in group + cols)).where(*where(m)) for m in models]
    u = sa.union_all(*arms).subquery()
    return sa.select(*(u.c[c] for c in group), *(sa.func.sum(u.c[c]).label(c) for c in cols)).group_by(
        *(u.c[c] for c in group))


def _requests_of(scope: str, name: str, many: bool):
    """The base tables' condition "the row belongs to this key (many: these keys) of a FROM_BASE
    scope", given as integer ids in the bind parameter `name`. The main table by ad request id
    (its primary key) through the ad requests' index of the owner; the delta by its owner index
    (models/rollups.py; PostgreSQL hashed the whole delta for the former)."""
    ids = sa.bindparam(name, expanding=many)

    def where(m):
        if scope == "adrequest" or m is AdRequestDayDelta:
            column = getattr(m, FROM_BASE[scope])
            return column.in_(ids) if many else column == ids
        owner = getattr(AdRequest, FROM_BASE[scope])
        return m.ad_request_id.in_(sa.select(AdRequest.id).where(owner.in_(ids) if many else owner == ids))
    return where


@functools.cache
def _series_stmt(scope: str, has_start: bool, has_end: bool):
    """day_series' statement, built once per shape (building it cost more than running it)."""
    stored = scope in STORED_DAYS
    key_of = (lambda m: [m.scope == sa.bindparam("scope"), m.key == sa.bindparam("key")]) if stored else (
        lambda m: [_requests_of(scope, "id", False)(m)])

    def where(m):
        return (key_of(m) + ([m.day >= sa.bindparam("start")] if has_start else [])
                + ([m.day <= sa.bindparam("end")] if has_end else []))
    return _merged(_DAYS if stored else _BASES, METRICS, where, ("day",)).order_by("day")


def day_series(session: Session, scope: str, key: str, start: date | None, end: date | None) -> list[tuple[date, dict]]:
    """[(day, {metric: value})] of one scope key, in day order, days with a row only (none for a
    DAYLESS scope)."""
    if scope in STORED_DAYS:
        params = {"scope": scope, "key": key}
    elif scope not in FROM_BASE or not is_digits(key):  # a FROM_BASE scope's key is an id
        return []
    else:
        params = {"id": int(key)}
    params.update({k: v for k, v in (("start", start), ("end", end)) if v is not None})
    rows = session.connection().execute(_series_stmt(scope, start is not None, end is not None), params).all()
    return [(as_date(r[0]), {m: int(v or 0) for m, v in zip(METRICS, r[1:])}) for r in rows]


def day_sums(session: Session, scope: str, start: date, end: date, cols: tuple) -> dict[str, dict]:
    """{key: {col: sum over start <= day < end}} for every key of a scope with stored days."""
    if scope not in STORED_DAYS:
        raise ValueError(f"{scope} has no stored days")
    stmt = _merged(_DAYS, cols, lambda m: [m.scope == scope, m.day >= start, m.day < end], ("key",))
    return {r[0]: {c: int(v or 0) for c, v in zip(cols, r[1:])} for r in session.connection().execute(stmt)}


@functools.cache
def _total_arms(scope: str, filtered: bool) -> tuple:
    """SELECT key, METRICS, EXTRA of a scope's totals (all keys, or those in the expanding parameter
    "keys"; the base delta rows of a FROM_BASE scope by "ids", the same keys as integers): main and
    delta totals, and the delta day rows (a FROM_BASE scope's: its base delta rows) that belong to
    them."""
    def only(column, name):
        return [column.in_(sa.bindparam(name, expanding=True))] if filtered else []
    arms = [sa.select(m.key, *(getattr(m, c) for c in METRICS + EXTRA)).where(m.scope == scope, *only(m.key, "keys"))
            for m in _TOTALS]
    zeros = [sa.literal(0, sa.BigInteger).label(c) for c in EXTRA]
    if scope in FROM_BASE:  # its base delta rows; their key is an integer id: compared as such
        b = AdRequestDayDelta
        owner = getattr(b, FROM_BASE[scope])
        where = [_requests_of(scope, "ids", True)(b)] if filtered else []
        arms.append(sa.select(sa.cast(owner, sa.String(60)).label("key"), *(getattr(b, c) for c in METRICS),
                              *zeros).where(*where))
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
        params = {"keys": part, **({"ids": [int(k) for k in part if is_digits(k)]} if scope in FROM_BASE else {})}
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
    if scope in FROM_BASE:
        arms.append(f"SELECT CAST({FROM_BASE[scope]} AS VARCHAR(60)) AS \"key\", {figures}, 0, 0 "
                    f"FROM {AdRequestDayDelta.__tablename__}")
    else:
        arms.append(f"SELECT \"key\", {figures}, 0, 0 FROM {MetricDayDelta.__tablename__} WHERE scope = '{scope}'")
    return f"(SELECT \"key\", {sums} FROM ({' UNION ALL '.join(arms)}) u GROUP BY \"key\")"
