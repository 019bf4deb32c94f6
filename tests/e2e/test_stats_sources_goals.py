"""Goals and the source of figures in the browser: an influencer enters two days (500 likes on 100 views
on one), sees them on My figures as "reported by you" and corrects one (a bad value refused next to its
field); after a refresh the sponsor's campaign statistics show each goal's figure, target, percent and
bar value, conversions, the day rows with their source and the anomaly with its rule; the dashboard
lists the goals; a campaign without goals shows no Goals heading. Desktop and 390 px.
Named to run after test_stats_pages.py, which expects the rollups never refreshed at its start."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from brandifiers.db import get_engine
from brandifiers.models import Campaign
from brandifiers.services.deals import adrequests, campaigns
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, goto, login, shot
from tests.e2e.test_stats_pages import sponsor_and_creator

PASSWORD = "goals-password"
SPONSOR, CREATOR = "goals-brand@example.com", "goals-creator@example.com"
POSTS = {"Goal Camp": "https://instagram.com/p/goal1", "Plain Camp": "https://instagram.com/p/plain1"}


def make_world(db_url: str) -> dict[str, int]:
    """Two active campaigns of one sponsor (one with goals, one without), each with a submitted post
    of one influencer, running since 10 days ago: {campaign name: id}."""
    today = date.today()
    with Session(get_engine(db_url)) as s:
        sponsor, creator = sponsor_and_creator(s, SPONSOR, CREATOR, PASSWORD, "Goal Foods", "Goal Gail", "goalgail")
        ids = {}
        for name, targets in (("Goal Camp", {"target_views": "1000", "target_engagements": "500",
                                             "target_conversions": "10"}), ("Plain Camp", {})):
            c = campaigns.create_campaign(s, sponsor.id, {
                "name": name, "category": "Food", "start_date": today.isoformat(),
                "end_date": (today + timedelta(days=30)).isoformat(), "budget": "5000", "visibility": "public",
                "status": "active", **targets})
            s.commit()
            request = adrequests.send_request(s, sponsor.id, c.id, creator.id, {
                "requirements": "One reel", "deliverables": "1 reel", "payment": "300", "message": "Hi"})
            s.commit()
            for step in (adrequests.accept_offer, adrequests.start_work):
                step(s, creator.id, request.id)
                s.commit()
            adrequests.submit_deliverables(s, creator.id, request.id, [
                {"platform": "instagram", "post_url": POSTS[name], "note": ""}])
            s.commit()
            row = s.get(Campaign, c.id)
            row.start_date = today - timedelta(days=10)  # so yesterday can carry figures
            s.add(row)
            s.commit()
            ids[name] = c.id
        return ids


@pytest.fixture(scope="module")
def camps(db_url) -> dict[str, int]:
    return make_world(db_url)


def enter_day(page, post: str, figures: dict[str, str]) -> None:
    page.locator("#deliverable_id").click()
    page.get_by_role("option", name=post).click()
    for name, value in figures.items():
        page.fill(f"#{name}", value)
    page.click("#day-submit")


def test_goals_sources_corrections_and_the_anomaly_rule(new_page, camps):
    today, yesterday = date.today().isoformat(), (date.today() - timedelta(days=1)).isoformat()
    creator = new_page()
    login(creator, CREATOR, PASSWORD, "/influencer")
    goto(creator, "/influencer/performance")
    goal_post = f"Goal Camp · {POSTS['Goal Camp']}"
    enter_day(creator, goal_post, {"day": yesterday, "views": "100", "likes": "500"})  # the anomaly
    expect(creator.locator("#day-saved")).to_contain_text("Saved the figures of " + yesterday)
    expect(creator.locator(".day-warning")).to_contain_text("saves) are higher than views")
    enter_day(creator, goal_post, {"day": today, "views": "300", "likes": "50", "conversions": "3"})
    expect(creator.locator("#day-saved")).to_contain_text("Saved the figures of " + today)

    # My figures: both days, "reported by you"; correct today's (a bad value first).
    creator.click("#figures-link")
    expect(creator).to_have_url(re.compile(r"/influencer/figures$"))
    table = creator.locator("#my-figures")
    expect(table.locator("tr", has_text=today)).to_contain_text("reported by you")
    expect(table.locator("tr", has_text=yesterday)).to_contain_text("reported by you")
    expect(table.locator("tr", has_text=today)).to_contain_text("300")
    table.locator("tr", has_text=today).get_by_role("button", name="Correct").click()
    form = creator.locator("#correction-form")
    expect(form).to_contain_text("Correct the figures of " + today)
    expect(creator.locator("#views")).to_have_value("300")
    creator.fill("#views", "3OO")
    creator.click("#correction-submit")
    expect(creator.locator("#error-views")).to_have_text("Views must be a whole number.")
    creator.fill("#views", "350")
    creator.fill("#likes", "60")
    creator.fill("#conversions", "4")
    creator.click("#correction-submit")
    expect(creator.locator("#correction-saved")).to_contain_text("Corrected the figures of " + today)
    expect(table.locator("tr", has_text=today)).to_contain_text("350")
    expect(table.locator("tr", has_text=today)).to_contain_text("reported by you")
    shot(creator, "figures-influencer")
    creator.set_viewport_size(PHONE)
    expect(creator.locator("#my-figures-cards")).to_contain_text("reported by you")
    assert creator.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(creator, "figures-influencer-phone")

    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/statistics")
    admin.click("#refresh-stats")
    expect(admin.locator("#last-refreshed")).not_to_have_text(re.compile("never"))
    expect(admin.locator("#anomalies")).to_contain_text(
        f"500 engagements (500 likes) but only 100 views on {yesterday} (creator-reported)")

    # The sponsor's statistics: views 100 + 350 = 450 of 1,000 (45%); engagements 500 + 60 = 560 of
    # 500 (112%, the bar full); conversions 0 + 4 = 4 of 10 (40%).
    sponsor = new_page()
    login(sponsor, SPONSOR, PASSWORD, "/sponsor")
    goto(sponsor, f"/sponsor/campaigns/{camps['Goal Camp']}/stats")
    expect(sponsor.locator("#stats-heading")).to_have_text("Goal Camp")
    goals = sponsor.locator("#goals")
    expect(goals.get_by_role("heading", name="Goals")).to_be_visible()
    expect(sponsor.locator("#goal-views")).to_contain_text("450 of 1,000 (45%)")
    expect(sponsor.locator("#goal-engagements")).to_contain_text("560 of 500 (112%)")
    expect(sponsor.locator("#goal-conversions")).to_contain_text("4 of 10 (40%)")
    expect(goals.get_by_role("progressbar", name="Views")).to_have_attribute("aria-valuenow", "45")
    expect(goals.get_by_role("progressbar", name="Engagements")).to_have_attribute("aria-valuenow", "100")
    expect(goals.get_by_role("progressbar", name="Conversions")).to_have_attribute("aria-valuenow", "40")
    expect(sponsor.locator("#period-conversions")).to_have_text("4")
    days = sponsor.locator("#day-table")
    expect(days.locator("tr", has_text=yesterday)).to_contain_text("reported by the creator")
    expect(days.locator("tr", has_text=today)).to_contain_text("350")
    expect(days.locator("tr", has_text=today)).to_contain_text("reported by the creator")
    flags = sponsor.locator("#anomalies")
    expect(flags).to_contain_text("Engagements above views")
    expect(flags).to_contain_text("Rule: A day's engagements (likes + comments + shares + saves) exceed its views.")
    expect(flags).to_contain_text(f"500 engagements (500 likes) but only 100 views on {yesterday} (creator-reported)")
    sponsor.wait_for_timeout(1600)  # the charts' animation
    shot(sponsor, "goals-campaign-stats")
    sponsor.set_viewport_size(PHONE)
    expect(sponsor.locator("#day-table-cards")).to_contain_text("reported by the creator")
    expect(sponsor.locator("#goal-views")).to_be_visible()
    assert sponsor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(sponsor, "goals-campaign-stats-phone")
    sponsor.set_viewport_size({"width": 1280, "height": 800})

    # A campaign without goals: no Goals heading at all.
    goto(sponsor, f"/sponsor/campaigns/{camps['Plain Camp']}/stats")
    expect(sponsor.locator("#stats-heading")).to_have_text("Plain Camp")
    expect(sponsor.locator("#period-cards")).to_be_visible()
    expect(sponsor.locator("#goals")).to_have_count(0)
    expect(sponsor.get_by_role("heading", name="Goals")).to_have_count(0)

    # The portfolio's day rows name their source too.
    goto(sponsor, "/sponsor/performance")
    expect(sponsor.locator("#day-table").locator("tr", has_text=yesterday)).to_contain_text("reported by the creator")

    # The dashboard: the goals of its active campaigns (the one with goals only).
    goto(sponsor, "/sponsor")
    box = sponsor.locator("#dashboard-goals")
    expect(box).to_contain_text("Goal Camp · Views")
    expect(box).to_contain_text("450 of 1,000 (45%)")
    expect(box).to_contain_text("4 of 10 (40%)")
    expect(box).not_to_contain_text("Plain Camp")
    expect(box.get_by_role("progressbar", name="Goal Camp · Views")).to_have_attribute("aria-valuenow", "45")
    shot(sponsor, "goals-dashboard")
    sponsor.set_viewport_size(PHONE)
    expect(box).to_contain_text("450 of 1,000 (45%)")
    shot(sponsor, "goals-dashboard-phone")
