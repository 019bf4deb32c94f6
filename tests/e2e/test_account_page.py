"""The account page in a real browser: two browsers of one person, sessions listed and signed out,
the password changed (a wrong current one refused next to its field, the other browser signed out)."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import Session

from brandifiers.db import get_engine
from tests.e2e.conftest import PHONE, goto, login, shot
from tests.unit import factories

PASSWORD = factories.PASSWORD


def test_two_browsers_see_and_sign_out_each_other_and_a_password_change_ends_the_other(new_page, db_url):
    with Session(get_engine(db_url)) as s:
        email = factories.influencer(s, email="two.browsers@example.com", display_name="Twin Tabs").email
    desk, phone = new_page(), new_page(PHONE)
    login(desk, email, PASSWORD, "/influencer")
    login(phone, email, PASSWORD, "/influencer")

    desk.click("#nav-account")
    expect(desk).to_have_url(re.compile(r"/account$"))
    expect(desk.locator("#sessions-count")).to_contain_text("2 open session")
    rows = desk.locator(".session-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("This device")  # this browser's own comes first
    expect(rows.first).to_contain_text("Chrome on Linux")
    expect(rows.first).to_contain_text(re.compile(r"Signed in \d{4}-\d\d-\d\d \d\d:\d\d UTC · last seen"))
    expect(rows.nth(1)).not_to_contain_text("This device")
    expect(rows.first.get_by_role("button", name="Sign out")).to_have_count(0)  # this one uses Log out
    shot(desk, "account-desktop")

    rows.nth(1).get_by_role("button", name="Sign out").click()
    expect(desk.locator("#sessions-count")).to_contain_text("1 open session")
    expect(rows).to_have_count(1)
    goto(phone, "/influencer/requests")  # the signed-out browser's next navigation
    expect(phone).to_have_url(re.compile(r"/login"))

    login(phone, email, PASSWORD, "/influencer")
    phone.get_by_role("link", name="Account").click()  # an icon in the phone's one-row bar
    expect(phone.locator(".session-row")).to_have_count(2)
    expect(phone.locator("#sessions-count")).to_contain_text("2 open sessions.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "account-phone")

    desk.reload()
    expect(desk.locator(".session-row")).to_have_count(2)
    desk.fill("#current_password", "not-the-password")
    desk.fill("#new_password", "fresh-password-2026")
    desk.fill("#confirm_password", "fresh-password-2026")
    desk.click("#change-password")
    expect(desk.locator("#error-current_password")).to_have_text("This is not your current password.")
    shot(desk, "account-wrong-current")
    goto(phone, "/influencer/requests")  # nothing changed: the other browser still works
    expect(phone.get_by_role("heading", name="Requests and offers")).to_be_visible()

    desk.fill("#current_password", PASSWORD)
    desk.click("#change-password")
    expect(desk.get_by_text("Your password was changed. 1 other session was signed out.")).to_be_visible()
    expect(desk.locator("#error-current_password")).to_have_count(0)
    expect(desk.locator("#current_password")).to_have_value("")
    expect(desk.locator(".session-row")).to_have_count(1)
    goto(phone, "/influencer")
    expect(phone).to_have_url(re.compile(r"/login"))
    goto(desk, "/account")  # this browser stays signed in
    expect(desk.locator(".session-row")).to_have_count(1)
    login(phone, email, "fresh-password-2026", "/influencer")

    # The notification settings are one click away: the profile page's card, with the daily reminder's box.
    desk.click("#notify-settings-link")
    expect(desk).to_have_url(re.compile(r"/influencer/profile#notifications$"))
    expect(desk.locator("#notifications").get_by_role("heading", name="Notifications")).to_be_visible()
    expect(desk.locator("#reminder_email")).to_be_checked()
    expect(desk.locator("#notifications")).to_be_in_viewport()
    shot(desk, "account-to-notifications")
