"""The median engagement rate of each category's active influencers (the fit score's yardstick), kept in
each process's memory and the categorymedian table, refreshed in the background; raises nothing.
Design: docs/discovery.md, "Category medians"."""

from __future__ import annotations

import bisect
import functools
import threading
import time

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.models import CATEGORIES, CategoryMedian, InfluencerProfile, User, UserStatus

MEDIAN_TTL_SECONDS = 600.0
INACTIVE_STATUSES = tuple(s.value for s in UserStatus if s != UserStatus.ACTIVE)
_IP = InfluencerProfile.__table__
_u_off = User.__table__.alias("u_inactive")

_cache: dict[tuple[str, str], tuple[float, float | None]] = {}  # (db, category) -> (expires, median)
_refreshing: set[tuple[str, str]] = set()
_lock = threading.Lock()


def _monotonic() -> float:  # the cache's clock (tests move it)
    return time.monotonic()


def _now():  # the stored rows' clock (tests move it)
    return utcnow()


def _in_background(work) -> None:  # tests replace it to run the work at once
    threading.Thread(target=work, name="category-medians", daemon=True).start()


def clear_median_cache() -> None:
    with _lock:
        _cache.clear()


def category_median_er(session: Session, category: str) -> float | None:
    """Median avg_engagement_rate of the active influencers of `category`. None when the category
    has no active influencer."""
    return category_medians(session, [category])[category]


def category_medians(session: Session, categories) -> dict[str, float | None]:
    """{category: median} for several categories: from this process's memory, else from the
    table, else computed now (together: three queries whatever their number) and stored in the
    background. Expired ones are served and refreshed in the background."""
    engine = session.get_bind()
    db, now = engine.url.render_as_string(hide_password=True), _monotonic()
    out: dict[str, float | None] = {}
    expired = []
    with _lock:
        for cat in set(categories):
            hit = _cache.get((db, cat))
            if hit is not None:
                out[cat] = hit[1]
                if hit[0] <= now:
                    expired.append(cat)
    missing = sorted(set(categories) - out.keys())
    if missing:
        stored = session.execute(select(CategoryMedian.category, CategoryMedian.median_er, CategoryMedian.computed_at)
                                 .where(CategoryMedian.category.in_(missing))).all()
        wall = _now()
        with _lock:
            for cat, median, at in stored:
                left = MEDIAN_TTL_SECONDS - (wall - at).total_seconds()
                _cache[(db, cat)] = (now + left, median)
                out[cat] = median
                if left <= 0:
                    expired.append(cat)
        missing = [c for c in missing if c not in out]
    if expired:
        _refresh_later(engine, db, sorted(expired))
    if missing:
        fresh = _store(db, _compute_medians(session, missing), now)
        at = _now()
        _in_background(lambda: _save(engine, fresh, at))
        out.update(fresh)
    return out


def warm(engine) -> None:
    """Compute every category's median in the background (at start-up) and store them."""
    db = engine.url.render_as_string(hide_password=True)
    with _lock:
        cats = sorted(c for c in CATEGORIES if (db, c) not in _cache)
    _refresh_later(engine, db, cats)


def _refresh_later(engine, db: str, categories: list[str]) -> None:
    """Recompute the categories in the background (one refresh per category at a time)."""
    with _lock:
        categories = [c for c in categories if (db, c) not in _refreshing]
        _refreshing.update((db, c) for c in categories)
    if not categories:
        return

    def work():
        try:
            with Session(engine) as session:
                at = _now()
                _save(engine, _store(db, _compute_medians(session, categories), _monotonic()), at)
        finally:  # a failed refresh is tried again by the next request that finds the value expired
            with _lock:
                _refreshing.difference_update((db, c) for c in categories)

    _in_background(work)


def _save(engine, medians: dict[str, float | None], at) -> None:
    """Store the medians in the table for the other processes (insert or update each row)."""
    with Session(engine) as session:
        try:  # merge's read of the next row flushes the previous insert: a clash can come from either
            for cat, median in medians.items():
                session.merge(CategoryMedian(category=cat, median_er=median, computed_at=at))
            session.commit()
        except IntegrityError:  # another process inserted them at the same moment: theirs are as new
            session.rollback()


def _store(db: str, medians: dict[str, float | None], now: float) -> dict[str, float | None]:
    with _lock:
        for cat, median in medians.items():
            _cache[(db, cat)] = (now + MEDIAN_TTL_SECONDS, median)
    return medians


def _union(selects: list):
    return sa.union_all(*selects) if len(selects) > 1 else selects[0]


@functools.lru_cache(maxsize=64)
def _median_statements(n: int) -> tuple:
    """(counts, windows) for n categories, bound as c0.., o0.. (offset), l0.. (limit); built once
    per n: building and hashing these unions anew cost about as much as running them. One count
    per category (a union): SQLite counts one index range faster than it groups several."""
    er, cat_col, pid = _IP.c.avg_engagement_rate, _IP.c.category, _IP.c.id
    cats = [sa.bindparam(f"c{i}", type_=sa.String) for i in range(n)]
    counts = [sa.select(c.label("category"), func.count()).select_from(_IP).where(cat_col == c) for c in cats]
    windows = []
    for i in range(n):
        part = (sa.select(cat_col.label("category"), er.label("rate"), pid.label("id"))
                .where(cat_col == cats[i]).order_by(er, pid)
                .offset(sa.bindparam(f"o{i}", type_=sa.Integer)).limit(sa.bindparam(f"l{i}", type_=sa.Integer))
                .subquery())
        windows.append(sa.select(part.c.category, part.c.rate, part.c.id))
    return _union(counts), _union(windows)


def _compute_medians(session: Session, categories: list[str]) -> dict[str, float | None]:
    """The medians of the categories now (docs/discovery.md, "Category medians")."""
    er, cat_col, pid = _IP.c.avg_engagement_rate, _IP.c.category, _IP.c.id
    count_stmt, window_stmt = _median_statements(len(categories))
    names = {f"c{i}": cat for i, cat in enumerate(categories)}
    counts = dict(session.execute(count_stmt, names).all())
    inactive: dict[str, list[tuple[float, int]]] = {c: [] for c in categories}
    # every non-active profile (few), categories filtered here: with a condition on one category
    # SQLite would start from that category's profiles and look up each one's user
    for cat, rate, i in session.execute(sa.select(cat_col, er, pid).join(_u_off, _u_off.c.id == _IP.c.user_id)
                                        .where(_u_off.c.status.in_(INACTIVE_STATUSES))).all():
        if cat in inactive:
            inactive[cat].append((float(rate), int(i)))
    starts = {cat: (counts.get(cat, 0) - len(inactive[cat]) - 1) // 2 for cat in categories
              if counts.get(cat, 0) > len(inactive[cat])}
    params = dict(names)
    for i, cat in enumerate(categories):  # a category without active profiles reads nothing
        params[f"o{i}"] = starts.get(cat, 0)
        params[f"l{i}"] = len(inactive[cat]) + 2 if cat in starts else 0
    rows: dict[str, list] = {c: [] for c in categories}
    for cat, rate, i in session.execute(window_stmt, params).all():
        rows[cat].append((float(rate), int(i)))
    out: dict[str, float | None] = {}
    for cat in categories:
        if cat not in starts:
            out[cat] = None
            continue
        n = counts[cat] - len(inactive[cat])
        skip = sorted(inactive[cat])
        skip_ids = {i for _r, i in skip}
        wanted = {(n - 1) // 2, n // 2}  # the active ranks of the middle value(s)
        mids = [rate for pos, (rate, i) in enumerate(sorted(rows[cat]), start=starts[cat])
                if i not in skip_ids and pos - bisect.bisect_left(skip, (rate, i)) in wanted]
        out[cat] = float(sum(mids) / len(mids))
    return out
