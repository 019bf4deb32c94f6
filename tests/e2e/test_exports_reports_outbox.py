"""Background jobs in the browser: a sponsor starts an export, watches its progress, downloads
the CSV (read back with pandas); the monthly report page; the admin's outbox with a held
e-mail and its preview; notification settings."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from playwright.sync_api import expect
from sqlmodel import Session

from brandifiers.db import get_engine
from brandifiers.models import UserStatus
from brandifiers.services.accounts import auth
from brandifiers.services.deals import campaigns
from brandifiers.services.messaging import outbox, reports
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, goto, login, shot

PASSWORD = "jobs-password"
CAMPAIGNS = 150


def make_sponsor(db_url: str) -> None:
    with Session(get_engine(db_url)) as s:
        sponsor = auth.signup_sponsor(s, {"email": "exporter@example.com", "password": PASSWORD,
                                          "company_name": "Export Foods", "industry": "Food"})
        sponsor.status = UserStatus.ACTIVE.value
        s.add(sponsor)
        s.commit()
        today = date.today()
        for i in range(CAMPAIGNS):
            name = "=cmd|' /C calc'!A0" if i == 0 else f"Campaign {i:03d}"
            campaigns.create_campaign(s, sponsor.id, {
                "name": name, "category": "Food", "start_date": today.isoformat(),
                "end_date": (today + timedelta(days=30)).isoformat(), "budget": f"{1000 + i}",
                "visibility": "public", "status": "active"})
        s.commit()


def test_sponsor_exports_with_progress_and_downloads_the_csv(new_page, db_url, monkeypatch, tmp_path):
    make_sponsor(db_url)
    page = new_page()
    login(page, "exporter@example.com", PASSWORD, "/sponsor")
    goto(page, "/sponsor/exports")
    page.click("#export-submit")
    expect(page.locator("#export-progress")).to_be_visible()
    # a number, so the bar is drawn at its share (a text value would leave it indeterminate)
    expect(page.locator("#export-progress")).to_have_attribute("aria-valuenow", re.compile(r"^\d+$"))
    shot(page, "sponsor-export-progress")
    download_button = page.locator("[id^=download-]").first
    expect(download_button).to_be_visible(timeout=60_000)
    expect(page.locator("#bell-count")).to_have_text("1", timeout=10_000)  # "export ready"
    with page.expect_download() as info:
        download_button.click()
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    assert re.match(r"brandifiers-campaigns-\d{8}-\d{6}\.csv$", info.value.suggested_filename)
    df = pd.read_csv(path, dtype=str)
    assert len(df) == CAMPAIGNS and df["name"].iloc[0] == "'=cmd|' /C calc'!A0"
    assert df["budget"].iloc[1] == "1001.00" and set(df["status"]) == {"active"}
    shot(page, "sponsor-export-done")


def test_report_page_and_outbox_preview(new_page, db_url):
    with Session(get_engine(db_url)) as s:
        sponsor = auth.signup_sponsor(s, {"email": "reported@example.com", "password": PASSWORD,
                                          "company_name": "Report Co", "industry": "Food"})
        sponsor.status = UserStatus.ACTIVE.value
        s.add(sponsor)
        s.commit()
        today = date.today()
        campaigns.create_campaign(s, sponsor.id, {
            "name": "Autumn Soups", "category": "Food", "start_date": (today - timedelta(days=40)).isoformat(),
            "end_date": (today + timedelta(days=30)).isoformat(), "budget": "800", "visibility": "public",
            "status": "active"})
        s.commit()
        now = datetime.now(UTC)
        month = reports.last_month(now, reports.get_settings())
        # The campaign's request was sent last month: the sponsor had activity.
        from sqlmodel import select

        from brandifiers.models import Campaign
        from brandifiers.services.deals import adrequests
        infl = auth.signup_influencer(s, {"email": "soup-creator@example.com", "password": PASSWORD,
                                          "display_name": "Soup Sam", "category": "Food", "platform": "instagram",
                                          "handle": "soupsam", "followers": "900"})
        s.commit()
        c = s.exec(select(Campaign).where(Campaign.name == "Autumn Soups")).one()
        r = adrequests.send_request(s, sponsor.id, c.id, infl.id, {"payment": "200"})
        r.created_at = datetime.fromisoformat(month + "-15T10:00:00+00:00")
        s.add(r)
        s.commit()
        assert reports.run_monthly_reports(s, now=now, month=month)["reports"] >= 1
        s.commit()
        outbox.deliver_due(get_engine(db_url), now=now)  # no mail server in the tests: the e-mail is held

    page = new_page()
    login(page, "reported@example.com", PASSWORD, "/sponsor")
    goto(page, "/sponsor/reports")
    page.locator("a[href^='/sponsor/reports/']").first.click()
    expect(page.locator("#report-body")).to_contain_text("Report Co")
    expect(page.locator("#report-body")).to_contain_text("Ad requests sent")
    with page.expect_download() as info:
        page.click("#report-pdf")
    assert info.value.suggested_filename == f"brandifiers-report-{month}.pdf"
    shot(page, "sponsor-report")

    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/outbox")
    row = admin.locator("tr", has_text="reported@example.com")
    expect(row).to_contain_text("not sent: no mail server")
    row.get_by_role("button", name="Preview").click()
    expect(admin.get_by_role("dialog")).to_contain_text("Autumn Soups")
    admin.wait_for_timeout(400)  # the dialog's fade-in
    shot(admin, "admin-outbox-preview")
    admin.keyboard.press("Escape")
    row.get_by_role("button", name="Resend").click()
    expect(row).to_contain_text("pending")
    admin.fill("#from_day", month + "-01")  # resend all failed of a period: none failed here
    admin.fill("#to_day", month + "-02")
    admin.click("#resend-failed")
    expect(admin.locator("#error-from_day")).to_contain_text("No failed messages")

    goto(page, "/sponsor/profile")
    page.fill("#chat_webhook_url", "not a url")
    page.click("#prefs-submit")
    expect(page.locator("#error-chat_webhook_url")).to_contain_text("http")
    page.fill("#chat_webhook_url", "http://169.254.169.254/latest/meta-data/")  # server-side request forgery
    page.click("#prefs-submit")
    expect(page.locator("#error-chat_webhook_url")).to_contain_text("https://chat.googleapis.com")
    page.fill("#chat_webhook_url", "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k")
    page.click("#email_opt_out")
    page.click("#prefs-submit")
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#chat_webhook_url")).to_have_value("https://chat.googleapis.com/v1/spaces/AAA/messages?key=k")
    expect(page.locator("#email_opt_out")).to_have_attribute("data-state", "checked")
    phone = new_page(PHONE)
    login(phone, "reported@example.com", PASSWORD, "/sponsor")
    goto(phone, "/sponsor/exports")
    shot(phone, "sponsor-exports-phone")
