"""Reports and campaign dates in the browser: a report address that is no report says "No such report"
with no download; an admin opens a sponsor's reports from the user's page (read-only); moving a live
campaign's start past its figures and accepted deals warns next to the dates and saves once confirmed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace

from playwright.sync_api import expect
from sqlmodel import Session, select

from brandifiers.db import get_engine
from brandifiers.models import AdRequest, Deliverable
from brandifiers.services.deals import adrequests
from brandifiers.services.messaging import reports
from brandifiers.services.metrics.metrics import upsert_snapshot
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, goto, login, shot
from tests.unit import factories
from tests.unit.collab_factories import POST, advance, campaign, send, today

FIGURES = {"views": 500, "likes": 20, "comments": 2, "shares": 1, "saves": 1, "clicks": 3, "conversions": 0,
           "revenue_cents": 0}


def _sponsor_with_a_report(db_url: str) -> tuple[str, int, str]:
    with Session(get_engine(db_url)) as s:
        sponsor = factories.sponsor(s, approved=True, company_name="Garbage Free Foods")
        c = campaign(s, sponsor, name="Report Week", start_date=(today() - timedelta(days=60)).isoformat())
        month = reports.last_month(datetime.now(UTC), reports.get_settings())
        r = send(s, sponsor, c, factories.influencer(s), payment="120")
        r = s.get(AdRequest, r.id)
        r.created_at = datetime.fromisoformat(month + "-15T10:00:00+00:00")
        s.add(r)
        s.commit()
        assert reports.run_monthly_reports(s, month=month)["reports"] >= 1
        s.commit()
        return sponsor.email, sponsor.id, month


def test_no_such_report_and_the_admin_reads_a_sponsors_reports(new_page, db_url):
    email, sponsor_id, month = _sponsor_with_a_report(db_url)
    page = new_page()
    login(page, email, factories.PASSWORD, "/sponsor")
    for path in ("/sponsor/reports/garbage", "/sponsor/reports/1999-01"):
        goto(page, path)
        expect(page.locator("#no-such-report")).to_contain_text("No such report")
        expect(page.locator("#report-pdf")).to_have_count(0)
        expect(page.get_by_text("Download PDF")).to_have_count(0)
    shot(page, "report-no-such-report")
    goto(page, f"/sponsor/reports/{month}")
    expect(page.locator("#report-body")).to_contain_text("Garbage Free Foods")
    expect(page.locator("#report-pdf")).to_have_text("Download PDF")
    expect(page.locator("#no-such-report")).to_have_count(0)

    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, f"/admin/users/{sponsor_id}")
    admin.click("#sponsor-reports-link")
    expect(admin).to_have_url(re.compile(rf"/admin/users/{sponsor_id}/reports$"))
    expect(admin.get_by_role("heading", name="Monthly reports")).to_be_visible()
    admin.locator(f"a[href$='/reports/{month}']").click()
    expect(admin.locator("#report-body")).to_contain_text("Garbage Free Foods")
    with admin.expect_download() as info:
        admin.click("#report-pdf")
    assert info.value.suggested_filename == f"brandifiers-report-{month}.pdf"
    shot(admin, "admin-sponsor-report")
    goto(admin, f"/admin/users/{sponsor_id}/reports/garbage")
    expect(admin.locator("#no-such-report")).to_contain_text("No such report")
    # the route checks the admin role: the sponsor is sent home
    goto(page, f"/admin/users/{sponsor_id}/reports/{month}")
    expect(page).to_have_url(re.compile(r"/sponsor$"))


def _live_campaign(db_url: str) -> tuple[str, int, str]:
    """Live since 30 days ago; deals accepted on days -20 and -15; figures on days -10, -9 and -8."""
    with Session(get_engine(db_url)) as s:
        sponsor = factories.sponsor(s, approved=True, company_name="Date Movers")
        start = today() - timedelta(days=30)
        c = campaign(s, sponsor, name="Moving Dates", start_date=start.isoformat(),
                     end_date=(start + timedelta(days=60)).isoformat())
        deals = []
        for accepted_day in (-20, -15):
            infl = factories.influencer(s)
            r = send(s, sponsor, c, infl, payment="150")
            advance(s, r, "in_progress", SimpleNamespace(sponsor=sponsor, influencer=infl))
            r = s.get(AdRequest, r.id)
            r.accepted_at = datetime.combine(today() + timedelta(days=accepted_day), time(12), tzinfo=UTC)
            s.add(r)
            s.commit()
            deals.append((r.id, infl))
        request_id, infl = deals[0]
        adrequests.submit_deliverables(s, infl.id, request_id, [POST])
        s.commit()
        deliverable = s.exec(select(Deliverable).where(Deliverable.ad_request_id == request_id)).one()
        for offset in (-10, -9, -8):
            upsert_snapshot(s, infl, deliverable.id, today() + timedelta(days=offset), "creator-reported", FIGURES,
                            now=datetime.now(UTC))
        s.commit()
        return sponsor.email, c.id, c.end_date.isoformat()


def test_moving_a_live_campaigns_dates_past_its_figures_warns(new_page, db_url):
    email, campaign_id, end = _live_campaign(db_url)
    new_start = (today() - timedelta(days=7)).isoformat()
    for viewport, name in ((None, "desktop"), (PHONE, "phone")):
        page = new_page(viewport) if viewport else new_page()
        login(page, email, factories.PASSWORD, "/sponsor")
        goto(page, f"/sponsor/campaigns/{campaign_id}/edit")
        page.fill("#start_date", new_start)
        page.click("#campaign-submit")
        expect(page.locator("#error-dates")).to_contain_text(
            "3 days of figures and 2 accepted deals fall outside the new dates.")
        expect(page).to_have_url(re.compile(rf"/sponsor/campaigns/{campaign_id}/edit$"))  # nothing saved yet
        box = page.get_by_role("checkbox", name="Save with these dates").bounding_box()
        assert box is not None and box["x"] + box["width"] <= page.viewport_size["width"]
        shot(page, f"campaign-dates-warning-{name}")
    page.get_by_role("checkbox", name="Save with these dates").click()
    page.click("#campaign-submit")
    expect(page).to_have_url(re.compile(rf"/sponsor/campaigns/{campaign_id}$"))
    expect(page.get_by_text(f"{new_start} – {end}")).to_be_visible()
