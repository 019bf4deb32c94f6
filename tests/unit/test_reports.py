"""The monthly report: last month's figures per sponsor with activity, rendered once as HTML,
sent through a real SMTP server with a plain-text part and the same report as a PDF, once per
month however often the job runs; sponsors open only their own reports."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pypdf
import pytest
from sqlmodel import select

from brandifiers.config import get_settings
from brandifiers.jobs.scheduler import monthly_reports
from brandifiers.models import AdRequest, Campaign, Deliverable
from brandifiers.models.jobs import MonthlyReport, OutboxMessage
from brandifiers.services.common.errors import NotFound, PermissionDenied
from brandifiers.services.deals import adrequests
from brandifiers.services.messaging import outbox, reports
from brandifiers.services.metrics.metrics import upsert_snapshot
from brandifiers.services.rollups import rollups
from tests.unit import factories
from tests.unit.collab_factories import POST, advance, campaign, cheap_passwords, send  # noqa: F401
from tests.unit.mail_servers import smtp  # noqa: F401  (fixture)

NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)  # the job's run: reports October 2026


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T12:00:00+00:00")


def world(session, rollup=True):
    w = SimpleNamespace(sponsor=factories.sponsor(session, approved=True, company_name="Peak Oats"),
                        quiet=factories.sponsor(session, approved=True, company_name="Quiet Co"),
                        influencer=factories.influencer(session))
    w.campaign = campaign(session, w.sponsor, name="Overnight Oats Week", budget="5,000")
    people = SimpleNamespace(sponsor=w.sponsor, influencer=w.influencer)
    october = send(session, w.sponsor, w.campaign, w.influencer, payment="300")
    advance(session, october, "in_progress", people)
    adrequests.submit_deliverables(session, w.influencer.id, october.id, [POST])
    session.commit()
    other = factories.influencer(session)
    september = send(session, w.sponsor, w.campaign, other, payment="100")
    advance(session, september, "accepted", SimpleNamespace(sponsor=w.sponsor, influencer=other))
    pending = send(session, w.sponsor, w.campaign, factories.influencer(session), payment="50")
    # Move the story into October (and one acceptance into September) on the calendar.
    for r, created, accepted in ((october, "2026-10-02", "2026-10-05"), (september, "2026-09-10", "2026-09-12"),
                                 (pending, "2026-10-20", None)):
        r = session.get(AdRequest, r.id)
        r.created_at, r.accepted_at = at(created), at(accepted) if accepted else None
        session.add(r)
    c = session.get(Campaign, w.campaign.id)
    c.start_date, c.end_date = date(2026, 9, 1), date(2026, 12, 31)
    session.add(c)
    session.commit()
    deliverable = session.exec(select(Deliverable).where(Deliverable.ad_request_id == october.id)).one()
    for day, views in ((date(2026, 10, 6), 4000), (date(2026, 10, 7), 6000)):
        upsert_snapshot(session, w.influencer, deliverable.id, day, "creator-reported",
                        {"views": views, "likes": views // 10, "comments": 10, "shares": 5, "saves": 5, "clicks": 20,
                         "conversions": 2, "revenue_cents": 30_000}, now=NOW - timedelta(days=1))
    session.commit()
    if rollup:
        rollups.run_rollup(session, now=NOW - timedelta(hours=1))
        session.commit()
    return w


def test_report_figures_mail_and_pdf(session, engine, smtp):
    w = world(session)
    counts = reports.run_monthly_reports(session, now=NOW, settings=smtp.settings())
    session.commit()
    assert counts == {"reports": 1, "emails": 1}  # the quiet sponsor had no activity
    report = session.exec(select(MonthlyReport)).one()
    assert (report.sponsor_id, report.month) == (w.sponsor.id, "2026-10")
    assert outbox.deliver_due(engine, now=NOW, settings=smtp.settings()) == {"sent": 2}  # e-mail + in-app
    (msg,) = smtp.messages
    assert msg["To"] == w.sponsor.email and msg["Subject"] == "Your Brandifiers report for October 2026"
    html = msg.get_body(("html",)).get_content()
    text = msg.get_body(("plain",)).get_content()
    # Sent 2 in October (1 in September), accepted 1 (1): spend $300.00 vs $100.00 (+200%);
    # reach 10,000 views; engagements 1,000 likes + 40 others; revenue $600.00 -> ROI +100%.
    for needle in ("Peak Oats", "October 2026", "$300.00", "$100.00", "+200%", "10,000", "1,040", "$600.00",
                   "100.0%", "Overnight Oats Week", "$5,000.00", "$4,600.00"):
        assert needle in html, needle
        assert needle in text, needle
    (pdf,) = list(msg.iter_attachments())
    data = pdf.get_content()
    assert pdf.get_filename() == "brandifiers-report-2026-10.pdf" and data.startswith(b"%PDF") and len(data) > 1024
    pdf_text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    for needle in ("Peak Oats", "October 2026", "$300.00", "+200%", "10,000", "1,040", "$600.00", "$4,600.00"):
        assert needle in pdf_text, needle  # the same report as the HTML
    # A second run (or a restart) sends nothing new.
    assert reports.run_monthly_reports(session, now=NOW + timedelta(hours=2), settings=smtp.settings()) == {}
    session.commit()
    assert outbox.deliver_due(engine, now=NOW + timedelta(hours=3), settings=smtp.settings()) == {}
    assert len(smtp.messages) == 1
    assert len(session.exec(select(OutboxMessage)).all()) == 2


def test_the_report_job_brings_the_rollups_up_to_date_first(session, engine):
    """October's figures were entered after the last rollup run: the job still reports them."""
    world(session, rollup=False)
    assert monthly_reports(engine, NOW, get_settings()) == {"reports": 1, "emails": 1}
    session.expire_all()
    figures = json.loads(session.exec(select(MonthlyReport.data)).one())["figures"]
    assert figures["views"] == 10_000 and figures["revenue_cents"] == 60_000


def test_sponsors_open_only_their_own_reports(session):
    w = world(session)
    reports.run_monthly_reports(session, now=NOW)
    session.commit()
    assert [r.month for r in reports.list_reports(session, w.sponsor.id)] == ["2026-10"]
    assert reports.list_reports(session, w.quiet.id) == []
    assert "Peak Oats" in reports.get_report(session, w.sponsor.id, "2026-10").html
    name, pdf = reports.report_pdf(session, w.sponsor.id, "2026-10")
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    with pytest.raises(NotFound):
        reports.get_report(session, w.quiet.id, "2026-10")
    with pytest.raises(PermissionDenied):
        reports.get_report(session, w.influencer.id, "2026-10")
    with pytest.raises(NotFound):
        reports.get_report(session, w.sponsor.id, "2026-09")


def test_a_month_that_is_no_report_is_not_found_and_admins_read_any_sponsors(session):
    """/sponsor/reports/garbage once offered "Download PDF": a bad month is no such report, as another's is."""
    w = world(session, rollup=False)
    reports.run_monthly_reports(session, now=NOW)
    session.commit()
    for bad in ("garbage", "2026-13", "", "１２", "2026-10' OR 1=1 --"):
        with pytest.raises(NotFound):
            reports.get_report(session, w.sponsor.id, bad)
        with pytest.raises(NotFound):
            reports.report_pdf(session, w.sponsor.id, bad)
    with pytest.raises(NotFound):  # a sponsor cannot name another sponsor
        reports.list_reports(session, w.quiet.id, w.sponsor.id)
    with pytest.raises(NotFound):
        reports.get_report(session, w.quiet.id, "2026-10", w.sponsor.id)
    admin = factories.admin(session)
    assert [r.month for r in reports.list_reports(session, admin.id, w.sponsor.id)] == ["2026-10"]
    assert "Peak Oats" in reports.get_report(session, admin.id, "2026-10", w.sponsor.id).html
    assert reports.report_pdf(session, admin.id, "2026-10", w.sponsor.id)[1].startswith(b"%PDF")
    for not_a_sponsor in (None, 0, w.influencer.id, admin.id, 2**40, 10**30):
        with pytest.raises(NotFound):
            reports.list_reports(session, admin.id, not_a_sponsor)
    with pytest.raises(PermissionDenied):
        reports.list_reports(session, w.influencer.id, w.sponsor.id)


def test_months_and_the_previous_one():
    assert reports.month_bounds("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    assert reports.previous_month("2026-01") == "2025-12" and reports.previous_month("2026-10") == "2026-09"


def test_many_pdfs_are_made_in_parallel_and_keep_their_order(monkeypatch):
    monkeypatch.setattr(reports, "PARALLEL_FROM", 4)
    htmls = [f"<html><body><h1>Report number {i}</h1></body></html>" for i in range(6)]
    with reports._pdf_maker(len(htmls)) as make:
        pdfs = make(htmls)
    texts = [pypdf.PdfReader(io.BytesIO(p)).pages[0].extract_text() for p in pdfs]
    assert [f"Report number {i}" in t for i, t in enumerate(texts)] == [True] * 6


def test_a_long_report_flows_over_several_pdf_pages():
    campaigns = [{"name": f"Campaign {i} with a rather long name", "status": "active", "budget_cents": 500_000,
                  "spend_cents": 40_000} for i in range(40)]
    context = reports.report_context("Peak Oats", "2026-10", {"sent": 3}, {}, campaigns,
                                     generated=NOW, link="http://localhost:3000/sponsor/reports/2026-10")
    html, text = reports.render(context)
    pdf = pypdf.PdfReader(io.BytesIO(reports.html_to_pdf(html)))
    content = "".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) > 1 and "Campaign 24 with" in content and "15 more campaigns" in content
    assert "Campaign 25 with" not in content and "15 more campaigns" in text


def test_a_report_says_which_zone_it_uses():
    context = reports.report_context("Peak Oats", "2026-10", {"sent": 3}, {}, [],
                                     generated=NOW, link="http://localhost:3000/sponsor/reports/2026-10")
    html, text = reports.render(context)
    line = "Figures as of 2026-11-01 08:00 UTC. Months run from the 1st, 00:00, in UTC."
    assert line in html and line in text
