"""Card funding in the browser: a sponsor funds an accepted deal through the test-mode stand-in for Stripe's
card form (localstripe plays Stripe), both request pages show it held, and cancelling through the dialog refunds
it. The Stripe gateway is switched on only for this test (settings are read per call)."""

from __future__ import annotations

import os
from datetime import date, timedelta

from playwright.sync_api import expect
from sqlmodel import Session

from brandifiers.db import get_engine
from brandifiers.models import UserStatus
from brandifiers.services.accounts import auth
from brandifiers.services.deals import adrequests, campaigns
from tests import stripe_fake
from tests.e2e.conftest import PHONE, goto, login, shot

PASSWORD = "card-funding-password"
SPONSOR, CREATOR = "card-brand@example.com", "card-creator@example.com"


def make_deal(db_url: str) -> int:
    today = date.today()
    with Session(get_engine(db_url)) as s:
        sponsor = auth.signup_sponsor(s, {"email": SPONSOR, "password": PASSWORD, "company_name": "Card Co",
                                          "industry": "Food"})
        sponsor.status = UserStatus.ACTIVE.value
        s.add(sponsor)
        creator = auth.signup_influencer(s, {"email": CREATOR, "password": PASSWORD, "display_name": "Cara Cards",
                                             "category": "Food", "niche": "snacks", "platform": "instagram",
                                             "handle": "caracards", "followers": "20000"})
        s.commit()
        campaign = campaigns.create_campaign(s, sponsor.id, {
            "name": "Crunchy Cards", "description": "Snacks", "category": "Food", "niche": "snacks", "goals": "",
            "target_views": "", "target_engagements": "", "target_conversions": "",
            "start_date": (today - timedelta(days=1)).isoformat(),
            "end_date": (today + timedelta(days=30)).isoformat(), "budget": "5000", "visibility": "public",
            "status": "active"})
        s.commit()
        request = adrequests.send_request(s, sponsor.id, campaign.id, creator.id, {
            "requirements": "One reel", "deliverables": "1 reel", "payment": "400", "due_date": "", "message": "",
            "terms": ""})
        s.commit()
        adrequests.accept_offer(s, creator.id, request.id)
        s.commit()
        return request.id


def test_sponsor_funds_a_deal_both_see_it_held_and_cancelling_refunds_it(new_page, db_url):
    request_id = make_deal(db_url)
    ls = stripe_fake.LocalStripe()
    saved = {k: os.environ.get(k) for k in stripe_fake.stripe_env(ls.base)}
    os.environ.update(stripe_fake.stripe_env(ls.base))
    try:
        sponsor, creator = new_page(), new_page(viewport=PHONE)
        login(sponsor, SPONSOR, PASSWORD, "/sponsor")
        login(creator, CREATOR, PASSWORD, "/influencer")
        goto(sponsor, f"/sponsor/requests/{request_id}")
        expect(sponsor.locator("#test-mode-notice")).to_contain_text("Test mode")
        sponsor.fill("#fund_amount", "500")
        sponsor.fill("#card", "4242 4242 4242 4242")
        sponsor.click("#fund-submit")
        expect(sponsor.locator("#error-fund_amount")).to_have_text(
            "That is more than the $400.00 still owed on this deal.")
        sponsor.fill("#fund_amount", "250")
        sponsor.click("#fund-submit")
        expect(sponsor.locator("#funding-held")).to_have_text("$250.00")
        expect(sponsor.locator("#funding-status")).to_contain_text("$250.00 held by card")
        shot(sponsor, "card-funding-sponsor")
        goto(creator, f"/influencer/requests/{request_id}")
        expect(creator.locator("#funding-held")).to_have_text("$250.00")
        expect(creator.locator("#fund-form")).to_have_count(0)  # only the sponsor funds
        shot(creator, "card-funding-influencer-phone")
        # Cancel deal refunds and cannot be undone: a dialog says so first; its Cancel changes nothing.
        expect(sponsor.locator("#cancel-reason-hint")).to_have_text(
            "Optional: the influencer sees it with the cancellation.")
        expect(sponsor.locator("#cancel-deal-form")).not_to_contain_text("administrator")
        sponsor.fill("#cancel_reason", "The launch moved to next year.")
        sponsor.click("#cancel-deal-submit")
        expect(sponsor.locator("#cancel-deal-submit-message")).to_have_text(
            "Cancel the deal with Cara Cards? What is held by card ($250.00) is refunded to your card, and the deal "
            "is withdrawn for good: it cannot be reopened, and the influencer is told.")
        shot(sponsor, "card-funding-cancel-dialog")
        sponsor.click("#cancel-deal-submit-cancel")
        expect(sponsor.locator("#funding-held")).to_have_text("$250.00")
        sponsor.click("#cancel-deal-submit")
        sponsor.click("#cancel-deal-submit-confirm")
        expect(sponsor.locator("#funding-refunded")).to_have_text("$250.00")
        expect(sponsor.locator("#cancel-deal-form")).to_have_count(0)
        goto(creator, f"/influencer/requests/{request_id}")
        expect(creator.locator("#funding-refunded")).to_have_text("$250.00")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        ls.stop()
