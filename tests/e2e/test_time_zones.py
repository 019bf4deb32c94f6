"""Time zones in the browser: sign-up stores the browser's zone (a Tokyo browser: Asia/Tokyo), and a person
who changes the zone on the profile sees the request page's and notifications page's times move by
the offset (23:30 UTC -> 08:30 JST the next day); an unknown zone is refused next to the field."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from playwright.sync_api import expect
from sqlmodel import Session, select

from brandifiers.clock import UTC
from brandifiers.db import get_engine
from brandifiers.models import Notification, Offer, User, UserStatus
from brandifiers.services.accounts import auth
from brandifiers.services.deals import adrequests, campaigns
from tests.e2e.conftest import DESKTOP, PHONE, choose, goto, login, shot

PASSWORD = "zones-password"
AT = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)


def _zone_of(db_url: str, email: str) -> str | None:
    with Session(get_engine(db_url)) as s:
        return s.exec(select(User.time_zone).where(User.email == email)).first()


def _creator_with_an_offer(db_url: str) -> int:
    """A creator (UTC) with one ad request whose offer and notification were made at 23:30 UTC."""
    with Session(get_engine(db_url)) as s:
        sponsor = auth.signup_sponsor(s, {"email": "zones-brand@example.com", "password": PASSWORD,
                                          "company_name": "Zone Brand", "industry": "Food"})
        sponsor.status = UserStatus.ACTIVE.value
        creator = auth.signup_influencer(s, {"email": "zones-creator@example.com", "password": PASSWORD,
                                             "display_name": "Zia Zones", "category": "Food",
                                             "platform": "instagram", "handle": "ziazones", "followers": "5000"})
        s.add(sponsor)
        s.commit()
        today = date.today()
        campaign = campaigns.create_campaign(s, sponsor.id, {
            "name": "Midnight Oats", "category": "Food", "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=30)).isoformat(), "budget": "900", "visibility": "public",
            "status": "active"})
        s.commit()
        request = adrequests.send_request(s, sponsor.id, campaign.id, creator.id, {"payment": "250"}, now=AT)
        s.commit()
        assert s.exec(select(Offer.created_at).where(Offer.ad_request_id == request.id)).one() == AT
        for note in s.exec(select(Notification).where(Notification.user_id == creator.id)):
            note.created_at = AT
            s.add(note)
        s.commit()
        return request.id


def test_sign_up_stores_the_browsers_zone(browser, base_url, db_url):
    ctx = browser.new_context(viewport=PHONE, base_url=base_url, timezone_id="Asia/Tokyo")
    ctx.set_default_timeout(15_000)
    try:
        page = ctx.new_page()
        goto(page, "/signup/influencer")
        expect(page.locator("#signup-time-zone")).to_have_value("Asia/Tokyo")  # filled by the browser
        page.fill("#email", "tokyo-creator@example.com")
        page.fill("#password", PASSWORD)
        page.fill("#display_name", "Taro Tokyo")
        choose(page, "category", "Food")
        choose(page, "platform", "instagram")
        page.fill("#handle", "tarotokyo")
        page.fill("#followers", "1200")
        page.click("#signup-submit")
        expect(page).to_have_url(re.compile(r"/influencer$"))
        assert _zone_of(db_url, "tokyo-creator@example.com") == "Asia/Tokyo"
        goto(page, "/influencer/profile")
        expect(page.locator("#time_zone")).to_have_value("Asia/Tokyo")
        page.locator("#time_zone").scroll_into_view_if_needed()
        shot(page, "time-zone-profile-phone")
    finally:
        ctx.close()


def test_changing_the_zone_moves_the_times_shown(new_page, db_url):
    request_id = _creator_with_an_offer(db_url)
    page = new_page(DESKTOP)
    login(page, "zones-creator@example.com", PASSWORD, "/influencer")
    goto(page, f"/influencer/requests/{request_id}")
    expect(page.locator("#ledger")).to_contain_text("2026-03-01 23:30 UTC")
    goto(page, "/notifications")
    expect(page.locator("[id^=note-]").first).to_contain_text("2026-03-01 23:30 UTC")

    goto(page, "/influencer/profile")
    expect(page.locator("#time_zone")).to_have_value("UTC")
    # A zone the list does not have (a crafted form): refused next to the field, nothing stored.
    page.evaluate("""() => { const o = document.createElement('option');
        o.value = o.textContent = 'Mars/Olympus'; document.getElementById('time_zone').appendChild(o); }""")
    page.select_option("#time_zone", "Mars/Olympus")
    page.click("#time-zone-submit")
    expect(page.locator("#error-time_zone")).to_have_text(
        "Choose a time zone from the list (for example Europe/Paris).")
    shot(page, "time-zone-unknown")
    assert _zone_of(db_url, "zones-creator@example.com") == "UTC"

    page.select_option("#time_zone", "Asia/Tokyo")
    page.click("#time-zone-submit")
    expect(page.get_by_text("Times are now shown in Asia/Tokyo.")).to_be_visible()
    expect(page.locator("#error-time_zone")).to_have_count(0)
    assert _zone_of(db_url, "zones-creator@example.com") == "Asia/Tokyo"

    goto(page, f"/influencer/requests/{request_id}")
    expect(page.locator("#ledger")).to_contain_text("2026-03-02 08:30 JST")
    expect(page.locator("#ledger")).not_to_contain_text("UTC")
    shot(page, "time-zone-request-tokyo")
    goto(page, "/notifications")
    expect(page.locator("[id^=note-]").first).to_contain_text("2026-03-02 08:30 JST")
    shot(page, "time-zone-notifications-tokyo")
