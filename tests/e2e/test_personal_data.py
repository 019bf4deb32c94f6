"""Their data in the browser: an influencer downloads the ZIP of its data (file list, a figure), closes the
account (the dialog says what happens), cannot log in again, and the sponsor's request page shows "Closed
account" with the same amounts."""

from __future__ import annotations

import io
import re
import zipfile
from types import SimpleNamespace

import pandas as pd
from playwright.sync_api import expect
from sqlmodel import Session, select

from brandifiers.db import get_engine
from brandifiers.models import Deliverable
from brandifiers.services.deals import adrequests
from brandifiers.services.metrics.metrics import enter_day
from brandifiers.services.records.personal_parts import PERSONAL_PARTS
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, goto, login, shot
from tests.unit import collab_factories as cf
from tests.unit import factories
from tests.unit.factories import PASSWORD

CREATOR = "dana.data@example.com"


def make_deal(db_url: str) -> int:
    """A completed deal of $300.00 paid in full ($250.00 + $50.00), with 4,321 views entered by the creator."""
    with Session(get_engine(db_url), expire_on_commit=False) as s:
        people = SimpleNamespace(
            sponsor=factories.sponsor(s, approved=True, email="data.sponsor@example.com", company_name="Data Foods"),
            influencer=factories.influencer(s, email=CREATOR, display_name="Dana Datawise"))
        campaign = cf.campaign(s, people.sponsor, name="Winter Data Bake")
        r = cf.advance(s, cf.send(s, people.sponsor, campaign, people.influencer, payment="300"), "completed",
                       people)
        deliverable = s.exec(select(Deliverable).where(Deliverable.ad_request_id == r.id)).one()
        enter_day(s, people.influencer.id, deliverable.id, cf.today(), {"views": "4321", "likes": "99"})
        for amount in ("250", "50"):
            adrequests.record_payment(s, people.sponsor.id, r.id, {"amount": amount, "paid_on": cf.today()})
        s.commit()
        return r.id


def test_download_my_data_then_close_the_account(new_page, db_url, tmp_path):
    request_id = make_deal(db_url)
    sponsor = new_page()
    login(sponsor, "data.sponsor@example.com", PASSWORD, "/sponsor")
    goto(sponsor, f"/sponsor/requests/{request_id}")
    expect(sponsor.get_by_text("Dana Datawise").first).to_be_visible()
    expect(sponsor.get_by_text("$300.00").first).to_be_visible()

    creator = new_page(PHONE)
    login(creator, CREATOR, PASSWORD, "/influencer")
    goto(creator, "/influencer/profile")
    card = creator.locator("#your-data")
    card.scroll_into_view_if_needed()
    shot(creator, "your-data-phone")
    with creator.expect_download(timeout=60_000) as info:
        creator.click("#download-my-data")
    assert re.match(r"brandifiers-my-data-\d{8}-\d{6}\.zip$", info.value.suggested_filename)
    path = tmp_path / "mine.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        receipts = sorted(n for n in names if n.startswith("receipts/"))
        assert sorted(set(names) - set(receipts)) == sorted(f"{p}.csv" for p in PERSONAL_PARTS)
        assert len(receipts) == 2 and all(re.fullmatch(r"receipts/R-\d{6}\.html", n) for n in receipts)
        amounts = sorted(re.search(r'id="receipt-amount">([^<]+)<', z.read(n).decode()).group(1) for n in receipts)
        assert amounts == ["$250.00", "$50.00"]  # one receipt a payment
        figures = pd.read_csv(io.BytesIO(z.read("figures.csv")), dtype=str)
        payments = pd.read_csv(io.BytesIO(z.read("payments.csv")), dtype=str)
        profile = pd.read_csv(io.BytesIO(z.read("profile.csv")), dtype=str)
    assert list(figures["views"]) == ["4321"] and sorted(payments["amount"]) == ["250.00", "50.00"]
    assert list(profile["email"]) == [CREATOR] and list(profile["display name"]) == ["Dana Datawise"]

    creator.click("#close-account")
    dialog = creator.locator("#close-account-dialog")
    expect(dialog).to_contain_text("Close your account?")
    expect(dialog).to_contain_text("You are signed out everywhere and can no longer log in")
    expect(dialog).to_contain_text("under the name “Closed account”")
    creator.fill("#close-password", "not-my-password")
    creator.fill("#close-confirm", "CLOSE")
    creator.click("#close-account-dialog-submit")
    expect(dialog).to_contain_text("That is not your password.")
    shot(creator, "close-account-dialog-phone")
    creator.fill("#close-password", PASSWORD)
    creator.click("#close-account-dialog-submit")
    expect(creator).to_have_url(re.compile(r"/login"), timeout=20_000)

    goto(creator, "/login")
    creator.fill("#email", CREATOR)
    creator.fill("#password", PASSWORD)
    creator.click("#login-submit")
    expect(creator.get_by_text("Wrong e-mail or password.")).to_be_visible()
    expect(creator).to_have_url(re.compile(r"/login"))

    goto(sponsor, f"/sponsor/requests/{request_id}")
    expect(sponsor.get_by_text("Data Foods → Closed account")).to_be_visible()
    expect(sponsor.get_by_text("The other party closed their account.", exact=False)).to_be_visible()
    expect(sponsor.get_by_text("Dana Datawise")).to_have_count(0)
    expect(sponsor.get_by_text("$300.00").first).to_be_visible()
    expect(sponsor.get_by_text("$250.00").first).to_be_visible()
    shot(sponsor, "closed-account-request-sponsor")


def test_the_admin_downloads_and_closes_on_request(new_page, db_url, tmp_path):
    with Session(get_engine(db_url), expire_on_commit=False) as s:
        sponsor = factories.sponsor(s, approved=True, email="leaving.brand@example.com", company_name="Leaving Co")
    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, f"/admin/users/{sponsor.id}")
    with admin.expect_download(timeout=60_000) as info:
        admin.click("#admin-download-data")
    path = tmp_path / "theirs.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as z:
        profile = pd.read_csv(io.BytesIO(z.read("profile.csv")), dtype=str)
    assert list(profile["company name"]) == ["Leaving Co"] and list(profile["email"]) == [sponsor.email]

    admin.click("#admin-close-account")
    dialog = admin.locator("#admin-close-dialog")
    expect(dialog).to_contain_text("Close this account on request?")
    admin.fill("#close-confirm", "CLOSE")
    admin.click("#admin-close-dialog-submit")
    expect(dialog).to_contain_text("Say how the person asked")
    admin.fill("#reason", "Asked by e-mail on 5 December")
    admin.click("#admin-close-dialog-submit")
    expect(admin.locator("#account-status")).to_contain_text("closed")
    expect(admin.locator("#user-heading")).to_have_text("Closed account")
    activity = admin.locator("#activity")
    expect(activity).to_contain_text("user.close")
    expect(activity).to_contain_text("Asked by e-mail on 5 December")
    expect(activity).to_contain_text("user.data_download")
    expect(admin.locator("#admin-close-account")).to_have_count(0)
    shot(admin, "admin-closed-on-request")
