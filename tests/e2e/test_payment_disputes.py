"""Manual payments in the browser: the influencer confirms one entry and disputes another with a reason,
the sponsor (phone width) sees the dispute and opens a receipt, the admin upholds the dispute on
/admin/disputes, and the influencer's Balances read the new figures (desktop and phone)."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect
from sqlmodel import Session

from brandifiers.db import get_engine
from brandifiers.services.deals import adrequests, campaigns
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, active_pair, goto, login, shot

PASSWORD = "payment-dispute-password"
SPONSOR, CREATOR = "ledger-brand@example.com", "paula-pays@example.com"


def make_world(db_url: str) -> dict[str, int]:
    """An accepted $400.00 deal with two entries the sponsor recorded: $150.00 and $50.00."""
    today = date.today()
    with Session(get_engine(db_url)) as s:
        sponsor, creator = active_pair(s, PASSWORD, (SPONSOR, "Ledger Lamps"), (CREATOR, "Paula Pays"), "Lifestyle")
        campaign = campaigns.create_campaign(s, sponsor.id, {
            "name": "Lamp Light Week", "description": "Cosy lamps", "category": "Lifestyle", "niche": "", "goals": "",
            "target_views": "", "target_engagements": "", "target_conversions": "",
            "start_date": (today - timedelta(days=1)).isoformat(), "end_date": (today + timedelta(days=30)).isoformat(),
            "budget": "5000", "visibility": "public", "status": "active"})
        s.commit()
        request = adrequests.send_request(s, sponsor.id, campaign.id, creator.id, {
            "payment": "400", "requirements": "One reel", "deliverables": "1 reel", "message": "Hi", "terms": ""})
        s.commit()
        adrequests.accept_offer(s, creator.id, request.id)
        s.commit()
        first = adrequests.record_payment(s, sponsor.id, request.id, {"amount": "150", "paid_on": today.isoformat(),
                                                                     "reference": "BANK-150"})
        second = adrequests.record_payment(s, sponsor.id, request.id, {"amount": "50", "paid_on": today.isoformat(),
                                                                      "reference": "BANK-50"})
        s.commit()
        return {"request": request.id, "first": first.id, "second": second.id}


def balances(page) -> dict[str, str]:
    return {key: page.locator(f"#balance-{key}").inner_text()
            for key in ("agreed", "funded", "released", "paid", "disputed", "outstanding")}


def test_dispute_seen_by_the_sponsor_resolved_by_the_admin_and_the_balances_follow(new_page, db_url):
    w = make_world(db_url)
    first, second = w["first"], w["second"]
    creator, sponsor, admin = new_page(), new_page(viewport=PHONE), new_page()
    login(creator, CREATOR, PASSWORD, "/influencer")
    expect(creator.locator("#balance-outstanding")).to_have_text("$200.00")
    assert balances(creator) == {"agreed": "$400.00", "funded": "$0.00", "released": "$0.00", "paid": "$200.00",
                                 "disputed": "$0.00", "outstanding": "$200.00"}
    expect(creator.locator("#balances")).to_contain_text("Agreed minus released, paid out and disputed.")

    # The influencer confirms the $50.00 entry and disputes the $150.00 one (an empty reason is refused).
    goto(creator, f"/influencer/requests/{w['request']}")
    expect(creator.locator(f"#payment-state-{second}")).to_have_text("recorded")
    creator.click(f"#confirm-payment-{second}")
    creator.click(f"#confirm-payment-{second}-confirm")
    expect(creator.locator(f"#payment-state-{second}")).to_have_text("confirmed")
    expect(creator.locator(f"#confirm-payment-{second}")).to_have_count(0)
    creator.click(f"#dispute-payment-{first}")
    creator.click("#dispute-submit")
    expect(creator.locator("#error-reason")).to_have_text("Give a reason for this dispute: the other side will "
                                                          "read it.")
    creator.fill("#reason", "Only $100 reached my account; BANK-150 shows a partial transfer.")
    creator.click("#dispute-submit")
    expect(creator.locator(f"#payment-state-{first}")).to_have_text("disputed")
    expect(creator.locator(f"#payment-dispute-{first}")).to_contain_text("Only $100 reached my account")

    # The sponsor, on a phone, reads the dispute and the per-deal figures, and opens the other entry's receipt.
    login(sponsor, SPONSOR, PASSWORD, "/sponsor")
    goto(sponsor, f"/sponsor/requests/{w['request']}")
    expect(sponsor.locator(f"#payment-state-{first}")).to_have_text("disputed")
    expect(sponsor.locator(f"#payment-dispute-{first}")).to_contain_text("BANK-150 shows a partial transfer")
    expect(sponsor.locator("#disputed-amount")).to_have_text("Of which disputed $150.00")
    expect(sponsor.locator("#paid-amount")).to_have_text("$200.00")
    expect(sponsor.locator(f"#dispute-payment-{first}")).to_have_count(0)  # only the influencer answers
    width = sponsor.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the request page scrolls sideways at 390 px ({width} px)"
    shot(sponsor, "payment-dispute-sponsor-phone")
    with sponsor.context.expect_page() as opened:
        sponsor.click(f"#receipt-{second}")
    receipt = opened.value
    receipt.wait_for_load_state()
    expect(receipt.locator("#receipt-amount")).to_have_text("$50.00")
    expect(receipt.locator("body")).to_contain_text("Confirmed by the influencer")
    receipt.close()

    # The admin upholds the dispute with a reason.
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/disputes")
    expect(admin.locator(f"#dispute-reason-{first}")).to_contain_text("Only $100 reached my account")
    shot(admin, "payment-disputes-admin")
    admin.click(f"#uphold-{first}")
    admin.fill("#reason", "The sponsor's bank shows $100.00 only; record that amount again.")
    admin.click("#resolve-submit")
    expect(admin.locator("#disputes-empty")).to_be_visible()

    # The influencer's Balances: the voided $150.00 is neither paid nor disputed any more.
    goto(creator, "/influencer")
    expect(creator.locator("#balance-outstanding")).to_have_text("$350.00")
    assert balances(creator) == {"agreed": "$400.00", "funded": "$0.00", "released": "$0.00", "paid": "$50.00",
                                 "disputed": "$0.00", "outstanding": "$350.00"}
    shot(creator, "payment-balances-desktop")
    phone = new_page(viewport=PHONE)
    login(phone, CREATOR, PASSWORD, "/influencer")
    expect(phone.locator("#balance-paid")).to_have_text("$50.00")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "payment-balances-phone")
    goto(creator, f"/influencer/requests/{w['request']}")
    expect(creator.locator(f"#payment-state-{first}")).to_have_text("voided")
    expect(creator.locator(f"#payment-resolution-{first}")).to_contain_text("upheld the dispute")
    expect(creator.locator(f"#receipt-{first}")).to_have_count(0)
    expect(creator.locator("#paid-amount")).to_have_text("$50.00")
