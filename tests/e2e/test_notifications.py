"""Notifications in the browser: a creator with more than the bell's 10 opens the full history, filters
unread and by kind, marks one read (the counts change), opens one and lands on the request; an admin
approves a sponsor and the admin home's figures are current on the next load, the approval e-mail
queued in the outbox."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect
from sqlmodel import Session, select

from brandifiers.db import get_engine
from brandifiers.models import AnalyticsSnapshot, UserStatus
from brandifiers.services.accounts import auth
from brandifiers.services.common.notify import notify
from brandifiers.services.deals import adrequests, campaigns
from brandifiers.services.stats import analytics
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, choose, goto, login, shot

PASSWORD = "notes-password"
EXTRA = 12  # besides the ad request's own notification: 13 in all, more than the bell shows


def _creator_with_many_notes(db_url: str) -> int:
    """A creator with one real ad request (its notification links to it) and EXTRA campaign notices."""
    with Session(get_engine(db_url)) as s:
        sponsor = auth.signup_sponsor(s, {"email": "notes-brand@example.com", "password": PASSWORD,
                                          "company_name": "Notes Brand", "industry": "Food"})
        sponsor.status = UserStatus.ACTIVE.value
        creator = auth.signup_influencer(s, {"email": "notes-creator@example.com", "password": PASSWORD,
                                             "display_name": "Nora Notes", "category": "Food",
                                             "platform": "instagram", "handle": "noranotes", "followers": "5000"})
        s.add(sponsor)
        s.commit()
        today = date.today()
        campaign = campaigns.create_campaign(s, sponsor.id, {
            "name": "Lentil Week", "category": "Food", "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=30)).isoformat(), "budget": "900", "visibility": "public",
            "status": "active"})
        s.commit()
        for i in range(EXTRA):
            notify(s, creator.id, "campaign.status", f"Campaign notice {i + 1}",
                   link=f"/influencer/campaigns/{campaign.id}")
        s.commit()
        request = adrequests.send_request(s, sponsor.id, campaign.id, creator.id, {"payment": "250"})
        s.commit()
        return request.id


def test_notifications_page_filters_marks_read_and_opens(new_page, db_url):
    request_id = _creator_with_many_notes(db_url)
    total = EXTRA + 1
    page = new_page()
    login(page, "notes-creator@example.com", PASSWORD, "/influencer")
    expect(page.locator("#bell-count")).to_have_text(str(total))
    page.click("#bell")
    expect(page.locator("#bell-see-all")).to_be_visible()
    bell = page.get_by_role("dialog")
    expect(bell.get_by_text(re.compile(r"^Campaign notice \d+$"))).to_have_count(9)  # the last 10 only
    page.click("#bell-see-all")
    expect(page).to_have_url(re.compile(r"/notifications$"))
    expect(page.locator("#notes-unread-count")).to_have_text(f"{total} unread")
    expect(page.locator("#notes-total")).to_have_text(f"{total} match the filters")
    expect(page.locator("[id^=note-]")).to_have_count(total)  # the whole history, not 10
    expect(page.locator("[id^=note-]").first).to_contain_text("New ad request for Lentil Week")

    page.get_by_text("Unread only").click()
    first_notice = page.locator("[id^=note-]").filter(has=page.get_by_text("Campaign notice 1", exact=True))
    first_notice.get_by_role("button", name="Mark read").click()
    expect(page.locator("#notes-unread-count")).to_have_text(f"{total - 1} unread")
    expect(page.locator("#bell-count")).to_have_text(str(total - 1))
    expect(page.locator("#notes-total")).to_have_text(f"{total - 1} match the filters")  # read: gone from unread
    expect(page.get_by_text("Campaign notice 1", exact=True)).to_have_count(0)
    shot(page, "notifications-unread")

    choose(page, "notes-kind", "Ad requests")
    expect(page.locator("#notes-total")).to_have_text("1 match the filters")
    note = page.locator("[id^=note-]")
    expect(note).to_contain_text("Ad requests")
    expect(note).to_contain_text("Offer: $250.00")
    note.get_by_role("button", name="Open").click()
    expect(page).to_have_url(re.compile(rf"/influencer/requests/{request_id}$"))
    expect(page.get_by_text("Lentil Week").first).to_be_visible()
    expect(page.locator("#bell-count")).to_have_text(str(total - 2))  # opening it read it

    phone = new_page(PHONE)
    login(phone, "notes-creator@example.com", PASSWORD, "/influencer")
    goto(phone, "/notifications")
    expect(phone.locator("#notes-unread-count")).to_have_text(f"{total - 2} unread")
    box = phone.locator("[id^=open-]").first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    shot(phone, "notifications-phone")


def test_admin_approval_shows_in_the_figures_and_queues_an_email(new_page, db_url):
    with Session(get_engine(db_url)) as s:
        waiting = auth.signup_sponsor(s, {"email": "approve-me@example.com", "password": PASSWORD,
                                          "company_name": "Approve Me Foods", "industry": "Food"})
        s.commit()
        waiting_id = waiting.id
    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    pending = int(admin.locator("#card-pending").inner_text().replace(",", ""))
    sponsors = int(admin.locator("#card-sponsors").inner_text().replace(",", ""))
    assert pending >= 1
    with Session(get_engine(db_url)) as s:  # as at L: a slow computation, which an aged snapshot defers
        row = s.get(AnalyticsSnapshot, analytics.KEY)
        row.seconds = 5.0
        s.add(row)
        s.commit()

    goto(admin, "/admin/approvals")
    admin.click(f"#approve-{waiting_id}")
    admin.click(f"#approve-{waiting_id}-confirm")  # the confirmation dialog
    expect(admin.locator(f"#approve-{waiting_id}")).to_have_count(0)

    goto(admin, "/admin")
    expect(admin.locator("#card-pending")).to_have_text(f"{pending - 1:,}")
    expect(admin.locator("#card-sponsors")).to_have_text(f"{sponsors + 1:,}")
    expect(admin.get_by_text("refreshing in the background")).to_have_count(0)
    shot(admin, "admin-home-after-approval")

    goto(admin, "/admin/outbox")
    row = admin.locator("tr", has_text="approve-me@example.com")
    expect(row).to_contain_text("Your sponsor account was approved")
    expect(row).to_contain_text("email")
    expect(row).to_contain_text("pending")
    with Session(get_engine(db_url)) as s:
        assert s.exec(select(AnalyticsSnapshot.audit_mark).where(AnalyticsSnapshot.key == analytics.KEY)).one() > 0
