"""The dashboards' cache is dropped when a write of figures commits, never inside its transaction
(a reader between the write and the commit would cache the old figures for the whole expiry), and
nothing is dropped when the write is rolled back; the after-commit helper itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from brandifiers.clock import utcnow
from brandifiers.models import MetricSnapshot, Platform
from brandifiers.services.common import cache, transactions
from brandifiers.services.metrics import connectors, metrics, metrics_csv
from brandifiers.services.metrics.metrics import STATS_CACHE_PREFIX
from tests.unit.collab_factories import cheap_passwords, today  # noqa: F401  (autouse fixture)
from tests.unit.stats_factories import world

KEY = STATS_CACHE_PREFIX + "campaign:probe"
FIGURES = {"views": "1,200", "likes": "80", "comments": "7", "shares": "3", "saves": "", "clicks": "12",
           "conversions": "1", "revenue": "49.90"}
HEADER = "deliverable_id,day,views,likes,comments,shares,saves,clicks,conversions,revenue"


class FakeInstagram(connectors.PlatformConnector):
    platform = Platform.INSTAGRAM

    def fetch(self, deliverable, day):
        return {"views": 300, "likes": 20}


WRITERS = {
    "enter_day": lambda s, w: metrics.enter_day(s, w.influencers[0].id, w.mine.id, today(), FIGURES, now=w.now),
    "import_csv": lambda s, w: metrics_csv.import_csv(
        s, w.influencers[0].id, f"{HEADER}\n{w.mine.id},{today()},100,10,1,1,1,5,1,12.50\n".encode(), now=w.now),
    "pull_platform_day": lambda s, w: connectors.pull_platform_day(
        s, w.mine.id, today(), now=w.now, registry={"instagram": FakeInstagram}),
}


@pytest.fixture
def w(session):
    w = world(session)
    w.now = utcnow() + timedelta(days=5)  # the campaigns started today: today..today+5 are past days then
    w.mine = w.deliverables[0]  # influencer 0's first post, on Instagram
    return w


def cached() -> str | None:
    return cache.backend().get(KEY)


def reader_caches(value: str) -> None:
    """What a dashboard reader does: compute the figures it can see and keep them for the expiry."""
    cache.get_or_compute(KEY, lambda: value)


def snapshots(session) -> int:
    session.expire_all()
    return len(session.exec(select(MetricSnapshot)).all())


@pytest.mark.parametrize("writer", WRITERS)
def test_the_cache_is_dropped_when_the_write_commits(session, w, writer):
    reader_caches("figures before the write")
    WRITERS[writer](session, w)
    assert cached() is not None  # the new figures are not committed yet: nothing dropped early
    cache.invalidate(KEY)
    reader_caches("old figures, read between the write and the commit")
    assert cached() is not None
    session.commit()
    assert cached() is None and snapshots(session) == 1  # the next reader computes the committed figures


@pytest.mark.parametrize("writer", WRITERS)
def test_a_rolled_back_write_drops_nothing(session, w, writer):
    reader_caches("figures before the write")
    WRITERS[writer](session, w)
    session.rollback()
    assert cached() is not None and snapshots(session) == 0
    session.commit()  # a later transaction of the same session does not carry the dropped write's callback
    assert cached() is not None


def test_a_write_in_a_rolled_back_savepoint_drops_nothing(session, w):
    reader_caches("figures before the write")
    with pytest.raises(RuntimeError), session.begin_nested():
        WRITERS["enter_day"](session, w)
        raise RuntimeError("abort the savepoint")
    session.commit()
    assert cached() is not None and snapshots(session) == 0


def test_after_commit_runs_once_per_commit_and_a_failing_callback_does_not_undo_it(session, w):
    ran = []

    def fail():
        raise ConnectionError("the cache is down")

    session.exec(select(MetricSnapshot)).all()  # a transaction is open
    transactions.after_commit(session, fail)
    transactions.after_commit(session, lambda: ran.append("first"))
    session.commit()  # the failure is logged; the commit stands and the other callback still runs
    session.commit()
    assert ran == ["first"]
    session.close()
    transactions.after_commit(session, lambda: ran.append("no transaction: at once"))
    assert ran == ["first", "no transaction: at once"]
