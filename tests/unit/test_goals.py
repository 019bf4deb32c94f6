"""Campaign goals against results: the percent by hand, the figures being the statistics page's totals,
the dashboard's list (campaigns without goals left out) and the monthly report's Goals table."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pypdf
from sqlmodel import select

from brandifiers.clock import utcnow
from brandifiers.models import Deliverable
from brandifiers.services.deals import adrequests
from brandifiers.services.messaging import reports
from brandifiers.services.metrics.metrics import upsert_snapshot
from brandifiers.services.rollups import rollups
from brandifiers.services.stats import goals, stats, stats_views
from tests.unit import factories
from tests.unit.collab_factories import POST, advance, campaign, cheap_passwords, send, today  # noqa: F401
from tests.unit.mail_servers import smtp  # noqa: F401  (fixture)
from tests.unit.test_reports import NOW
from tests.unit.test_reports import world as report_world


def test_progress_by_hand():
    rows = goals.progress({"target_views": 1000, "target_engagements": 300, "target_conversions": None},
                          {"views": 455, "engagements": 301, "conversions": 7})
    assert [(r["label"], r["figure"], r["target"], r["pct"], r["bar"], r["text"]) for r in rows] == [
        ("Views", 455, 1000, 45, 45, "455 of 1,000 (45%)"),  # 45.5% rounded down
        ("Engagements", 301, 300, 100, 100, "301 of 300 (100%)"),
    ]
    over = goals.progress({"target_conversions": 3}, {"conversions": 7})[0]
    assert (over["pct"], over["bar"], over["text"]) == (233, 100, "7 of 3 (233%)")  # 7 / 3 = 2.333...
    assert goals.progress({"target_views": 0, "target_engagements": None}, {"views": 5}) == []
    # 2/3 of a target of 3 is 66.66..%: rounded down, never up to 67
    assert goals.progress({"target_views": 3}, {"views": 2})[0]["pct"] == 66


def _world(session):
    sponsor = factories.sponsor(session, approved=True)
    influencer = factories.influencer(session)
    with_goals = campaign(session, sponsor, target_views="1,000", target_engagements="300",
                          target_conversions="8")
    without = campaign(session, sponsor, target_views="", target_engagements="", target_conversions="")
    people = SimpleNamespace(sponsor=sponsor, influencer=influencer)
    for c in (with_goals, without):
        r = send(session, sponsor, c, influencer, payment="100")
        advance(session, r, "in_progress", people)
        adrequests.submit_deliverables(session, influencer.id, r.id, [POST])
        session.commit()
    deliverables = list(session.exec(select(Deliverable).order_by(Deliverable.id)))
    # Two days for the campaign with goals, one of them with a second (winning) provenance.
    d = deliverables[0]
    upsert_snapshot(session, influencer, d.id, today(), "creator-reported",
                    {"views": 300, "likes": 40, "comments": 5, "shares": 3, "saves": 2, "conversions": 3},
                    now=utcnow())
    upsert_snapshot(session, influencer, d.id, today() - timedelta(days=1), "creator-reported",
                    {"views": 999, "likes": 999, "conversions": 9}, now=utcnow())
    upsert_snapshot(session, None, d.id, today() - timedelta(days=1), "platform-api",
                    {"views": 155, "likes": 20, "comments": 1, "conversions": 2}, now=utcnow())
    upsert_snapshot(session, influencer, deliverables[1].id, today(), "creator-reported", {"views": 50}, now=utcnow())
    session.commit()
    rollups.run_rollup(session)
    return SimpleNamespace(sponsor=sponsor, with_goals=with_goals, without=without)


def test_campaign_goals_use_the_statistics_totals(session):
    w = _world(session)
    totals = stats.campaign_stats(session, w.sponsor.id, w.with_goals.id)["totals"]
    # By hand: views 300 + 155 (the platform's figures win that day), engagements (40+5+3+2) + (20+1),
    # conversions 3 + 2.
    assert (totals["views"], totals["engagements"], totals["conversions"]) == (455, 71, 5)
    overview = stats_views.campaign_overview(session, w.sponsor.id, w.with_goals.id)
    rows = goals.progress(overview["targets"], totals)
    assert [(r["key"], r["figure"], r["target"], r["pct"]) for r in rows] == [
        ("views", 455, 1000, 45), ("engagements", 71, 300, 23), ("conversions", 5, 8, 62)]
    empty = stats_views.campaign_overview(session, w.sponsor.id, w.without.id)
    assert goals.progress(empty["targets"], {"views": 50}) == []


def test_dashboard_lists_only_active_campaigns_with_goals(session):
    w = _world(session)
    listed = goals.active_goals(session, w.sponsor.id)
    assert [(c["campaign_id"], [g["text"] for g in c["goals"]]) for c in listed] == [
        (w.with_goals.id, ["455 of 1,000 (45%)", "71 of 300 (23%)", "5 of 8 (62%)"])]


def test_monthly_report_has_goals_and_no_heading_without(session, engine, smtp):
    w = report_world(session)  # its campaign targets 100,000 views; October brought 4,000 + 6,000
    reports.run_monthly_reports(session, now=NOW, settings=smtp.settings())
    session.commit()
    report = reports.get_report(session, w.sponsor.id, "2026-10")
    assert "Goals" in report.html and "10,000" in report.html and "100,000" in report.html
    assert "Overnight Oats Week: Views 10,000 of 100,000 (10%)" in report.text
    pdf = pypdf.PdfReader(io.BytesIO(reports.html_to_pdf(report.html)))
    assert "Goals" in "".join(p.extract_text() for p in pdf.pages)
    context = reports.report_context("Quiet Co", "2026-10", {"sent": 1}, {},
                                     [{"name": "No goals", "status": "active", "budget_cents": 100,
                                       "spend_cents": 0, "goals": []}], generated=NOW, link="x")
    html, text = reports.render(context)
    assert "Goals" not in html and "Goals" not in text
