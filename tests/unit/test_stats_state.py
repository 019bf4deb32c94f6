"""The statistics pages' state handlers, called as a browser would: a wrong role or a foreign
campaign/deliverable id is refused and nothing changes; bad input in the day form writes
nothing; the right actor sees its figures once the rollup has run."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from pathlib import Path

import pytest
import reflex as rx
from sqlmodel import select

from brandifiers.models import AuditEvent, MetricSnapshot, RollupWatermark
from brandifiers.services.metrics.metrics import ENGAGEMENTS_OVER_VIEWS
from brandifiers.services.rollups import rollups
from brandifiers.state.base import RoleState
from brandifiers.state.csv_import import CsvImportState
from brandifiers.state.influencer_stats import InfluencerStatsState
from brandifiers.state.platform_stats import PlatformStatsState
from brandifiers.state.sponsor_stats import CampaignStatsState, PortfolioState
from tests.unit.collab_factories import cheap_passwords, today  # noqa: F401  (autouse fixture)
from tests.unit.stats_factories import world
from tests.unit.test_state_handlers import logged_in

FIGURES = {"views": "1,000", "likes": "120", "comments": "10", "shares": "5", "saves": "5", "clicks": "40",
           "conversions": "3", "revenue": "250.00"}


def Upload(text: str, name: str = "figures.csv") -> rx.UploadFile:
    """What rx.upload hands a handler: the body spooled to a file, its name and size."""
    data = text.encode()
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


@pytest.fixture
def w(session):
    return world(session)


def written(session) -> dict:
    session.expire_all()
    return {"snapshots": [s.model_dump() for s in session.exec(select(MetricSnapshot).order_by(MetricSnapshot.id))],
            "audit": len(session.exec(select(AuditEvent)).all()),
            "watermarks": [m.model_dump() for m in session.exec(select(RollupWatermark))]}


def on_campaign(monkeypatch, campaign_id: int) -> None:
    monkeypatch.setattr(RoleState, "_route_id", lambda self, name: campaign_id)


def test_day_form_saves_and_shows_the_likes_warning(session, w):
    state = logged_in(InfluencerStatsState, w.influencers[0])
    state.load()
    mine = {d.id for d in w.deliverables[:2]} | {w.deliverables[4].id}
    assert {int(d["id"]) for d in state.deliverables} == mine
    assert state.refreshed == "never" and state.period_cards[0]["value"] == "0"
    state.save_day({"deliverable_id": str(w.deliverables[0].id), "day": today().isoformat(),
                    **FIGURES, "views": "100", "likes": "150"})
    assert state.errors == {} and state.form_error == ""
    assert state.warnings == [ENGAGEMENTS_OVER_VIEWS] and "Saved the figures" in state.saved
    assert (state.last_deliverable, state.today) == (str(w.deliverables[0].id), today().isoformat())
    snap = session.exec(select(MetricSnapshot)).one()
    assert (snap.views, snap.likes, snap.revenue_cents, snap.provenance) == (100, 150, 25000, "creator-reported")


def test_day_form_bad_input_writes_nothing(session, w):
    before = written(session)
    state = logged_in(InfluencerStatsState, w.influencers[0])
    state.save_day({"deliverable_id": "", "day": today().isoformat(), **FIGURES})
    assert "deliverable_id" in state.errors
    state.save_day({"deliverable_id": str(w.deliverables[0].id), "day": (today() + timedelta(days=1)).isoformat(),
                    **FIGURES, "views": "many", "likes": "-3", "revenue": "lots"})
    assert set(state.errors) == {"day", "views", "likes", "revenue"} and state.saved == ""
    assert written(session) == before


@pytest.mark.parametrize("who", ["other_influencer", "sponsor", "admin"])
def test_day_form_refuses_foreign_deliverables_and_other_roles(session, w, who):
    actor = {"other_influencer": w.influencers[1], "sponsor": w.sponsors[0], "admin": w.admin}[who]
    before = written(session)
    state = logged_in(InfluencerStatsState, actor)
    state.user_role = "influencer"  # forged by the browser: ignored
    state.save_day({"deliverable_id": str(w.deliverables[0].id), "day": today().isoformat(), **FIGURES})
    assert state.form_error and state.saved == "" and state.warnings == []
    assert written(session) == before


def test_campaign_page_shows_figures_after_the_rollup(session, w, monkeypatch):
    creator = logged_in(InfluencerStatsState, w.influencers[0])
    creator.save_day({"deliverable_id": str(w.deliverables[0].id), "day": today().isoformat(), **FIGURES})
    rollups.run_rollup(session)
    on_campaign(monkeypatch, w.campaigns[0].id)
    state = logged_in(CampaignStatsState, w.sponsors[0])
    asyncio.run(state.load())
    assert state.name == w.campaigns[0].name and state.refreshed != "never"
    period = {c["id"]: c["value"] for c in state.period_cards}
    assert period["period-views"] == "1,000" and period["period-engagements"] == "140"
    assert state.days == [{"day": today().isoformat(), "views": 1000, "engagements": 140, "clicks": 40,
                           "revenue": 250.0, "er": 14.0}]
    totals = {c["id"]: c for c in state.total_cards}
    # spend = 100 + 200 (the two submitted requests of campaign 0), revenue 250
    assert totals["total-spend"]["value"].endswith("300.00") and totals["total-roi"]["value"] == "-16.7%"
    assert totals["total-cpc"]["hint"].startswith("CPC =")
    assert [r["roi"] for r in state.influencers] == ["150.0%", "-100.0%"]  # best ROI first
    assert state.spend[-1]["spend"] == 300.0 and state.spend[-1]["budget"] == 100000.0


def test_the_window_applies_to_the_spend_and_earnings_lines(session, w, monkeypatch):
    """Everything here was accepted and reported today: a window that ends yesterday shows no
    day figures, spend 0 over the window and no earnings; one that ends today shows them all."""
    creator = logged_in(InfluencerStatsState, w.influencers[0])
    creator.save_day({"deliverable_id": str(w.deliverables[0].id), "day": today().isoformat(), **FIGURES})
    rollups.run_rollup(session)
    on_campaign(monkeypatch, w.campaigns[0].id)
    week_ago, yesterday = (today() - timedelta(days=7)).isoformat(), (today() - timedelta(days=1)).isoformat()
    sponsor = logged_in(CampaignStatsState, w.sponsors[0])
    sponsor.apply_range({"start": week_ago, "end": yesterday})
    asyncio.run(sponsor.load())
    assert sponsor.days == [] and [(p["day"], p["spend"]) for p in sponsor.spend] == [(week_ago, 0.0), (yesterday, 0.0)]
    sponsor.apply_range({"start": week_ago, "end": today().isoformat()})
    asyncio.run(sponsor.load())
    assert [d["day"] for d in sponsor.days][0] == week_ago and len(sponsor.days) == 8
    assert sum(d["views"] for d in sponsor.days) == 1000 and "er" not in sponsor.days[0]
    assert [(p["day"], p["spend"]) for p in sponsor.spend] == [(week_ago, 0.0), (today().isoformat(), 300.0)]
    creator.apply_range({"start": week_ago, "end": yesterday})
    creator.load()
    assert creator.earnings == [] and creator.days == []
    creator.all_time()
    creator.load()
    assert [e["earned"] for e in creator.earnings] == [100.0 + 400.0]  # the submitted and the accepted one


@pytest.mark.parametrize("who", ["other_sponsor", "influencer"])
def test_campaign_page_refuses_foreign_campaigns_and_other_roles(session, w, monkeypatch, who):
    actor = {"other_sponsor": w.sponsors[1], "influencer": w.influencers[0]}[who]
    on_campaign(monkeypatch, w.campaigns[0].id)
    state = logged_in(CampaignStatsState, actor)
    asyncio.run(state.load())
    assert state.form_error and state.campaign_id == 0 and state.name == ""
    assert state.total_cards == [] and state.influencers == [] and state.flags == []


def test_portfolio_is_the_sponsors_own(session, w):
    state = logged_in(PortfolioState, w.sponsors[1])
    asyncio.run(state.load())
    assert [r["name"] for r in state.campaigns] == [w.campaigns[2].name]
    assert [int(d["id"]) for d in state.deliverables] == [w.deliverables[4].id]
    refused = logged_in(PortfolioState, w.influencers[0])
    asyncio.run(refused.load())
    assert refused.form_error and refused.campaigns == []


def test_date_window_refuses_bad_dates(session, w):
    state = logged_in(InfluencerStatsState, w.influencers[0])
    assert state.apply_range({"start": "2026-13-01", "end": ""}) is None and "start" in state.errors
    assert state.apply_range({"start": "2026-05-02", "end": "2026-05-01"}) is None and "end" in state.errors
    assert state.start == "" and state.end == ""
    assert state.apply_range({"start": "2026-05-01", "end": "2026-05-02"}) is not None
    assert (state.start, state.end) == ("2026-05-01", "2026-05-02")


@pytest.mark.parametrize("who", ["sponsor", "influencer"])
def test_refresh_now_is_admin_only(session, w, who):
    actor = {"sponsor": w.sponsors[0], "influencer": w.influencers[0]}[who]
    before = written(session)
    state = logged_in(PlatformStatsState, actor)
    state.user_role = "admin"  # forged by the browser: ignored
    assert asyncio.run(state.refresh()) is None and "not allowed" in state.form_error
    state.load()
    assert state.total_cards == [] and state.categories == []
    assert written(session) == before


def test_admin_refresh_runs_the_rollup(session, w):
    state = logged_in(PlatformStatsState, w.admin)
    assert asyncio.run(state.refresh()) is not None and state.form_error == ""
    state.load()
    assert state.refreshed != "never" and state.total_cards[0]["id"] == "total-views"
    assert {m["month"] for m in state.months} == {today().isoformat()[:7]}


def _csv(w) -> str:
    mine, foreign, day = w.deliverables[0].id, w.deliverables[2].id, today().isoformat()
    return ("deliverable_id,day,views,likes,comments,shares,saves,clicks,conversions,revenue\n"
            f"{mine},{day},500,50,5,1,1,10,1,20.00\n"
            f"{foreign},{day},500,50,5,1,1,10,1,20.00\n"
            f"{mine},not-a-day,1,1,1,1,1,1,1,1\n"
            f"{w.deliverables[1].id},{day},abc,1,1,1,1,1,1,1\n")


def test_csv_upload_lists_accepted_and_rejected_rows(session, w):
    state = logged_in(CsvImportState, w.influencers[0])
    asyncio.run(state.upload([Upload(_csv(w))]))
    assert [r["row"] for r in state.accepted] == ["2"]
    assert [r["row"] for r in state.rejected] == ["3", "4", "5"]
    assert "not one of yours" in state.rejected[0]["reason"] and "whole number" in state.rejected[2]["reason"]
    assert state.summary.startswith("1 row(s) written") and state.has_result
    assert len(session.exec(select(MetricSnapshot)).all()) == 1


def test_csv_all_or_nothing_writes_nothing_and_other_roles_are_refused(session, w):
    before = written(session)
    state = logged_in(CsvImportState, w.influencers[0])
    state.set_mode("all_or_nothing")
    asyncio.run(state.upload([Upload(_csv(w))]))
    assert state.summary.startswith("Nothing was written") and len(state.rejected) == 3
    admin = logged_in(CsvImportState, w.admin)
    asyncio.run(admin.upload([Upload(_csv(w))]))
    assert admin.form_error and not admin.has_result
    empty = logged_in(CsvImportState, w.influencers[0])
    asyncio.run(empty.upload([]))
    assert "file" in empty.errors
    assert written(session) == before


def test_sponsor_imports_figures_for_its_own_campaigns_only(session, w):
    day = today().isoformat()
    own, foreign = w.deliverables[3].id, w.deliverables[4].id  # campaign 1 (sponsor 0), campaign 2 (sponsor 1)
    text = ("deliverable_id,day,views,likes,comments,shares,saves,clicks,conversions,revenue\n"
            f"{own},{day},900,90,9,0,0,9,0,0\n{foreign},{day},900,90,9,0,0,9,0,0\n")
    state = logged_in(CsvImportState, w.sponsors[0])
    asyncio.run(state.upload([Upload(text)]))
    assert [r["row"] for r in state.accepted] == ["2"] and [r["row"] for r in state.rejected] == ["3"]
    assert [(s.deliverable_id, s.provenance) for s in session.exec(select(MetricSnapshot))] == [(own, "csv-import")]
