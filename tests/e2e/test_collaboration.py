"""The collaboration loop in two browsers at once: campaign, request, live counter-offer,
accept, delivery, approval and payment, with both dashboards showing the new figures. On the way:
campaign discovery by the brand's name and a niche word, the fit score's parts adding up to its
badge, and the dashboard's budget bar drawn at the committed share."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect
from sqlmodel import Session

from brandifiers.db import get_engine
from brandifiers.models import UserStatus
from brandifiers.services.accounts import auth
from tests.e2e.conftest import choose, goto, login, shot

PASSWORD = "collab-password"


def make_people(db_url: str) -> None:
    with Session(get_engine(db_url)) as s:
        sponsor = auth.signup_sponsor(s, {"email": "collab-brand@example.com", "password": PASSWORD,
                                          "company_name": "Peak Oats", "industry": "Food"})
        sponsor.status = UserStatus.ACTIVE.value
        s.add(sponsor)
        auth.signup_influencer(s, {"email": "collab-creator@example.com", "password": PASSWORD,
                                   "display_name": "Oat Olivia", "category": "Food", "niche": "breakfast",
                                   "platform": "instagram", "handle": "oatolivia", "followers": "25000"})
        s.commit()


def test_sponsor_and_influencer_close_a_deal_live(new_page, db_url):
    make_people(db_url)
    today = date.today()
    sponsor, creator = new_page(), new_page()
    login(sponsor, "collab-brand@example.com", PASSWORD, "/sponsor")
    login(creator, "collab-creator@example.com", PASSWORD, "/influencer")

    # The sponsor creates an active public campaign.
    goto(sponsor, "/sponsor/campaigns/new")
    sponsor.fill("#name", "Overnight Oats Week")
    sponsor.fill("#description", "Show your favourite overnight oats recipe.")
    choose(sponsor, "category", "Food")
    sponsor.fill("#niche", "Breakfast oats")
    sponsor.fill("#start_date", today.isoformat())
    sponsor.fill("#end_date", (today + timedelta(days=30)).isoformat())
    sponsor.fill("#budget", "5000")
    choose(sponsor, "visibility", "public")
    choose(sponsor, "status", "active")
    sponsor.click("#campaign-submit")
    expect(sponsor).to_have_url(re.compile(r"/sponsor/campaigns/\d+$"))
    expect(sponsor.locator("#campaign-heading")).to_have_text("Overnight Oats Week")
    campaign_path = sponsor.url.split("//", 1)[1].split("/", 1)[1]
    shot(sponsor, "collab-campaign")

    # The influencer finds it by the brand's name and a word of its niche (a word prefix).
    goto(creator, "/influencer/campaigns")
    creator.fill("#text", "peak")
    creator.fill("#niche", "oat")
    creator.click("#search-submit")
    expect(creator.locator("#result-count")).to_have_text("1 match")
    expect(creator.get_by_role("link", name="Overnight Oats Week")).to_be_visible()
    shot(creator, "collab-find-campaigns")

    # The influencer waits on its requests page; the sponsor finds it and sends a request.
    goto(creator, "/influencer/requests")
    goto(sponsor, "/sponsor/discover")
    sponsor.fill("#text", "Olivia")
    sponsor.click("#search-submit")
    expect(sponsor.locator("#result-count")).to_have_text("1 match")
    shot(sponsor, "collab-discover")
    sponsor.get_by_role("link", name="Oat Olivia").click()
    expect(sponsor.locator("#profile-heading")).to_have_text("Oat Olivia")
    expect(sponsor.locator("#fit-score")).to_be_visible()
    # The parts' points add up to the badge; the niche "breakfast" shares one of the campaign's two
    # niche words: 0.7 for the category plus 2/3 of the 0.3 for the niche = 27 of 30 points.
    points = sponsor.locator("#fit-parts tbody tr td:nth-child(3)")
    expect(points).to_have_count(5)
    expect(points.first).to_have_text("27")
    badge = int(sponsor.locator("#fit-score").inner_text().split("/")[0])
    assert sum(int(t) for t in points.all_inner_texts()) == badge
    sponsor.fill("#requirements", "One reel with the recipe")
    sponsor.fill("#deliverables", "1 reel")
    sponsor.fill("#payment", "800")
    sponsor.fill("#due_date", (today + timedelta(days=14)).isoformat())
    sponsor.fill("#message", "Would love to work with you!")
    shot(sponsor, "collab-influencer-profile")
    sponsor.click("#send-request")
    expect(sponsor).to_have_url(re.compile(r"/sponsor/requests/\d+$"))

    # Without a reload, the request appears for the influencer, with the bell count.
    row = creator.locator("tr", has_text="Overnight Oats Week")
    expect(row).to_be_visible(timeout=15_000)
    expect(creator.locator("#bell-count")).to_be_visible()
    row.get_by_role("link", name="Overnight Oats Week").click()
    expect(creator.locator("#current-payment")).to_have_text("$800.00")
    creator.fill("#amount", "1000")
    creator.fill("#message", "My rate for a reel is 1000.")
    creator.click("#counter-submit")
    expect(creator.locator("#current-payment")).to_have_text("$1,000.00")

    # The sponsor's open page shows the counter-offer live; it accepts.
    expect(sponsor.locator("#current-payment")).to_have_text("$1,000.00", timeout=15_000)
    expect(sponsor.locator("#ledger")).to_contain_text("My rate for a reel")
    sponsor.click("#accept")
    sponsor.click("#accept-confirm")  # the dialog's wording and Cancel: tests/e2e/test_phone_layout.py
    expect(sponsor.locator("#request-heading")).to_contain_text("accepted")

    # The influencer starts and submits the post.
    expect(creator.locator("#start")).to_be_visible(timeout=15_000)
    creator.click("#start")
    choose(creator, "platform_0", "instagram")
    creator.fill("#post_url_0", "https://instagram.com/p/oats123")
    creator.click("#submit-post")
    expect(creator.locator("#request-heading")).to_contain_text("submitted")

    # The sponsor approves and pays.
    expect(sponsor.locator("#approve")).to_be_visible(timeout=15_000)
    sponsor.click("#approve")
    expect(sponsor.locator("#request-heading")).to_contain_text("completed")
    sponsor.fill("#amount", "1000")
    sponsor.fill("#paid_on", today.isoformat())
    sponsor.fill("#reference", "INV-1")
    sponsor.click("#pay-submit")
    sponsor.click("#pay-submit-confirm")
    expect(sponsor.locator("#paid-amount")).to_have_text("$1,000.00")
    shot(sponsor, "collab-request-sponsor")
    expect(creator.locator("#paid-amount")).to_have_text("$1,000.00", timeout=15_000)
    shot(creator, "collab-request-influencer")

    # Both dashboards show the new figures.
    goto(creator, "/influencer")
    expect(creator.get_by_text("$1,000.00").first).to_be_visible()
    shot(creator, "collab-dashboard-influencer")
    goto(sponsor, "/sponsor")
    expect(sponsor.get_by_text("$1,000.00 of $5,000.00")).to_be_visible()
    bar = sponsor.get_by_role("progressbar")  # the one active campaign's: drawn at 20%, not indeterminate
    expect(bar).to_have_count(1)
    expect(bar).to_have_attribute("aria-valuenow", "20")
    expect(bar).to_have_accessible_name("Overnight Oats Week")
    expect(bar).to_have_attribute("data-state", "loading")
    shot(sponsor, "collab-dashboard-sponsor")
    goto(sponsor, "/" + campaign_path)  # the campaign lists its request and the new budget figures
    expect(sponsor.locator("#campaign-requests")).to_contain_text("Oat Olivia")
    expect(sponsor.get_by_text("$4,000.00")).to_be_visible()  # remaining = 5,000 - 1,000 committed
    shot(sponsor, "collab-campaign-after")
