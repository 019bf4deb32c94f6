"""Where figures came from and the influencer's corrections: the source of each day (the rollups'
provenance choice), the influencer's own days, a correction audited and folded into the rollups, and
refusals (another's row, the platform's row, bad figures) that write nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from brandifiers.clock import utcnow
from brandifiers.models import AuditEvent, MetricSnapshot
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from brandifiers.services.metrics import metrics, sources
from brandifiers.services.metrics.metrics import upsert_snapshot
from brandifiers.services.rollups import rollups
from brandifiers.services.stats import stats
from brandifiers.state.figures import FiguresState
from brandifiers.state.sponsor_stats import CampaignStatsState
from tests.unit.collab_factories import cheap_passwords, today  # noqa: F401  (autouse fixture)
from tests.unit.stats_factories import world
from tests.unit.test_state_handlers import logged_in
from tests.unit.test_stats_state import on_campaign, written


@pytest.fixture
def w(session):
    w = world(session)
    w.me, w.other = w.influencers[0], w.influencers[1]
    w.camp = w.campaigns[0]
    w.sponsor = w.sponsors[0]
    yesterday = today() - timedelta(days=1)
    # Today: my post 0 reported by me; my post 1 by me and by the platform (the platform's wins).
    metrics.enter_day(session, w.me.id, w.deliverables[0].id, today(), {"views": "100", "likes": "500"})
    metrics.enter_day(session, w.me.id, w.deliverables[1].id, today(), {"views": "40", "likes": "4"})
    upsert_snapshot(session, None, w.deliverables[1].id, today(), "platform-api", {"views": 60, "likes": 6},
                    now=utcnow())
    # Yesterday: the other influencer's post on the same campaign, from the sponsor's CSV import.
    upsert_snapshot(session, w.sponsor, w.deliverables[2].id, yesterday, "csv-import", {"views": 7}, now=utcnow())
    session.commit()
    w.yesterday = yesterday
    return w


def test_day_sources_follow_the_rollups_choice(session, w):
    got = sources.campaign_day_sources(session, w.sponsor.id, w.camp.id)
    assert got == {today().isoformat(): "platform API, reported by the creator",
                   w.yesterday.isoformat(): "CSV import"}
    mine = sources.influencer_day_sources(session, w.me.id)
    assert mine == {today().isoformat(): "platform API, reported by you"}
    assert sources.campaign_day_sources(session, w.sponsor.id, w.camp.id, start=today()) == {
        today().isoformat(): "platform API, reported by the creator"}
    with pytest.raises(NotFound):
        sources.campaign_day_sources(session, w.sponsors[1].id, w.camp.id)
    with pytest.raises(PermissionDenied):
        sources.influencer_day_sources(session, w.sponsor.id)


def test_my_days_lists_every_source_and_what_i_may_correct(session, w):
    rows, total = sources.my_days(session, w.me.id)
    assert total == 3
    got = sorted((r["deliverable_id"], r["source"], r["correctable"], r["views"]) for r in rows)
    assert got == [(w.deliverables[0].id, "reported by you", True, 100),
                   (w.deliverables[1].id, "platform API", False, 60),
                   (w.deliverables[1].id, "reported by you", True, 40)]
    assert sources.my_days(session, w.other.id)[0][0]["source"] == "CSV import"  # the sponsor's import
    assert sources.my_days(session, w.other.id)[0][0]["correctable"] is False


def test_a_correction_is_audited_and_reaches_the_rollups(session, w):
    rollups.run_rollup(session)
    assert stats.campaign_stats(session, w.sponsor.id, w.camp.id)["totals"]["views"] == 100 + 60 + 7
    row = session.exec(select(MetricSnapshot).where(MetricSnapshot.deliverable_id == w.deliverables[0].id)).one()
    result = sources.correct_day(session, w.me.id, row.id, {"views": "1,000", "likes": "500", "revenue": "12.50"})
    session.commit()
    assert result.warnings == []  # 500 engagements on 1,000 views
    session.refresh(row)
    assert (row.views, row.likes, row.revenue_cents, row.provenance, row.day) == (1000, 500, 1250,
                                                                                  "creator-reported", today())
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "metrics.replace")).one()
    assert (json.loads(event.before)["views"], json.loads(event.after)["views"]) == (100, 1000)
    assert event.actor_id == w.me.id
    rollups.run_rollup(session)
    assert stats.campaign_stats(session, w.sponsor.id, w.camp.id)["totals"]["views"] == 1000 + 60 + 7


def test_refused_corrections_write_nothing(session, w):
    rows = {(r.deliverable_id, r.provenance): r for r in session.exec(select(MetricSnapshot))}
    mine = rows[(w.deliverables[0].id, "creator-reported")]
    before = written(session)
    with pytest.raises(ValidationFailed) as bad:
        sources.correct_day(session, w.me.id, mine.id, {"views": "lots", "likes": "-1"})
    assert bad.value.errors == {"views": "Views must be a whole number.", "likes": "Likes cannot be negative."}
    with pytest.raises(NotFound):
        sources.correct_day(session, w.other.id, mine.id, {"views": "1"})  # not its post
    with pytest.raises(DomainError, match="platform's API"):
        sources.correct_day(session, w.me.id, rows[(w.deliverables[1].id, "platform-api")].id, {"views": "1"})
    with pytest.raises(DomainError, match="Someone else imported"):
        sources.correct_day(session, w.other.id, rows[(w.deliverables[2].id, "csv-import")].id, {"views": "1"})
    with pytest.raises(PermissionDenied):
        sources.correct_day(session, w.sponsor.id, mine.id, {"views": "1"})
    with pytest.raises(NotFound):
        sources.correct_day(session, w.me.id, 10**9, {"views": "1"})
    session.rollback()
    assert written(session) == before


def test_figures_page_state_corrects_a_day(session, w):
    state = logged_in(FiguresState, w.me)
    state.load()
    assert state.total == 3 and {r["source"] for r in state.rows} == {"reported by you", "platform API"}
    platform = next(r for r in state.rows if r["source"] == "platform API")
    state.start_edit(platform["id"])
    assert state.editing == {}  # not correctable: no form
    mine = next(r for r in state.rows if r["views"] == "100")
    state.start_edit(mine["id"])
    assert state.editing["raw_views"] == "100" and state.editing["raw_revenue"] == "0.00"
    before = written(session)
    state.save_correction({"views": "abc", "likes": "500"})
    assert state.errors == {"views": "Views must be a whole number."} and written(session) == before
    state.save_correction({"views": "90", "likes": "500"})
    assert state.errors == {} and "Corrected the figures of" in state.saved
    assert state.warnings == [metrics.ENGAGEMENTS_OVER_VIEWS]
    assert next(r for r in state.rows if r["id"] == mine["id"])["views"] == "90"


def test_campaign_page_day_rows_show_the_source(session, w, monkeypatch):
    rollups.run_rollup(session)
    on_campaign(monkeypatch, w.camp.id)
    state = logged_in(CampaignStatsState, w.sponsor)
    state._load()
    assert [(r["day"], r["views"], r["source"]) for r in state.day_table] == [
        (today().isoformat(), "160", "platform API, reported by the creator"),
        (w.yesterday.isoformat(), "7", "CSV import")]


def test_portfolio_day_rows_and_the_first_day_read(session, w):
    from brandifiers.services.stats.display import DAY_TABLE_ROWS, shown_from
    from brandifiers.state.sponsor_stats import PortfolioState
    rollups.run_rollup(session)
    state = logged_in(PortfolioState, w.sponsor)
    state._load()
    assert [(r["day"], r["source"]) for r in state.day_table] == [
        (today().isoformat(), "platform API, reported by the creator"), (w.yesterday.isoformat(), "CSV import")]
    assert sources.sponsor_day_sources(session, w.sponsors[1].id) == {}
    series = [{"day": (today() - timedelta(days=k)).isoformat()} for k in range(DAY_TABLE_ROWS + 5)]
    assert shown_from(series, None) == today() - timedelta(days=DAY_TABLE_ROWS - 1)
    assert shown_from(series, today() - timedelta(days=3)) == today() - timedelta(days=3)
    assert shown_from([], None) is None
