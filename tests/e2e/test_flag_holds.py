"""A flagged campaign in the browsers of the influencers who have a request on it: the one who was paid
and the one with a pending offer each read the hold with the admin's reason on the campaign and request
pages, and in the bell; lifting it tells them and the hold goes. On the way: the campaign page names the
brand and replaces the apply form by the application's status, and Running collaborations leaves out a
completed deal."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect
from sqlmodel import Session, select

from brandifiers.db import get_engine
from brandifiers.models import AdRequest, UserStatus
from brandifiers.services.accounts import auth
from brandifiers.services.deals import adrequests, campaigns
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, goto, login, shot

PASSWORD = "holds-password"
BRAND = "Sunny Crunch Co"
CAMPAIGN = "Sunflower Seed Summer"
REASON = "Unproven health claims in the brief"
PAUSED = (f"An admin paused this campaign: {REASON}. You can read your history; new offers, counters and "
          "submissions wait until the flag is lifted.")
POST = {"platform": "instagram", "post_url": "https://instagram.com/p/sunny1", "note": ""}


def _world(db_url: str) -> dict[str, int]:
    """A brand with two active public campaigns; Paid Pat completed and was paid on the first and works on
    the second; Offer Olga has a pending offer on the first; Fresh Fern has no request yet."""
    today = date.today()
    with Session(get_engine(db_url)) as s:
        sponsor = auth.signup_sponsor(s, {"email": "holds-brand@example.com", "password": PASSWORD,
                                          "company_name": BRAND, "industry": "Food"})
        sponsor.status = UserStatus.ACTIVE.value
        s.add(sponsor)
        people = {}
        for tag, name in (("pat", "Paid Pat"), ("olga", "Offer Olga"), ("fern", "Fresh Fern")):
            people[tag] = auth.signup_influencer(s, {
                "email": f"holds-{tag}@example.com", "password": PASSWORD, "display_name": name,
                "category": "Food", "platform": "instagram", "handle": f"holds{tag}", "followers": "8000"})
        s.commit()
        ids = {}
        for key, name in (("campaign", CAMPAIGN), ("other", "Seed Butter Autumn")):
            ids[key] = campaigns.create_campaign(s, sponsor.id, {
                "name": name, "description": "Snack on sunflower seeds", "category": "Food",
                "start_date": today.isoformat(), "end_date": (today + timedelta(days=30)).isoformat(),
                "budget": "2000", "visibility": "public", "status": "active"}).id
            s.commit()
        offer = {"requirements": "", "deliverables": "1 post", "payment": "400", "due_date": "", "message": "",
                 "terms": ""}
        pat = people["pat"].id
        done = adrequests.send_request(s, sponsor.id, ids["campaign"], pat, offer)
        running = adrequests.send_request(s, sponsor.id, ids["other"], pat, offer)
        for r in (done, running):
            adrequests.accept_offer(s, pat, r.id)
            adrequests.start_work(s, pat, r.id)
        adrequests.submit_deliverables(s, pat, done.id, [POST])
        adrequests.approve_deliverables(s, sponsor.id, done.id)
        adrequests.record_payment(s, sponsor.id, done.id, {"amount": "400", "paid_on": today.isoformat(),
                                                           "reference": "INV-1"})
        ids["paid"] = done.id
        ids["pending"] = adrequests.send_request(s, sponsor.id, ids["campaign"], people["olga"].id, offer).id
        s.commit()
    return ids


def _admin_flag(admin, label: str, reason: str) -> None:
    goto(admin, "/admin/campaigns")
    admin.fill("#text", "Sunflower")
    admin.click("#campaign-search")
    row = admin.locator("tr", has_text=CAMPAIGN)
    expect(row).to_have_count(1)
    row.get_by_role("button", name=label).click()
    admin.fill("#reason", reason)
    admin.click("#reason-submit")
    expect(row.get_by_text("flagged", exact=True)).to_have_count(1 if label == "Flag" else 0)


def _bell_says(page, text: str) -> None:
    page.click("#bell")
    expect(page.get_by_role("dialog")).to_contain_text(text)
    page.keyboard.press("Escape")


def test_a_flag_is_explained_to_the_influencers_with_requests_and_lifted(new_page, db_url):
    ids = _world(db_url)
    campaign_path, paid_path = f"/influencer/campaigns/{ids['campaign']}", f"/influencer/requests/{ids['paid']}"
    pending_path = f"/influencer/requests/{ids['pending']}"

    # Before any flag: a new influencer reads the brand, applies, and the form gives way to the status.
    fern = new_page()
    login(fern, "holds-fern@example.com", PASSWORD, "/influencer")
    goto(fern, campaign_path)
    expect(fern.locator("#campaign-brand")).to_have_text(f"by {BRAND}")
    expect(fern.locator("#campaign-goals")).to_have_count(0)  # no goals: no empty "Goals:" line
    fern.fill("#payment", "350")
    fern.click("#apply-submit")
    expect(fern).to_have_url(re.compile(r"/influencer/requests/\d+$"))
    with Session(get_engine(db_url)) as s:
        applied = s.exec(select(AdRequest).where(AdRequest.campaign_id == ids["campaign"],
                                                 AdRequest.initiated_by == "influencer")).one().created_at
    goto(fern, campaign_path)
    expect(fern.locator("#my-request")).to_contain_text(f"You applied on {applied:%Y-%m-%d} — awaiting {BRAND}.")
    expect(fern.locator("#apply-submit")).to_have_count(0)
    shot(fern, "holds-applied-status")

    # Paid Pat: one deal completed and paid, one in progress: one running collaboration.
    pat = new_page()
    login(pat, "holds-pat@example.com", PASSWORD, "/influencer")
    running = pat.locator(".rt-Card", has_text="Running collaborations")
    expect(running).to_have_text(re.compile(r"Running collaborations\s*1\s*accepted, in progress or submitted"))

    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    _admin_flag(admin, "Flag", REASON)

    # Pat (paid) still reads the campaign and the request, with the reason, and the bell told him.
    _bell_says(pat, f"{CAMPAIGN} was paused by an administrator")
    goto(pat, campaign_path)
    expect(pat.get_by_role("heading", name=CAMPAIGN)).to_be_visible()
    expect(pat.locator("#holds")).to_have_text(PAUSED)
    expect(pat.get_by_text("does not exist")).to_have_count(0)
    expect(pat.get_by_text("Loading…")).to_have_count(0)
    shot(pat, "holds-campaign-paid-desktop")
    goto(pat, paid_path)
    expect(pat.locator("#holds")).to_have_text(PAUSED)
    expect(pat.locator("#paid-amount")).to_have_text("$400.00")

    # Olga (pending offer): the hold and the reason; Accept and Counter wait, shown disabled.
    olga = new_page()
    login(olga, "holds-olga@example.com", PASSWORD, "/influencer")
    _bell_says(olga, f"{CAMPAIGN} was paused by an administrator")
    goto(olga, campaign_path)
    expect(olga.locator("#holds")).to_have_text(PAUSED)
    expect(olga.locator("#my-request")).to_contain_text(f"{BRAND} sent you an offer on ")
    goto(olga, pending_path)
    expect(olga.locator("#holds")).to_have_text(PAUSED)
    expect(olga.locator("#held-accept")).to_be_disabled()
    expect(olga.locator("#held-accept")).to_have_text("Accept current terms")
    expect(olga.locator("#held-counter")).to_be_disabled()
    expect(olga.locator("#held-actions")).to_contain_text("These wait until the hold above is lifted.")
    expect(olga.locator("#accept")).to_have_count(0)
    expect(olga.locator("#reject")).to_be_enabled()  # leaving stays possible
    shot(olga, "holds-request-desktop")
    phone = new_page(viewport=PHONE)
    login(phone, "holds-olga@example.com", PASSWORD, "/influencer")
    goto(phone, pending_path)
    expect(phone.locator("#holds")).to_have_text(PAUSED)
    box = phone.locator("#holds").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    shot(phone, "holds-request-phone")
    goto(phone, campaign_path)
    expect(phone.locator("#holds")).to_have_text(PAUSED)
    shot(phone, "holds-campaign-phone")

    # Someone without a request still finds nothing.
    stranger = new_page()
    auth_email = "holds-stranger@example.com"
    with Session(get_engine(db_url)) as s:
        auth.signup_influencer(s, {"email": auth_email, "password": PASSWORD, "display_name": "Stranger Sid",
                                   "category": "Food", "platform": "instagram", "handle": "holdssid",
                                   "followers": "100"})
        s.commit()
    login(stranger, auth_email, PASSWORD, "/influencer")
    goto(stranger, campaign_path)
    expect(stranger.get_by_text("That campaign does not exist.")).to_be_visible()
    expect(stranger.get_by_text("Loading…")).to_have_count(0)

    # The admin lifts the flag: both are told, the hold is gone and Olga can answer again.
    _admin_flag(admin, "Lift flag", "Claims removed from the brief")
    _bell_says(pat, f"The flag on {CAMPAIGN} was lifted")
    goto(pat, campaign_path)
    expect(pat.get_by_role("heading", name=CAMPAIGN)).to_be_visible()
    expect(pat.locator("#holds")).to_have_text("")
    _bell_says(olga, f"The flag on {CAMPAIGN} was lifted")
    goto(olga, pending_path)
    expect(olga.locator("#accept")).to_be_enabled()
    expect(olga.locator("#holds")).to_have_text("")
    expect(olga.locator("#held-actions")).to_have_count(0)
