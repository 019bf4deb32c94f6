"""E-mailed links in a real browser, the mail going through a real SMTP server on 127.0.0.1 (aiosmtpd):
forgot password to a new log-in, and a sign-up's verification link."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from brandifiers.db import get_engine
from brandifiers.services.accounts import auth
from brandifiers.services.messaging import account_links, outbox
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, goto, login, shot
from tests.e2e.test_accounts import sign_up_influencer
from tests.unit.mail_servers import SmtpServer

PASSWORD = "creator-password"
NEW = "my-new-password-42"


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def mail_to(smtp: SmtpServer, db_url: str, email: str):
    """Deliver the outbox (the scheduler is off in e2e) to the SMTP server; the last mail it got for `email`."""
    outbox.deliver_due(get_engine(db_url), settings=smtp.settings())
    got = [m for m in smtp.messages if m["To"] == email]
    assert got, f"no mail reached {email}"
    return got[-1]


def link_path(mail) -> str:
    """The link of the mail, as a path on the test server (the mail names the configured public URL)."""
    url = re.search(r"https?://\S+\?token=[\w-]+", mail.get_body(("plain",)).get_content()).group(0)
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_forgot_password_by_mail_to_a_new_log_in(new_page, db_url, smtp):
    with Session(get_engine(db_url)) as s:
        auth.signup_influencer(s, {"email": "forgetful@example.com", "password": PASSWORD, "display_name": "Fern",
                                   "category": "Food", "platform": "instagram", "handle": "fern",
                                   "followers": "3000"})
        s.commit()
    other = new_page()  # another device, signed in before the reset
    login(other, "forgetful@example.com", PASSWORD, "/influencer")

    page = new_page(PHONE)
    goto(page, "/login")
    page.click("#forgot-link")
    expect(page).to_have_url(re.compile(r"/forgot-password$"))
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    page.fill("#email", "nobody-here@example.com")
    page.click("#forgot-submit")
    expect(page.locator("#forgot-sent")).to_have_text(account_links.RESET_SENT)  # no account: the same answer
    page.fill("#email", "Forgetful@example.com")
    page.click("#forgot-submit")
    expect(page.locator("#forgot-sent")).to_have_text(account_links.RESET_SENT)
    shot(page, "forgot-password-sent-phone")

    mail = mail_to(smtp, db_url, "forgetful@example.com")
    assert mail["Subject"] == "Set a new Brandifiers password"
    assert not [m for m in smtp.messages if m["To"] == "nobody-here@example.com"]
    path = link_path(mail)
    assert path.startswith("/new-password?token=")

    goto(page, path)
    expect(page.get_by_text("Every device signed in to your account is signed out.")).to_be_visible()
    page.fill("#password", NEW)
    page.fill("#confirm", "not-the-same-password")
    page.click("#new-password-submit")
    expect(page.locator("#error-confirm")).to_have_text("The two passwords differ.")
    page.fill("#confirm", NEW)
    shot(page, "new-password-phone")
    page.click("#new-password-submit")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Your password was changed. Log in with the new one.")).to_be_visible()
    login(page, "forgetful@example.com", NEW, "/influencer")
    expect(page.locator("#dashboard-heading")).to_have_text("Fern")

    goto(other, "/influencer")  # the other device was signed out
    expect(other).to_have_url(re.compile(r"/login"))
    goto(other, path)  # the link worked once
    expect(other.locator("#link-invalid")).to_have_text(account_links.BAD_LINK)
    shot(other, "new-password-used-link")
    login(other, "forgetful@example.com", NEW, "/influencer")


def test_sign_up_verifies_the_address_from_the_mailed_link(new_page, db_url, smtp):
    page = new_page()
    sign_up_influencer(page, "fresh@example.com", "Fresh Fiona")
    expect(page).to_have_url(re.compile(r"/influencer$"))
    expect(page.locator("#verify-notice")).to_have_text(
        "Verify your e-mail address: open the link we sent to fresh@example.com. Until then sponsors cannot "
        "find you in their search.")
    shot(page, "verify-banner")

    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/users")
    expect(admin.locator("tr", has_text="fresh@example.com")).to_contain_text("unverified")
    shot(admin, "admin-users-unverified")

    page.click("#verify-resend")  # a second link; the first is void
    expect(page.get_by_text("We sent a new link to fresh@example.com.")).to_be_visible()
    mail = mail_to(smtp, db_url, "fresh@example.com")
    assert mail["Subject"] == "Verify your e-mail address for Brandifiers"
    assert len([m for m in smtp.messages if m["To"] == "fresh@example.com"]) == 2
    goto(page, link_path(mail))
    expect(page.locator("#link-done")).to_have_text("Thank you: fresh@example.com is verified.")
    shot(page, "verify-done")
    page.click("#link-continue")
    expect(page).to_have_url(re.compile(r"/influencer$"))
    expect(page.locator("#dashboard-heading")).to_have_text("Fresh Fiona")
    expect(page.locator("#verify-banner")).to_have_count(0)

    goto(admin, "/admin/users")
    expect(admin.locator("tr", has_text="fresh@example.com")).not_to_contain_text("unverified")


def test_changing_the_e_mail_waits_for_the_new_address(new_page, db_url, smtp):
    with Session(get_engine(db_url)) as s:
        auth.signup_influencer(s, {"email": "mover@example.com", "password": PASSWORD, "display_name": "Mo",
                                   "category": "Travel", "platform": "youtube", "handle": "mo",
                                   "followers": "1000"})
        s.commit()
    page = new_page()
    login(page, "mover@example.com", PASSWORD, "/influencer")
    goto(page, "/influencer/profile")
    expect(page.locator("#current-email")).to_have_text("mover@example.com")
    page.fill("#new_email", "moved@example.com")
    page.click("#email-submit")
    expect(page.locator("#email-sent")).to_have_text(
        "We sent a link to moved@example.com. Your address changes when you open it.")
    expect(page.locator("#pending-email")).to_contain_text("moved@example.com")
    expect(page.locator("#current-email")).to_have_text("mover@example.com")
    shot(page, "email-change-pending")
    path = link_path(mail_to(smtp, db_url, "moved@example.com"))
    goto(page, path)
    expect(page.locator("#link-done")).to_have_text("Your e-mail address is now moved@example.com.")
    told = mail_to(smtp, db_url, "mover@example.com")
    assert told["Subject"] == "Your Brandifiers e-mail address was changed"
    goto(page, "/influencer/profile")
    expect(page.locator("#current-email")).to_have_text("moved@example.com")
    expect(page.locator("#pending-email")).to_have_count(0)
