"""The admin console in a real browser: flagging a campaign hides it from influencers and
unflagging brings it back; acting for a sponsor; the campaign approval hold; the analytics home
with its charts."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect
from sqlmodel import Session

from brandifiers.db import get_engine
from brandifiers.models import UserStatus
from brandifiers.services.accounts import auth
from brandifiers.services.deals import campaigns
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, goto, login, shot

PASSWORD = "console-password"


def make_people(db_url: str, tag: str, campaign_name: str | None = None) -> None:
    """An active sponsor (with an active public campaign when named) and an influencer."""
    with Session(get_engine(db_url)) as s:
        sponsor = auth.signup_sponsor(s, {"email": f"{tag}-brand@example.com", "password": PASSWORD,
                                          "company_name": f"{tag.title()} Brands", "industry": "Food"})
        sponsor.status = UserStatus.ACTIVE.value
        s.add(sponsor)
        auth.signup_influencer(s, {"email": f"{tag}-creator@example.com", "password": PASSWORD,
                                   "display_name": f"{tag.title()} Creator", "category": "Food",
                                   "platform": "instagram", "handle": f"{tag}creator", "followers": "9000"})
        s.commit()
        if campaign_name:
            today = date.today()
            campaigns.create_campaign(s, sponsor.id, {
                "name": campaign_name, "description": "Tell people about it", "category": "Food",
                "start_date": today.isoformat(), "end_date": (today + timedelta(days=30)).isoformat(),
                "budget": "2000", "visibility": "public", "status": "active"})
            s.commit()


def find_campaign(page, text: str) -> None:
    goto(page, "/influencer/campaigns")
    page.fill("#text", text)
    page.click("#search-submit")
    page.wait_for_load_state("networkidle")


def give_reason(admin, reason: str) -> None:
    admin.click("#reason-submit")  # empty first: refused next to the field
    expect(admin.locator("#error-reason")).to_contain_text("reason")
    admin.fill("#reason", reason)
    admin.click("#reason-submit")


def test_flagged_campaign_disappears_for_influencers_and_comes_back(new_page, db_url):
    make_people(db_url, "flagtest", "Granola Crunch Month")
    creator = new_page()
    login(creator, "flagtest-creator@example.com", PASSWORD, "/influencer")
    find_campaign(creator, "Granola")
    expect(creator.get_by_text("Granola Crunch Month")).to_be_visible()

    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/campaigns")
    admin.fill("#text", "Granola")
    admin.click("#campaign-search")
    row = admin.locator("tr", has_text="Granola Crunch Month")
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Flag").click()
    give_reason(admin, "Undeclared allergens in the brief")
    expect(row.get_by_text("flagged", exact=True)).to_be_visible()
    shot(admin, "admin-campaigns-flagged")

    find_campaign(creator, "Granola")
    expect(creator.get_by_text("Granola Crunch Month")).to_have_count(0)
    shot(creator, "influencer-flagged-campaign-gone")

    row.get_by_role("button", name="Lift flag").click()
    admin.fill("#reason", "Brief corrected")
    admin.click("#reason-submit")
    expect(row.get_by_text("flagged", exact=True)).to_have_count(0)
    find_campaign(creator, "Granola")
    expect(creator.get_by_text("Granola Crunch Month")).to_be_visible()


def test_admin_creates_a_campaign_for_a_sponsor_and_assigns_an_influencer(new_page, db_url):
    make_people(db_url, "behalf")
    today = date.today()
    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/campaigns/new")
    admin.fill("#sponsor_email", "nobody@example.com")
    admin.fill("#name", "Harvest Picnic")
    admin.locator("#category").click()
    admin.get_by_role("option", name="Food", exact=True).click()
    admin.fill("#start_date", today.isoformat())
    admin.fill("#end_date", (today + timedelta(days=20)).isoformat())
    admin.fill("#budget", "3000")
    admin.locator("#visibility").click()
    admin.get_by_role("option", name="public", exact=True).click()
    admin.click("#campaign-submit")
    expect(admin.locator("#error-sponsor_email")).to_contain_text("active sponsor")
    expect(admin.locator("#name")).to_have_value("Harvest Picnic")  # nothing typed is lost
    admin.fill("#sponsor_email", "behalf-brand@example.com")
    admin.click("#campaign-submit")
    expect(admin).to_have_url(re.compile(r"/admin/campaigns/\d+$"))
    expect(admin.locator("#campaign-heading")).to_have_text("Harvest Picnic")
    admin.click("#status-active")
    admin.fill("#influencer_email", "behalf-creator@example.com")
    admin.fill("#payment", "400")
    admin.click("#assign-submit")
    expect(admin.locator("tr", has_text="Behalf Creator")).to_contain_text("admin for sponsor")
    shot(admin, "admin-campaign-for-sponsor")

    creator = new_page()
    login(creator, "behalf-creator@example.com", PASSWORD, "/influencer")
    goto(creator, "/influencer/requests")
    creator.get_by_role("link", name="Harvest Picnic").first.click()
    expect(creator.get_by_text("sent by admin for Behalf Brands")).to_be_visible()
    shot(creator, "influencer-request-sent-by-admin")


def test_held_campaign_waits_for_approval(new_page, db_url):
    make_people(db_url, "held")
    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/approvals")
    admin.click("#setting-campaigns-hold_public_for_approval")
    expect(admin.locator("#setting-campaigns-hold_public_for_approval")).to_have_attribute("data-state", "checked")
    with Session(get_engine(db_url)) as s:
        from sqlmodel import select

        from brandifiers.models import User
        sponsor = s.exec(select(User).where(User.email == "held-brand@example.com")).one()
        today = date.today()
        campaigns.create_campaign(s, sponsor.id, {
            "name": "Midnight Snack Club", "category": "Food", "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=9)).isoformat(), "budget": "900", "visibility": "public",
            "status": "active"})
        s.commit()
    creator = new_page()
    login(creator, "held-creator@example.com", PASSWORD, "/influencer")
    find_campaign(creator, "Midnight")
    expect(creator.get_by_text("Midnight Snack Club")).to_have_count(0)
    goto(admin, "/admin/approvals")
    row = admin.locator("tr", has_text="Midnight Snack Club")
    shot(admin, "admin-approvals-held")
    row.get_by_role("button", name="Approve").click()
    expect(row).to_have_count(0)
    admin.click("#setting-campaigns-hold_public_for_approval")  # back to the default for other tests
    expect(admin.locator("#setting-campaigns-hold_public_for_approval")).to_have_attribute("data-state", "unchecked")
    find_campaign(creator, "Midnight")
    expect(creator.get_by_text("Midnight Snack Club")).to_be_visible()


def test_admin_home_renders_its_charts(new_page, db_url):
    make_people(db_url, "charts", "Chart Topper")
    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    admin.click("#refresh-analytics")
    expect(admin.locator("#computed-at")).to_contain_text("UTC")
    for chart in ("funnel", "statuses", "campaigns", "flags", "signups", "money"):
        expect(admin.locator(f"#chart-{chart} .recharts-wrapper")).to_be_visible()
    # Spend by category: a chart once a request was accepted, else a sentence instead of empty axes.
    categories = admin.locator("#chart-categories .recharts-wrapper").or_(admin.locator("#chart-categories-empty"))
    expect(categories).to_be_visible()
    expect(admin.locator("#chart-campaigns .recharts-bar-rectangle").first).to_be_visible()
    assert int(admin.locator("#card-sponsors").inner_text().replace(",", "")) >= 1
    shot(admin, "admin-home-charts")
    phone = new_page(PHONE)
    login(phone, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    expect(phone.locator("#chart-money .recharts-wrapper")).to_be_visible()
    shot(phone, "admin-home-charts-phone")
