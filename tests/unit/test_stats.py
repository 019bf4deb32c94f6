"""Dashboard reads: only the summary tables, figures and ratios against plain loops, ownership,
and the cache being refreshed by a rollup run."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from brandifiers.services.common.errors import NotFound, PermissionDenied
from brandifiers.services.metrics.metrics import upsert_snapshot
from brandifiers.services.rollups import rollups
from brandifiers.services.stats import stats
from tests.unit.collab_factories import cheap_passwords, today  # noqa: F401  (autouse fixture)
from tests.unit.stats_factories import Clock, expected, random_snapshots, world

RATIOS = ("er_views", "er_followers", "cpm", "cpe", "cpc", "roi")


@pytest.fixture
def w(session):
    w = world(session)
    w.clock = Clock()
    random_snapshots(session, w.deliverables, random.Random(5), w.clock)
    rollups.run_rollup(session)
    w.days, w.totals = expected(session)
    return w


def by_hand(t: dict, followers=None) -> dict:
    """The ratios written out again from the definitions."""
    eng, views, clicks = t.get("engagements", 0), t.get("views", 0), t.get("clicks", 0)
    spend, rev = t.get("spend_cents", 0), t.get("revenue_cents", 0)
    fol = t.get("followers", 0) if followers is None else followers
    return {"er_views": eng / views if views else None, "er_followers": eng / fol if fol else None,
            "cpm": spend / views * 1000 if views else None, "cpe": spend / eng if eng else None,
            "cpc": spend / clicks if clicks else None, "roi": (rev - spend) / spend if spend else None}


def check_totals(got: dict, want: dict, followers=None):
    for k in ("views", "likes", "clicks", "revenue_cents", "engagements", "spend_cents"):
        assert got[k] == want.get(k, 0), k
    assert {k: got[k] for k in RATIOS} == by_hand(want, followers)


def series_of(w, scope: str, key: str, start=None, end=None) -> list:
    out = []
    for (sc, k, day), figs in sorted(w.days.items(), key=lambda kv: kv[0][2]):
        if sc == scope and k == key and (start is None or day >= start.isoformat()) and \
                (end is None or day <= end.isoformat()):
            out.append((day, figs.get("views", 0), figs.get("engagements", 0)))
    return out


def test_campaign_stats(session, w):
    c = w.campaigns[0]
    got = stats.campaign_stats(session, w.sponsors[0].id, c.id)
    assert [(d["day"], d["views"], d["engagements"]) for d in got["series"]] == series_of(w, "campaign", str(c.id))
    check_totals(got["totals"], w.totals[("campaign", str(c.id))])
    assert got["last_refreshed"] is not None
    mine = [r for r in w.requests if r.campaign_id == c.id]
    assert {r["ad_request_id"] for r in got["requests"]} == {r.id for r in mine}
    for row in got["requests"]:
        check_totals(row, w.totals.get(("adrequest", str(row["ad_request_id"])), {}))


def test_a_window_of_days(session, w):
    c = w.campaigns[0]
    start, end = today() - timedelta(days=8), today() - timedelta(days=4)
    got = stats.campaign_stats(session, w.sponsors[0].id, c.id, start, end)
    want = series_of(w, "campaign", str(c.id), start, end)
    assert [(d["day"], d["views"], d["engagements"]) for d in got["series"]] == want and len(want) == 5
    assert got["period"]["views"] == sum(v for _, v, _ in want)
    assert got["period"]["engagements"] == sum(e for _, _, e in want)


def test_sponsor_portfolio(session, w):
    s0 = w.sponsors[0]
    for got in (stats.sponsor_portfolio(session, s0.id),
                stats.sponsor_portfolio(session, w.admin.id, sponsor_id=s0.id)):
        check_totals(got["totals"], w.totals[("sponsor", str(s0.id))])
        assert {c["campaign_id"] for c in got["campaigns"]} == {w.campaigns[0].id, w.campaigns[1].id}
        for row in got["campaigns"]:
            check_totals(row, w.totals[("campaign", str(row["campaign_id"]))])


def test_influencer_stats_use_profile_followers(session, w):
    inf = w.influencers[2]  # 80,000 followers
    got = stats.influencer_stats(session, inf.id)
    want = w.totals[("influencer", str(inf.id))]
    check_totals(got["totals"], want)
    assert got["profile_followers"] == 80000
    assert got["period"]["er_followers"] == want["engagements"] / 80000


def test_platform_stats(session, w):
    got = stats.platform_stats(session, w.admin.id)
    check_totals(got["totals"], w.totals[("platform", "")])
    assert [c["category"] for c in got["by_category"]] == ["Food", "Travel"]
    for row in got["by_category"]:
        check_totals(row, w.totals[("category", row["category"])])
    assert sum(m["views"] for m in got["by_month"]) == w.totals[("platform", "")]["views"]
    months = {d["day"][:7] for d in got["series"]}
    assert [m["month"] for m in got["by_month"]] == sorted(months)


def test_zero_spend_and_zero_views_show_undefined(session, w):
    empty = stats.influencer_stats(session, w.admin.id, influencer_id=999_999)
    assert empty["series"] == [] and all(empty["totals"][k] is None for k in RATIOS)


@pytest.mark.parametrize("call", [
    lambda s, w: stats.campaign_stats(s, w.sponsors[1].id, w.campaigns[0].id),
    lambda s, w: stats.campaign_stats(s, w.sponsors[0].id, 999_999),
])
def test_foreign_or_unknown_campaign(session, w, call):
    with pytest.raises(NotFound):
        call(session, w)


@pytest.mark.parametrize("call", [
    lambda s, w: stats.campaign_stats(s, w.influencers[0].id, w.campaigns[0].id),
    lambda s, w: stats.sponsor_portfolio(s, w.influencers[0].id),
    lambda s, w: stats.influencer_stats(s, w.sponsors[0].id),
    lambda s, w: stats.platform_stats(s, w.sponsors[0].id),
    lambda s, w: stats.platform_stats(s, None),
])
def test_wrong_roles(session, w, call):
    with pytest.raises(PermissionDenied):
        call(session, w)


def test_cached_until_the_next_rollup_run(session, w):
    c, sponsor = w.campaigns[0], w.sponsors[0]
    first = stats.campaign_stats(session, sponsor.id, c.id)["totals"]["views"]
    d = next(d for d in w.deliverables if d.ad_request_id == w.requests[0].id)
    upsert_snapshot(session, None, d.id, date(2020, 1, 1), "platform-api", {"views": 1000}, now=w.clock())
    session.commit()
    assert stats.campaign_stats(session, sponsor.id, c.id)["totals"]["views"] == first + 0  # no run yet
    rollups.run_rollup(session)
    assert stats.campaign_stats(session, sponsor.id, c.id)["totals"]["views"] == first + 1000
