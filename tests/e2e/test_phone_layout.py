"""Phone (390 px) and desktop (1280 px) layout: one navbar row with a menu button, every list as cards with its
action buttons inside the screen, discovery's results before its filters; the confirmation dialogs (accept an
offer, approve a sponsor) and status values as words (lists, audit log, admin chart)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from brandifiers.db import get_engine
from brandifiers.models import UserStatus
from brandifiers.services.accounts import auth
from brandifiers.services.deals import adrequests, campaigns
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, DESKTOP, PHONE, goto, login, shot

PASSWORD = "phone-password"
SPONSOR, WAITING = "phone-brand@example.com", "phone-waiting@example.com"
CREATORS = ("phone-ada@example.com", "phone-bo@example.com")
ADMIN_PAGES = ("/admin/users", "/admin/audit", "/admin/approvals", "/admin/campaigns", "/admin/outbox")
SPONSOR_PAGES = ("/sponsor/campaigns", "/sponsor/requests", "/sponsor/discover")

# Visible buttons (and button-like links) whose right edge passes the given width: their ids or texts.
OFF_SCREEN = """w => [...document.querySelectorAll('button, [role=button]')].filter(b => {
    const r = b.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > w + 0.5;
}).map(b => b.id || b.innerText)"""


def make_world(db_url: str) -> dict:
    """An active sponsor with a long-named campaign; a sponsor awaiting approval; one influencer who
    countered at $1,200.00 (the sponsor's turn to accept) and one whose work is in progress."""
    with Session(get_engine(db_url)) as s:
        sponsor = auth.signup_sponsor(s, {"email": SPONSOR, "password": PASSWORD, "company_name": "Pocket Brand Co",
                                          "industry": "Food"})
        sponsor.status = UserStatus.ACTIVE.value
        waiting = auth.signup_sponsor(s, {"email": WAITING, "password": PASSWORD,
                                          "company_name": "Waiting Brand Ltd", "industry": "Travel"})
        creators = [auth.signup_influencer(s, {"email": email, "password": PASSWORD, "display_name": name,
                                               "category": "Food", "niche": "vegan snacks", "platform": "instagram",
                                               "handle": name.lower().replace(" ", ""), "followers": "25000"})
                    for email, name in zip(CREATORS, ("Ada Pocket", "Bo Pocket"))]
        s.add(sponsor)
        s.commit()
        today = date.today()
        campaign = campaigns.create_campaign(s, sponsor.id, {
            "name": "Pocket-sized Vegan Snack Summer Campaign", "category": "Food", "niche": "vegan snacks",
            "start_date": today.isoformat(), "end_date": (today + timedelta(days=60)).isoformat(),
            "budget": "20500", "visibility": "public", "status": "active"})
        s.commit()
        offered, working = [adrequests.send_request(s, sponsor.id, campaign.id, c.id, {
            "requirements": "One reel", "deliverables": "1 reel", "payment": "800", "message": "Hi"})
            for c in creators]
        s.commit()
        adrequests.counter_offer(s, creators[0].id, offered.id, {"amount": "1200", "terms": "", "message": "My rate"})
        for step in (adrequests.accept_offer, adrequests.start_work):
            step(s, creators[1].id, working.id)
        s.commit()
        return {"offered": offered.id, "working": working.id, "waiting": waiting.id, "ada": creators[0].id}


@pytest.fixture(scope="module")
def world(db_url) -> dict:
    return make_world(db_url)


def fits(page: Page, name: str, width: int) -> None:
    """Nothing wider than the screen: no action button past its right edge, no sideways scrolling."""
    expect(page.locator("h1").first).to_be_visible()  # the content renders once the role is confirmed
    page.wait_for_timeout(300)
    assert page.evaluate(OFF_SCREEN, width) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    shot(page, f"phone-layout-{name.strip('/').replace('/', '-')}-{width}")


def bar_height(page: Page) -> float:
    return page.evaluate("""(() => { let e = document.querySelector('#nav-menu');
        while (getComputedStyle(e).position !== 'sticky') e = e.parentElement;
        return e.getBoundingClientRect().height; })()""")


def one_row_navbar(page: Page, links: list[str]) -> None:
    """The bar is one row; its links are behind the menu button, which opens them."""
    height = bar_height(page)
    assert height < 80, height
    for label in links:
        expect(page.get_by_role("link", name=label, exact=True)).to_be_hidden()
    page.click("#nav-menu")
    for label in links:
        expect(page.get_by_role("menuitem", name=label, exact=True)).to_be_visible()


def test_admin_lists_fit_a_phone_and_approving_asks_first(world, new_page):
    admin = new_page(viewport=PHONE)
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    one_row_navbar(admin, ["Approvals", "Users", "Audit"])
    admin.get_by_role("menuitem", name="Users", exact=True).click()
    expect(admin).to_have_url(re.compile(r"/admin/users$"))
    for path in ADMIN_PAGES:
        goto(admin, path)
        fits(admin, path, PHONE["width"])
    # Status changes read as words in the audit log and on the admin home's chart.
    goto(admin, "/admin/audit")
    expect(admin.locator("table")).to_contain_text("accepted → in progress")
    expect(admin.locator("table")).not_to_contain_text("in_progress")
    goto(admin, "/admin")
    admin.click("#refresh-analytics")
    expect(admin.locator("#chart-statuses")).to_contain_text("in progress")
    expect(admin.locator("#chart-statuses")).not_to_contain_text("in_progress")

    # Approvals: the card of the waiting sponsor holds both buttons inside the screen.
    goto(admin, "/admin/approvals")
    row = admin.locator(f"#pending-{world['waiting']}")
    expect(row).to_contain_text("Waiting Brand Ltd")
    approve = admin.locator(f"#approve-{world['waiting']}")
    box = approve.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"]
    # Approving says what happens; Cancel leaves the sponsor waiting, the confirm button approves.
    approve.click()
    expect(admin.locator(f"#approve-{world['waiting']}-message")).to_have_text(
        "Approve Waiting Brand Ltd (phone-waiting@example.com)? The account becomes active at once: "
        "the sponsor can log in, publish campaigns and send ad requests.")
    shot(admin, "phone-layout-approve-dialog-390")
    admin.click(f"#approve-{world['waiting']}-cancel")
    admin.wait_for_timeout(500)
    expect(row).to_be_visible()
    goto(admin, f"/admin/users/{world['waiting']}")
    expect(admin.locator("#account-status")).to_contain_text("pending")
    goto(admin, "/admin/approvals")
    approve.click()
    admin.click(f"#approve-{world['waiting']}-confirm")
    expect(row).to_have_count(0)
    goto(admin, f"/admin/users/{world['waiting']}")
    expect(admin.locator("#account-status")).to_contain_text("active")


def test_sponsor_lists_and_discovery_on_a_phone_and_accepting_asks_first(world, new_page):
    sponsor = new_page(viewport=PHONE)
    login(sponsor, SPONSOR, PASSWORD, "/sponsor")
    one_row_navbar(sponsor, ["Campaigns", "Requests", "Find influencers"])
    for path in SPONSOR_PAGES:
        goto(sponsor, path)
        fits(sponsor, path, PHONE["width"])

    # Status values read as words, in the list's cards.
    goto(sponsor, "/sponsor/requests")
    cards = sponsor.locator("table")
    expect(cards).to_contain_text("in progress")
    expect(cards).not_to_contain_text("in_progress")
    expect(sponsor.get_by_role("columnheader", name="Campaign")).to_be_hidden()  # cards, not a table

    # The influencer's profile: the fit score's parts as cards.
    goto(sponsor, f"/sponsor/influencers/{world['ada']}")
    expect(sponsor.locator("#fit-parts tbody tr").first).to_be_visible()
    expect(sponsor.get_by_role("columnheader", name="Why")).to_be_hidden()
    fits(sponsor, "/sponsor/influencer", PHONE["width"])

    # Discovery: the results first, the filters behind a button.
    goto(sponsor, "/sponsor/discover")
    expect(sponsor.locator("#result-count")).to_be_visible()
    expect(sponsor.get_by_role("link", name="Ada Pocket")).to_be_visible()
    expect(sponsor.locator("#min_followers")).to_be_hidden()
    sponsor.click("#show-filters")
    expect(sponsor.locator("#min_followers")).to_be_visible()
    assert sponsor.locator("#filters-panel").evaluate(  # the campaign picker once ran past the card
        "p => [...p.querySelectorAll('input, select, button')].every(e => e.getBoundingClientRect().right <= 390)")
    shot(sponsor, "phone-layout-discover-filters-open-390")

    # Accepting an offer says the amount and what it commits; Cancel does nothing, Accept accepts.
    goto(sponsor, f"/sponsor/requests/{world['offered']}")
    expect(sponsor.locator("#request-heading")).to_contain_text("negotiating")
    sponsor.click("#accept")
    expect(sponsor.locator("#accept-message")).to_have_text(
        "Accept the offer of $1,200.00? The amount is committed from the campaign's budget and both sides "
        "are bound to these terms.")
    shot(sponsor, "phone-layout-accept-dialog-390")
    sponsor.click("#accept-cancel")
    expect(sponsor.locator("#accept-message")).to_be_hidden()
    sponsor.reload()
    expect(sponsor.locator("#request-heading")).to_contain_text("negotiating")
    sponsor.click("#accept")
    sponsor.click("#accept-confirm")
    expect(sponsor.locator("#request-heading")).to_contain_text("accepted")
    fits(sponsor, "/sponsor/request", PHONE["width"])


def test_influencer_discovery_shows_results_first_on_a_phone(world, new_page):
    creator = new_page(viewport=PHONE)
    login(creator, CREATORS[1], PASSWORD, "/influencer")
    expect(creator.locator("#platforms")).to_contain_text("bopocket")  # the dashboard's platforms as cards
    expect(creator.get_by_role("columnheader", name="Handle")).to_be_hidden()
    fits(creator, "/influencer", PHONE["width"])
    goto(creator, "/influencer/campaigns")
    expect(creator.get_by_role("link", name="Pocket-sized Vegan Snack Summer Campaign")).to_be_visible()
    expect(creator.locator("#min_budget")).to_be_hidden()
    fits(creator, "/influencer/campaigns", PHONE["width"])
    creator.click("#show-filters")
    expect(creator.locator("#min_budget")).to_be_visible()
    goto(creator, "/influencer/requests")
    expect(creator.locator("table")).to_contain_text("in progress")
    fits(creator, "/influencer/requests", PHONE["width"])


def test_desktop_keeps_the_tables_and_the_links(world, new_page):
    sponsor = new_page(viewport=DESKTOP)
    login(sponsor, SPONSOR, PASSWORD, "/sponsor")
    expect(sponsor.locator("#nav-menu")).to_be_hidden()
    expect(sponsor.get_by_role("link", name="Requests", exact=True)).to_be_visible()
    for path in SPONSOR_PAGES:
        goto(sponsor, path)
        fits(sponsor, path, DESKTOP["width"])
    goto(sponsor, "/sponsor/requests")
    expect(sponsor.get_by_role("columnheader", name="Campaign")).to_be_visible()
    expect(sponsor.locator("#min_followers")).to_have_count(0)  # not on this page
    goto(sponsor, "/sponsor/discover")
    expect(sponsor.locator("#show-filters")).to_be_hidden()
    expect(sponsor.locator("#min_followers")).to_be_visible()
    admin = new_page(viewport=DESKTOP)
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    expect(admin.get_by_role("link", name="Reconciliation", exact=True)).to_be_visible()
    assert bar_height(admin) < 80, bar_height(admin)  # the admin's ten links and the account stay on one row
    for path in ADMIN_PAGES:
        goto(admin, path)
        fits(admin, path, DESKTOP["width"])
    goto(admin, "/admin/campaigns")
    expect(admin.get_by_role("columnheader", name="Budget")).to_be_visible()
