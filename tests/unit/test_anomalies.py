"""Anomaly rules on hand-made data, and the two listings (ownership, figures left alone)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from sqlmodel import select

from brandifiers.models import MetricSnapshot
from brandifiers.services.common.errors import NotFound, PermissionDenied
from brandifiers.services.metrics.metrics import upsert_snapshot
from brandifiers.services.rollups import rollups
from brandifiers.services.stats import anomalies as an
from tests.unit.collab_factories import cheap_passwords, today  # noqa: F401  (autouse fixture)
from tests.unit.stats_factories import Clock, world


def requests(*rows):
    return pd.DataFrame(rows, columns=["ad_request_id", "category", "engagements", "views"])


def test_er_above_five_times_the_category_median():
    frame = requests((1, "Food", 20, 1000), (2, "Food", 20, 1000), (3, "Food", 30, 1000), (4, "Food", 200, 1000),
                     (5, "Food", 50, 0),  # no views: left out
                     (6, "Travel", 10, 1000), (7, "Travel", 49, 1000))  # 4.9x... of its own median: no flag
    flags = an.er_category(frame)
    assert [f["ad_request_id"] for f in flags] == [4]
    assert flags[0]["rule"] == "er_category" and "above 5x the Food median (2.5%)" in flags[0]["reason"]


def test_er_rule_skips_a_zero_median():
    assert an.er_category(requests((1, "Food", 0, 100), (2, "Food", 0, 100), (3, "Food", 9, 100))) == []


def daily(views, deliverable=1):
    start = pd.Timestamp("2026-11-01")
    return pd.DataFrame({"ad_request_id": 7, "deliverable_id": deliverable, "views": views,
                         "day": [(start + pd.Timedelta(days=i)).strftime("%Y-%m-%d") for i in range(len(views))]})


def test_views_jump_above_ten_times_the_trailing_median():
    flags = an.views_jumps(daily([100, 90, 110, 100, 100, 1001]))
    assert [(f["day"], f["deliverable_id"]) for f in flags] == [("2026-11-06", 1)]
    assert "1,001 views on 2026-11-06" in flags[0]["reason"] and "(100)" in flags[0]["reason"]


@pytest.mark.parametrize("views", [
    [100, 100, 100, 100, 1000],   # exactly 10x: not above
    [100, 100, 5000],             # only 2 earlier days
    [0, 0, 0, 0, 900],            # zero median
])
def test_views_jump_not_flagged(views):
    assert an.views_jumps(daily(views)) == []


def test_views_jump_uses_only_the_previous_seven_days():
    views = [10_000] * 3 + [100] * 7 + [1500]
    assert [f["day"] for f in an.views_jumps(daily(views))] == ["2026-11-11"]
    assert an.views_jumps(pd.concat([daily([100] * 5), daily([100] * 4 + [5000], deliverable=2)]))[0][
        "deliverable_id"] == 2


def raw(**cols):
    base = {"ad_request_id": [1], "deliverable_id": [2], "day": ["2026-11-05"], "provenance": ["csv-import"],
            "submitted_at": ["2026-11-03 10:00:00"], "views": [100], "likes": [5]}
    base.update(cols)
    return pd.DataFrame(base).assign(submitted_day=lambda f: f["submitted_at"].str.slice(0, 10))


def test_engagements_over_views():
    full = {"comments": [0], "shares": [0], "saves": [0]}
    assert an.engagements_over_views(raw(likes=[100], **full)) == []  # equal: not over
    flags = an.engagements_over_views(raw(likes=[101], **full))
    assert flags[0]["rule"] == "engagements_over_views" and flags[0]["provenance"] == "csv-import"
    # 60 likes + 20 comments + 10 shares + 11 saves = 101 engagements on 100 views
    mixed = an.engagements_over_views(raw(likes=[60], comments=[20], shares=[10], saves=[11]))
    assert mixed[0]["reason"] == "101 engagements (60 likes) but only 100 views on 2026-11-05 (csv-import)."
    assert "exceed its views" in an.RULES["engagements_over_views"]


def test_before_submission():
    assert an.before_submission(raw(day=["2026-11-03"])) == []  # the submission day itself is fine
    flags = an.before_submission(raw(day=["2026-11-02"]))
    assert flags[0]["day"] == "2026-11-02" and "submitted on 2026-11-03" in flags[0]["reason"]


@pytest.fixture
def w(session):
    w = world(session)
    clock, d = Clock(), w.deliverables[0]  # submitted today
    for k in range(1, 8):
        upsert_snapshot(session, None, d.id, today() - timedelta(days=8 - k), "creator-reported",
                        {"views": 100, "likes": 3}, now=clock())
    upsert_snapshot(session, None, d.id, today(), "creator-reported", {"views": 5000, "likes": 9000}, now=clock())
    session.commit()
    rollups.run_rollup(session)
    return w


def test_campaign_listing_flags_and_changes_nothing(session, w):
    before = [s.model_dump() for s in session.exec(select(MetricSnapshot).order_by(MetricSnapshot.id))]
    flags = an.campaign_anomalies(session, w.sponsors[0].id, w.campaigns[0].id)
    rules = [(f["rule"], f["day"]) for f in flags]
    assert ("views_jump", today().isoformat()) in rules and ("engagements_over_views", today().isoformat()) in rules
    assert sum(r == "before_submission" for r, _ in rules) == 7
    session.expire_all()
    assert [s.model_dump() for s in session.exec(select(MetricSnapshot).order_by(MetricSnapshot.id))] == before
    assert an.campaign_anomalies(session, w.admin.id, w.campaigns[0].id) == flags
    assert an.campaign_anomalies(session, w.sponsors[1].id, w.campaigns[2].id) == []


def test_platform_listing_is_admin_only(session, w):
    flags = an.platform_anomalies(session, w.admin.id, days=3)
    assert {f["rule"] for f in flags} == {"views_jump", "engagements_over_views", "before_submission"}
    assert all(f["day"] >= (today() - timedelta(days=3)).isoformat() for f in flags)
    with pytest.raises(PermissionDenied):
        an.platform_anomalies(session, w.sponsors[0].id)


@pytest.mark.parametrize("who, error", [("other_sponsor", NotFound), ("influencer", PermissionDenied)])
def test_campaign_listing_refuses_others(session, w, who, error):
    actor = w.sponsors[1].id if who == "other_sponsor" else w.influencers[0].id
    with pytest.raises(error):
        an.campaign_anomalies(session, actor, w.campaigns[0].id)


def test_the_admin_page_reads_a_stored_platform_list_that_the_job_refreshes(session, w, engine):
    """The platform list reads two weeks of raw rows (~12 s at L): the admin page reads the stored
    list; the scheduler's job recomputes it when it is old and new figures were rolled up since."""
    import dataclasses

    from brandifiers.config import get_settings
    from brandifiers.jobs.scheduler import platform_flags
    from brandifiers.models import AnalyticsSnapshot
    from brandifiers.services.common.errors import PermissionDenied as Denied
    from brandifiers.services.stats import stats_views

    with pytest.raises(Denied):
        an.stored_platform_anomalies(session, w.sponsors[0].id)
    assert session.get(AnalyticsSnapshot, an.PLATFORM_KEY) is None  # a refusal writes nothing
    stored = an.stored_platform_anomalies(session, w.admin.id)  # the first read computes it
    session.commit()
    fresh = an.platform_anomalies(session, w.admin.id, days=an.PLATFORM_DAYS)
    assert fresh and stored["flags"] == fresh and stored["days"] == 14

    settings = dataclasses.replace(get_settings(), anomaly_minutes=60)
    at = stored["computed_at"]
    assert platform_flags(engine, at + timedelta(minutes=30), settings) is None  # young
    assert platform_flags(engine, at + timedelta(minutes=90), settings) is None  # old, but nothing new since
    d = w.deliverables[0]
    upsert_snapshot(session, None, d.id, today(), "csv-import", {"views": 10, "likes": 99}, now=at)
    session.commit()
    rollups.run_rollup(session, now=at + timedelta(minutes=80))
    done = platform_flags(engine, at + timedelta(minutes=90), settings)
    assert done is not None and done["flags"] == len(an.platform_anomalies(session, w.admin.id))
    session.expire_all()
    again = an.stored_platform_anomalies(session, w.admin.id)
    assert again["computed_at"] == at + timedelta(minutes=90)
    assert again["flags"] == an.platform_anomalies(session, w.admin.id) != stored["flags"]

    # Refresh now redoes a quick list at once; a slow one is left to the job.
    assert stats_views.refresh_now(session, w.admin.id)["anomalies_refreshed"] is True
    session.get(AnalyticsSnapshot, an.PLATFORM_KEY).seconds = 5.0
    session.commit()
    assert stats_views.refresh_now(session, w.admin.id)["anomalies_refreshed"] is False
    with pytest.raises(Denied):
        stats_views.refresh_now(session, w.influencers[0].id)


def test_campaign_listing_takes_the_stored_category_medians(session, w):
    """With a stored platform list the campaign listing reads its category medians instead of every
    request of the category: the same flags, the same stated medians."""
    from brandifiers.services.common import cache

    clock = Clock()  # the other posts: 1% engagement; the fixture's first post is far above that
    clock.t += timedelta(minutes=5)  # after the fixture's rows (the watermark)
    for d in w.deliverables[1:]:
        upsert_snapshot(session, None, d.id, today(), "creator-reported", {"views": 1000, "likes": 10}, now=clock())
    session.commit()
    rollups.run_rollup(session)
    cache.invalidate("")
    live = an.campaign_anomalies(session, w.sponsors[0].id, w.campaigns[0].id)
    assert any(f["rule"] == "er_category" for f in live)
    an.refresh_platform_anomalies(session)
    session.commit()
    cache.invalidate("")
    assert an.campaign_anomalies(session, w.sponsors[0].id, w.campaigns[0].id) == live


def test_500_likes_on_100_views_is_flagged_at_once(session, w):
    """The creator's form saves 500 likes on 100 views (with a warning); the sponsor's campaign list
    and the admin's stored platform list (computed before the entry) both flag it on the next read."""
    from brandifiers.services.metrics import metrics
    from brandifiers.services.stats.display import campaign_flags
    assert an.stored_platform_anomalies(session, w.admin.id)["flags"]  # stored now, before the entry
    session.commit()
    d = w.deliverables[1]
    request = next(r for r in w.requests if r.id == d.ad_request_id)
    result = metrics.enter_day(session, request.influencer_id, d.id, today(), {"views": "100", "likes": "500"})
    session.commit()
    assert result.warnings == [metrics.ENGAGEMENTS_OVER_VIEWS]
    reason = f"500 engagements (500 likes) but only 100 views on {today()} (creator-reported)."
    campaign = next(c for c in w.campaigns if c.id == request.campaign_id)
    flags = [f for f in an.campaign_anomalies(session, campaign.sponsor_id, campaign.id) if f["deliverable_id"] == d.id]
    assert [(f["rule"], f["reason"]) for f in flags] == [("engagements_over_views", reason)]
    shown = campaign_flags(flags, {})[0]
    assert shown["rule"] == "Engagements above views"
    assert shown["rule_text"] == "Rule: A day's engagements (likes + comments + shares + saves) exceed its views."
    stored = an.stored_platform_anomalies(session, w.admin.id)["flags"]
    assert [f["reason"] for f in stored if f["deliverable_id"] == d.id and f["rule"] == "engagements_over_views"] == [
        reason]
