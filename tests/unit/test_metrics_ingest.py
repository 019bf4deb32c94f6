"""Ingestion of one day's figures by the creator, and the platform connector registry."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from brandifiers.clock import utcnow
from brandifiers.models import AuditEvent, MetricSnapshot, Platform
from brandifiers.services.common import cache
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from brandifiers.services.metrics import connectors, metrics
from tests.unit.collab_factories import cheap_passwords, today  # noqa: F401  (autouse fixture)
from tests.unit.stats_factories import world

GOOD = {"views": "1,200", "likes": "80", "comments": "7", "shares": "3", "saves": "", "clicks": "12",
        "conversions": "1", "revenue": "49.90"}


@pytest.fixture
def w(session):
    w = world(session)
    w.now = utcnow() + timedelta(days=5)  # the campaigns started today: today..today+5 are past days then
    w.mine = w.deliverables[0]  # influencer 0's first post
    return w


def rows(session):
    session.expire_all()
    return ([s.model_dump() for s in session.exec(select(MetricSnapshot).order_by(MetricSnapshot.id))],
            len(session.exec(select(AuditEvent)).all()))


def test_enter_a_day(session, w):
    result = metrics.enter_day(session, w.influencers[0].id, w.mine.id, today().isoformat(), GOOD, now=w.now)
    session.commit()
    snap = session.exec(select(MetricSnapshot)).one()
    assert (snap.views, snap.likes, snap.saves, snap.revenue_cents, snap.provenance) == \
        (1200, 80, 0, 4990, "creator-reported")
    assert snap.updated_at == w.now and snap.reported_by_id == w.influencers[0].id
    assert result.warnings == [] and not result.replaced


def test_resubmission_replaces_and_is_audited(session, w):
    metrics.enter_day(session, w.influencers[0].id, w.mine.id, today(), GOOD, now=w.now)
    session.commit()
    later = w.now + timedelta(hours=1)
    result = metrics.enter_day(session, w.influencers[0].id, w.mine.id, today(), {**GOOD, "views": "1500"}, now=later)
    session.commit()
    snaps = session.exec(select(MetricSnapshot)).all()
    assert len(snaps) == 1 and snaps[0].views == 1500 and snaps[0].updated_at == later and result.replaced
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "metrics.replace")).one()
    assert json.loads(event.before)["views"] == 1200 and json.loads(event.after)["views"] == 1500
    assert event.actor_id == w.influencers[0].id and event.target_id == w.mine.id


def test_likes_above_views_is_saved_with_a_warning(session, w):
    result = metrics.enter_day(session, w.influencers[0].id, w.mine.id, today(), {"views": "10", "likes": "50"},
                               now=w.now)
    assert result.warnings == [metrics.ENGAGEMENTS_OVER_VIEWS] and result.snapshot.likes == 50


@pytest.mark.parametrize("data, field", [
    ({"views": "-1"}, "views"), ({"likes": "1.5"}, "likes"), ({"clicks": "many"}, "clicks"),
    ({"revenue": "-3"}, "revenue"), ({"revenue": "1.234"}, "revenue"), ({"saves": "10" * 10}, "saves"),
])
def test_bad_figures_are_refused(session, w, data, field):
    before = rows(session)
    with pytest.raises(ValidationFailed) as err:
        metrics.enter_day(session, w.influencers[0].id, w.mine.id, today(), {**GOOD, **data}, now=w.now)
    assert field in err.value.errors
    session.rollback()
    assert rows(session) == before


@pytest.mark.parametrize("offset, message", [
    (6, "The day cannot be in the future."), (-1, "The day must be within the campaign"),
    (61, "The day cannot be in the future."),
])
def test_days_outside_the_campaign_or_in_the_future(session, w, offset, message):
    with pytest.raises(ValidationFailed) as err:
        metrics.enter_day(session, w.influencers[0].id, w.mine.id, today() + timedelta(days=offset), GOOD, now=w.now)
    assert err.value.errors["day"].startswith(message)


def test_after_the_campaign_end(session, w):
    much_later = w.now + timedelta(days=100)
    with pytest.raises(ValidationFailed) as err:
        metrics.enter_day(session, w.influencers[0].id, w.mine.id, today() + timedelta(days=61), GOOD, now=much_later)
    assert err.value.errors["day"].startswith("The day must be within the campaign")


def test_a_bad_day_text(session, w):
    with pytest.raises(ValidationFailed) as err:
        metrics.enter_day(session, w.influencers[0].id, w.mine.id, "26/11/2026", GOOD, now=w.now)
    assert err.value.errors == {"day": "The day must be a date written YYYY-MM-DD, e.g. 2025-03-31."}


@pytest.mark.parametrize("who, error", [("other_influencer", NotFound), ("sponsor", PermissionDenied),
                                        ("admin", PermissionDenied), ("nobody", PermissionDenied)])
def test_foreign_deliverables_and_wrong_roles_are_refused(session, w, who, error):
    actor = {"other_influencer": w.influencers[1].id, "sponsor": w.sponsors[0].id, "admin": w.admin.id,
             "nobody": None}[who]
    before = rows(session)
    with pytest.raises(error):
        metrics.enter_day(session, actor, w.mine.id, today(), GOOD, now=w.now)
    session.rollback()
    assert rows(session) == before


def test_unknown_deliverable(session, w):
    with pytest.raises(NotFound):
        metrics.enter_day(session, w.influencers[0].id, 999_999, today(), GOOD, now=w.now)


def test_ingestion_invalidates_the_stats_cache(session, w):
    store = cache.backend()
    cache.get_or_compute("stats:campaign:1::", lambda: {"views": 1})
    cache.get_or_compute("other:key", lambda: 2)
    metrics.enter_day(session, w.influencers[0].id, w.mine.id, today(), GOOD, now=w.now)
    session.commit()  # the cache is dropped once the figures are committed (tests/unit/test_after_commit.py)
    assert store.get("stats:campaign:1::") is None and store.get("other:key") == "2"
    cache.invalidate("other:")


def test_deliverable_days_reads_for_owners_only(session, w):
    metrics.enter_day(session, w.influencers[0].id, w.mine.id, today(), GOOD, now=w.now)
    session.commit()
    for actor in (w.influencers[0], w.sponsors[0], w.admin):
        assert [s.views for s in metrics.deliverable_days(session, actor.id, w.mine.id)] == [1200]
    for actor in (w.influencers[1], w.sponsors[1]):
        with pytest.raises(NotFound):
            metrics.deliverable_days(session, actor.id, w.mine.id)


def test_one_connector_per_platform_none_implemented(session, w):
    assert set(connectors.CONNECTORS) == {p.value for p in Platform}
    for platform, cls in connectors.CONNECTORS.items():
        assert issubclass(cls, connectors.PlatformConnector) and cls.platform.value == platform
        with pytest.raises(NotImplementedError):
            cls().fetch(w.mine, today())
    assert connectors.pull_platform_day(session, w.mine.id, today(), now=w.now) is None
    assert session.exec(select(MetricSnapshot)).all() == []
    with pytest.raises(DomainError):
        connectors.connector_for("myspace")


def test_a_connector_that_answers_stores_platform_api_rows(session, w):
    class Fake(connectors.PlatformConnector):
        platform = Platform.INSTAGRAM

        def fetch(self, deliverable, day):
            return {"views": 300, "likes": 20}

    row = connectors.pull_platform_day(session, w.mine.id, today(), now=w.now, registry={"instagram": Fake})
    session.commit()
    assert (row.provenance, row.views, row.likes, row.reported_by_id) == ("platform-api", 300, 20, None)
