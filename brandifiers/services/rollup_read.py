"""Reading the rollup summaries: every figure is main + delta (models/rollups.py), added here so
no reader can forget the delta. Both tables are read by their primary key; the delta is small.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from brandifiers.models import MetricDayDelta, MetricDayRollup, MetricTotalDelta, MetricTotalRollup
from brandifiers.services.rollup_frames import EXTRA, METRICS

_DAYS = (MetricDayRollup, MetricDayDelta)
_TOTALS = (MetricTotalRollup, MetricTotalDelta)


def _merged(models, cols: tuple, where, group: tuple):
    """SELECT group..., SUM(cols) over main UNION ALL delta, each arm filtered by where(model)."""
    arms = [sa.select(*(getattr(m, c) for c in group + cols)).where(*where(m)) for m in models]
    u = sa.union_all(*arms).subquery()
    return sa.select(*(u.c[c] for c in group), *(sa.func.sum(u.c[c]).label(c) for c in cols)).group_by(
        *(u.c[c] for c in group))


def day_series(session: Session, scope: str, key: str, start: date | None, end: date | None) -> list[tuple[date, dict]]:
    """[(day, {metric: value})] of one scope key, in day order, days with a row only."""
    def where(m):
        return [m.scope == scope, m.key == key] + ([m.day >= start] if start else []) + ([m.day <= end] if end else [])
    stmt = _merged(_DAYS, METRICS, where, ("day",))
    rows = session.connection().execute(stmt.order_by("day")).all()
    return [(_as_date(r[0]), {m: int(v or 0) for m, v in zip(METRICS, r[1:])}) for r in rows]


def day_sums(session: Session, scope: str, start: date, end: date, cols: tuple) -> dict[str, dict]:
    """{key: {col: sum over start <= day < end}} for every key of a scope."""
    stmt = _merged(_DAYS, cols, lambda m: [m.scope == scope, m.day >= start, m.day < end], ("key",))
    return {r[0]: {c: int(v or 0) for c, v in zip(cols, r[1:])} for r in session.connection().execute(stmt)}


def totals(session: Session, scope: str, keys: list[str]) -> dict[str, dict]:
    """{key: {metric and spend/followers: value}} for the keys that have a row (main or delta)."""
    out = {}
    cols = METRICS + EXTRA
    for start in range(0, len(keys), 500):
        part = keys[start:start + 500]
        stmt = _merged(_TOTALS, cols, lambda m: [m.scope == scope, m.key.in_(part)], ("key",))
        for r in session.connection().execute(stmt):
            out[r[0]] = {c: int(v or 0) for c, v in zip(cols, r[1:])}
    return out


def total_keys(session: Session, scope: str) -> list[str]:
    """Every key of a scope that has a total row, sorted."""
    arms = [sa.select(m.key).where(m.scope == scope) for m in _TOTALS]
    return sorted({r[0] for r in session.connection().execute(sa.union(*arms))})


def totals_sql(scope: str) -> str:
    """A derived table (key, metrics, spend_cents, followers) of one scope's totals, main + delta,
    for raw SQL readers (exports, anomalies): join it ON t."key" = CAST(id AS VARCHAR(60))."""
    cols = ", ".join(METRICS + EXTRA)
    sums = ", ".join(f"SUM({c}) AS {c}" for c in METRICS + EXTRA)
    arms = " UNION ALL ".join(f"SELECT \"key\", {cols} FROM {m.__tablename__} WHERE scope = '{scope}'" for m in _TOTALS)
    return f"(SELECT \"key\", {sums} FROM ({arms}) u GROUP BY \"key\")"


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
