"""Notifications by kind and channel in the browser: an influencer sets counter-offers to e-mail at once and
turns payment e-mails off; one event of each kind -> the admin's outbox shows exactly one e-mail for the
first and none for the second; the unsubscribe link turns a kind off and the preferences page shows it;
the table becomes one card per kind on a phone."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlmodel import Session

from brandifiers.db import get_engine
from brandifiers.models import User
from brandifiers.services.accounts import auth
from brandifiers.services.common import channels, notify
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, goto, login, shot

EMAIL, PASSWORD = "prefs-e2e@example.com", "prefs-e2e-password"


def make_influencer(db_url: str) -> int:
    with Session(get_engine(db_url)) as s:
        user = auth.signup_influencer(s, {"email": EMAIL, "password": PASSWORD, "display_name": "Pref Tester",
                                          "category": "Food", "niche": "baking", "platform": "instagram",
                                          "handle": "preftester", "followers": "5000"})
        s.commit()
        return user.id


def every_kind_happens(db_url: str, user_id: int) -> None:
    with Session(get_engine(db_url)) as s:
        user = s.get(User, user_id)
        for kind in channels.kinds_for(user.role):
            notify.notify(s, user_id, kind.notes[0], f"E2E {kind.label}", "Something happened",
                          "/influencer/requests")
        s.commit()


def outbox_rows(admin, kind: str):
    return admin.locator("[id^=outbox-]").filter(has_text=f"email: {EMAIL}").filter(has_text=kind)


def test_kinds_by_channel_outbox_and_unsubscribe(new_page, db_url):
    user_id = make_influencer(db_url)
    page = new_page()
    login(page, EMAIL, PASSWORD, "/influencer")
    goto(page, "/influencer/profile")
    expect(page.locator("#kind-counter")).to_contain_text("Counter-offer")
    expect(page.locator("#kind-payment")).to_contain_text("Payment recorded")
    expect(page.locator("#kind-account")).to_have_count(0)  # a sponsor's kind: not offered to an influencer
    expect(page.locator("#mode__counter")).to_have_value("digest")  # the defaults
    expect(page.locator("#mode__payment")).to_have_value("immediate")
    expect(page.locator("#email__payment")).to_have_attribute("data-state", "checked")
    page.select_option("#mode__counter", "immediate")
    page.click("#email__payment")
    page.click("#chat__payment")  # chat without a webhook URL: refused, nothing saved
    page.click("#prefs-submit")
    expect(page.locator("#error-chat_webhook_url")).to_contain_text("webhook URL")
    page.click("#chat__payment")
    page.click("#prefs-submit")
    expect(page.locator("#error-chat_webhook_url")).to_have_count(0)
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#mode__counter")).to_have_value("immediate")
    expect(page.locator("#email__payment")).to_have_attribute("data-state", "unchecked")
    expect(page.locator("#email__counter")).to_have_attribute("data-state", "checked")
    shot(page, "notification-prefs-desktop")

    every_kind_happens(db_url, user_id)
    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/outbox")
    expect(outbox_rows(admin, "request.counter")).to_have_count(1)
    expect(outbox_rows(admin, "request.counter")).to_contain_text("E2E Counter-offer")
    expect(outbox_rows(admin, "request.payment")).to_have_count(0)
    expect(outbox_rows(admin, "request.new")).to_have_count(0)  # in tomorrow's digest, not now

    with Session(get_engine(db_url)) as s:
        token = channels.unsubscribe_token(s, user_id, "approval")
        s.commit()
    visitor = new_page()  # the link works without logging in
    goto(visitor, f"/unsubscribe?t={token}")
    expect(visitor.locator("#unsubscribe-outcome")).to_have_text(
        "E-mail for “Approval (delivery or campaign)” is now off.")
    goto(visitor, f"/unsubscribe?t={token[:-3]}xyz")
    expect(visitor.locator("#unsubscribe-outcome")).to_contain_text("not valid")
    goto(page, "/influencer/profile")
    expect(page.locator("#email__approval")).to_have_attribute("data-state", "unchecked")
    expect(page.locator("#email__counter")).to_have_attribute("data-state", "checked")

    phone = new_page(PHONE)
    login(phone, EMAIL, PASSWORD, "/influencer")
    goto(phone, "/influencer/profile")
    card = phone.locator("#kind-payment")
    expect(card).to_contain_text("E-mail")  # the channel's name beside its box on a phone
    box = card.bounding_box()
    select = phone.locator("#mode__payment").bounding_box()
    assert box["width"] <= PHONE["width"] and select["x"] + select["width"] <= box["x"] + box["width"] + 1
    phone.locator("#notify-kinds").scroll_into_view_if_needed()
    shot(phone, "notification-prefs-phone")
