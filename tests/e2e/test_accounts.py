"""The foundation's user-facing flows in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import Session, func, select

from brandifiers.db import get_engine
from brandifiers.models import User
from brandifiers.models.jobs import OutboxMessage
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, choose, goto, login, logout, shot


def users_with(db_url: str, email: str) -> int:
    with Session(get_engine(db_url)) as s:
        return s.exec(select(func.count()).select_from(User).where(User.email == email)).one()


def sign_up_influencer(page, email: str, name: str) -> None:
    goto(page, "/signup/influencer")
    page.fill("#email", email)
    page.fill("#password", "creator-password")
    page.fill("#display_name", name)
    choose(page, "category", "Fitness")
    page.fill("#niche", "trail running")
    choose(page, "platform", "youtube")
    page.fill("#handle", "@" + name.lower().replace(" ", ""))
    page.fill("#followers", "48,200")
    page.click("#signup-submit")


def sign_up_sponsor(page, email: str, company: str) -> None:
    goto(page, "/signup/sponsor")
    page.fill("#email", email)
    page.fill("#password", "sponsor-password")
    page.fill("#company_name", company)
    page.fill("#industry", "Outdoor gear")
    page.fill("#website", "https://example.com")
    page.fill("#yearly_budget", "120000")
    page.click("#signup-submit")


def open_verification_link(page, db_url: str, email: str) -> None:
    """Open the newest verification link queued for `email` (the mail itself: tests/e2e/test_email_links.py)."""
    with Session(get_engine(db_url)) as s:
        body = s.exec(select(OutboxMessage.text_body).where(OutboxMessage.recipient == email,
                                                            OutboxMessage.kind == "account.verify")
                      .order_by(OutboxMessage.id.desc())).first()
    goto(page, "/verify-email?token=" + re.search(r"\?token=([\w-]+)", body).group(1))
    expect(page.locator("#link-done")).to_have_text(f"Thank you: {email} is verified.")


def test_landing_page_links_to_both_sign_ups(new_page):
    page = new_page()
    goto(page, "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sponsorships")
    page.click("#cta-sponsor")
    expect(page).to_have_url(re.compile(r"/signup/sponsor$"))
    shot(page, "signup-sponsor")


def test_influencer_signs_up_and_reaches_dashboard(new_page, db_url):
    page = new_page()
    sign_up_influencer(page, "runner@example.com", "Trail Tess")
    expect(page).to_have_url(re.compile(r"/influencer$"))
    expect(page.locator("#dashboard-heading")).to_have_text("Trail Tess")
    expect(page.get_by_text("48,200").first).to_be_visible()
    shot(page, "influencer-dashboard")
    assert users_with(db_url, "runner@example.com") == 1
    phone = new_page(PHONE)
    login(phone, "runner@example.com", "creator-password", "/influencer")
    expect(phone.locator("#dashboard-heading")).to_have_text("Trail Tess")
    shot(phone, "influencer-dashboard-phone")


def test_bad_sign_up_input_is_explained_next_to_fields_and_creates_nothing(new_page, db_url):
    page = new_page()
    goto(page, "/signup/influencer")
    page.fill("#email", "not-an-email")
    page.fill("#password", "short")
    page.fill("#display_name", "x" * 81)
    page.fill("#followers", "-3")
    page.click("#signup-submit")
    expect(page.locator("#error-email")).to_contain_text("valid e-mail")
    expect(page.locator("#error-password")).to_contain_text("at least 8")
    expect(page.locator("#error-display_name")).to_contain_text("at most 80")
    expect(page.locator("#error-followers")).to_contain_text("negative")
    expect(page.locator("#error-category")).to_be_visible()
    expect(page.locator("#display_name")).to_have_value("x" * 81)  # nothing typed is lost
    shot(page, "signup-errors")
    assert users_with(db_url, "not-an-email") == 0


def test_sponsor_waits_for_approval_then_reaches_dashboard(new_page, db_url):
    sponsor = new_page()
    sign_up_sponsor(sponsor, "brand@example.com", "Summit Gear")
    expect(sponsor).to_have_url(re.compile(r"/awaiting-approval$"))
    expect(sponsor.locator("#notice-text")).to_contain_text("awaiting approval")
    expect(sponsor.locator("#verify-notice")).to_contain_text(
        "Until then your account is not sent to an administrator for approval.")
    goto(sponsor, "/sponsor")  # cannot reach its dashboard yet
    expect(sponsor).to_have_url(re.compile(r"/awaiting-approval$"))
    shot(sponsor, "sponsor-awaiting-approval")

    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/approvals")
    expect(admin.locator("tr", has_text="Summit Gear")).to_have_count(0)  # not before the address is verified
    expect(admin.locator("#queue-unverified")).to_have_text(re.compile(r"Unverified sign-ups, .*: \d+"))
    open_verification_link(sponsor, db_url, "brand@example.com")
    goto(admin, "/admin/approvals")
    row = admin.locator("tr", has_text="Summit Gear")
    expect(row).to_be_visible()
    shot(admin, "admin-approvals")
    row.get_by_role("button", name="Approve").click()
    admin.get_by_role("button", name="Approve sponsor").click()  # the confirm dialog
    expect(row).to_have_count(0)

    goto(sponsor, "/awaiting-approval")
    expect(sponsor).to_have_url(re.compile(r"/sponsor$"))
    expect(sponsor.locator("#dashboard-heading")).to_have_text("Summit Gear")
    shot(sponsor, "sponsor-dashboard")
    admin_phone = new_page(PHONE)
    login(admin_phone, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    shot(admin_phone, "admin-dashboard-phone")


def test_rejected_sponsor_sees_the_reason(new_page, db_url):
    sponsor = new_page()
    sign_up_sponsor(sponsor, "shady@example.com", "Shady Pills")
    expect(sponsor).to_have_url(re.compile(r"/awaiting-approval$"))
    open_verification_link(sponsor, db_url, "shady@example.com")
    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/approvals")
    admin.locator("tr", has_text="Shady Pills").get_by_role("button", name="Reject").click()
    admin.click("#reject-submit")
    expect(admin.locator("#error-reason")).to_contain_text("reason")
    admin.fill("#reason", "Unlicensed health claims")
    admin.click("#reject-submit")
    expect(admin.locator("tr", has_text="Shady Pills")).to_have_count(0)
    goto(sponsor, "/awaiting-approval")
    expect(sponsor).to_have_url(re.compile(r"/account-notice$"))
    expect(sponsor.locator("#notice-text")).to_contain_text("Unlicensed health claims")
    shot(sponsor, "sponsor-rejected")


def test_influencer_opening_an_admin_url_is_sent_away(new_page):
    page = new_page()
    sign_up_influencer(page, "curious@example.com", "Curious Cat")
    expect(page).to_have_url(re.compile(r"/influencer$"))
    goto(page, "/admin")
    expect(page).to_have_url(re.compile(r"/influencer$"))
    expect(page.get_by_text("Sponsors awaiting approval")).to_have_count(0)


def test_logged_out_visitor_is_sent_to_login(new_page):
    page = new_page()
    for path in ("/admin", "/sponsor", "/influencer"):
        goto(page, path)
        expect(page).to_have_url(re.compile(r"/login\?next=" + path))
    sign_up_influencer(page, "leaver@example.com", "Leaver")
    expect(page).to_have_url(re.compile(r"/influencer$"))
    logout(page)
    goto(page, "/influencer")
    expect(page).to_have_url(re.compile(r"/login"))


def test_wrong_password_gets_one_generic_message(new_page):
    page = new_page()
    goto(page, "/login")
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", "wrong-password")
    page.click("#login-submit")
    expect(page.locator("#error-password")).to_have_text("Wrong e-mail or password.")
    page.fill("#email", "nobody@example.com")
    page.click("#login-submit")
    expect(page.locator("#error-password")).to_have_text("Wrong e-mail or password.")
    shot(page, "login-error")


def test_sign_up_submitted_twice_quickly_makes_one_account(new_page, db_url):
    page = new_page()
    goto(page, "/signup/sponsor")
    page.fill("#email", "hasty@example.com")
    page.fill("#password", "sponsor-password")
    page.fill("#company_name", "Hasty Inc")
    page.fill("#industry", "Retail")
    page.dblclick("#signup-submit")
    expect(page).to_have_url(re.compile(r"/awaiting-approval$"))
    page.wait_for_timeout(500)  # let a second submit, if any, reach the server
    assert users_with(db_url, "hasty@example.com") == 1
