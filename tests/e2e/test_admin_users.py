"""The admin console's user management, reset codes and audit log in a real browser."""

from __future__ import annotations

import re

import pandas as pd
import sqlalchemy as sa
from playwright.sync_api import expect
from sqlmodel import Session, select

from brandifiers.db import get_engine
from brandifiers.models import User
from brandifiers.services.accounts import auth
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, goto, login, shot

PASSWORD = "creator-password"


def make_influencer(db_url: str, email: str, name: str) -> int:
    with Session(get_engine(db_url), expire_on_commit=False) as s:
        user = auth.signup_influencer(s, {"email": email, "password": PASSWORD, "display_name": name,
                                          "category": "Fitness", "platform": "youtube", "handle": name.lower(),
                                          "followers": "9000"})
        s.commit()
        return user.id


def status_of(db_url: str, user_id: int) -> str:
    with Session(get_engine(db_url)) as s:
        return s.exec(select(User.status).where(User.id == user_id)).one()


def test_admin_finds_deactivates_and_reactivates_a_user(new_page, db_url):
    user_id = make_influencer(db_url, "dee@example.com", "Dee Active")
    user = new_page()
    login(user, "dee@example.com", PASSWORD, "/influencer")

    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/users")
    admin.fill("#signed_up_from", "2030-01-02")
    admin.fill("#signed_up_to", "2030-01-01")
    admin.click("#apply-filters")
    expect(admin.locator("#error-signed_up_to")).to_contain_text("before the start")
    shot(admin, "admin-users-error")
    admin.fill("#signed_up_from", "")
    admin.fill("#signed_up_to", "")
    admin.fill("#text", "dee active")
    admin.click("#apply-filters")
    expect(admin.locator("#users-total")).to_contain_text("1")
    row = admin.locator(f"#user-{user_id}")
    expect(row).to_contain_text("dee@example.com")
    shot(admin, "admin-users")

    row.get_by_role("link").click()
    expect(admin).to_have_url(re.compile(rf"/admin/users/{user_id}$"))
    expect(admin.locator("#user-heading")).to_have_text("Dee Active")
    admin.click("#deactivate")
    admin.click("#deactivate-submit")
    expect(admin.locator("#error-reason")).to_contain_text("reason")
    assert status_of(db_url, user_id) == "active"  # nothing written on bad input
    admin.fill("#reason", "Bought followers")
    # Meanwhile another administrator deactivates the account: the refusal is said in the dialog,
    # not behind it. After reactivating it out of band, the same dialog goes through.
    with Session(get_engine(db_url)) as s:
        s.exec(sa.update(User).where(User.id == user_id).values(status="deactivated"))
        s.commit()
    admin.click("#deactivate-submit")
    expect(admin.get_by_role("dialog").locator("#dialog-form-error")).to_have_text(
        "This account is already deactivated (already handled).")
    expect(admin.locator("#account-status")).to_contain_text("deactivated")  # the page behind caught up
    shot(admin, "admin-user-dialog-refusal")
    with Session(get_engine(db_url)) as s:
        s.exec(sa.update(User).where(User.id == user_id).values(status="active"))
        s.commit()
    admin.click("#deactivate-submit")
    expect(admin.locator("#account-status")).to_contain_text("deactivated")
    expect(admin.locator("#activity")).to_contain_text("user.deactivate")
    shot(admin, "admin-user-deactivated")

    goto(user, "/influencer")  # its session was revoked: logged out
    expect(user).to_have_url(re.compile(r"/login"))
    login(user, "dee@example.com", PASSWORD, "/account-notice")
    expect(user.locator("#notice-text")).to_contain_text("Bought followers")
    shot(user, "user-deactivated-notice")

    admin.click("#reactivate")
    expect(admin.locator("#account-status")).to_contain_text("active")
    assert status_of(db_url, user_id) == "active"
    goto(user, "/account-notice")
    expect(user).to_have_url(re.compile(r"/influencer$"))


def test_reset_code_lets_the_user_choose_a_new_password(new_page, db_url):
    user_id = make_influencer(db_url, "rita@example.com", "Rita Reset")
    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, f"/admin/users/{user_id}")
    admin.click("#reset-code-button")
    code = admin.locator("#reset-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
    shot(admin, "admin-user-reset-code")
    phone = new_page(PHONE)
    login(phone, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(phone, f"/admin/users/{user_id}")
    expect(phone.locator("#user-heading")).to_have_text("Rita Reset")
    shot(phone, "admin-user-detail-phone")
    goto(phone, "/admin/users")
    expect(phone.locator(f"#user-{user_id}")).to_be_visible()
    shot(phone, "admin-users-phone")

    user = new_page()
    goto(user, "/login")
    user.click("#reset-link")
    expect(user).to_have_url(re.compile(r"/reset-password$"))
    # The log-in page also has an #email field: wait until the reset form has replaced it, or the
    # address can land in the page being left (a race seen once in CI).
    expect(user.locator("#reset-submit")).to_be_visible()
    user.fill("#email", "rita@example.com")
    user.fill("#code", "AAAAA-BBBBB")
    user.fill("#password", "a-new-password")
    user.fill("#confirm", "a-new-password")
    user.click("#reset-submit")
    expect(user.locator("#error-code")).to_contain_text("not valid")
    shot(user, "reset-password-error")
    user.set_viewport_size(PHONE)
    shot(user, "reset-password-error-phone")
    user.fill("#code", code.lower())
    user.click("#reset-submit")
    expect(user).to_have_url(re.compile(r"/login$"))
    login(user, "rita@example.com", "a-new-password", "/influencer")


def test_admin_filters_and_exports_the_audit_log(new_page, tmp_path):
    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/audit")
    admin.fill("#target_id", "abc")
    admin.click("#apply-filters")
    expect(admin.locator("#error-target_id")).to_be_visible()
    admin.fill("#target_id", "")
    admin.fill("#action", "user.signup")
    admin.click("#apply-filters")
    expect(admin.locator("tbody tr").first).to_contain_text("user.signup")
    expect(admin.locator("tbody")).not_to_contain_text("user.admin_created")
    shot(admin, "admin-audit")
    with admin.expect_download() as info:
        admin.click("#export-csv")
    download = info.value
    assert re.fullmatch(r"audit-log-\d{8}-\d{6}\.csv", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    frame = pd.read_csv(path)
    assert len(frame) >= 1 and set(frame["action"]) == {"user.signup"}
    phone = new_page(PHONE)
    login(phone, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(phone, "/admin/audit")
    shot(phone, "admin-audit-phone")
