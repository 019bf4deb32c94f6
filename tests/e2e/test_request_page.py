"""The influencer profile's campaign choice (preset from the campaign the sponsor came from, else its newest
running public one; changeable, and what is sent follows it) and the request page's submissions: two
posts with notes in one submission (phone width), a revision, the resubmission replacing the old posts,
approval and payment, and the revision banner gone."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect
from sqlmodel import Session, select

from brandifiers.db import get_engine
from brandifiers.models import Campaign, UserStatus
from brandifiers.services.accounts import auth
from brandifiers.services.deals import adrequests, campaigns
from tests.e2e.conftest import PHONE, choose, goto, login, shot

PASSWORD = "request-page-password"
SPONSOR, CREATOR = "spoons-brand@example.com", "rita-recipes@example.com"


def make_world(db_url: str) -> dict[str, int]:
    """Three campaigns, oldest first: Winter Stew (running, public), Spring Soup Fest (running, public,
    the newest such), Hidden Draft (private draft, the newest of all: what the profile used to preset)."""
    today = date.today()
    with Session(get_engine(db_url)) as s:
        sponsor = auth.signup_sponsor(s, {"email": SPONSOR, "password": PASSWORD, "company_name": "Sunny Spoons",
                                          "industry": "Food"})
        sponsor.status = UserStatus.ACTIVE.value
        s.add(sponsor)
        creator = auth.signup_influencer(s, {"email": CREATOR, "password": PASSWORD, "display_name": "Rita Recipes",
                                             "category": "Food", "niche": "soups", "platform": "instagram",
                                             "handle": "ritarecipes", "followers": "40000"})
        s.commit()
        for name, category, niche, visibility, status in (
                ("Winter Stew", "Lifestyle", "slow cooking", "public", "active"),
                ("Spring Soup Fest", "Food", "soups", "public", "active"),
                ("Hidden Draft", "Beauty", "", "private", "draft")):
            campaigns.create_campaign(s, sponsor.id, {
                "name": name, "description": "Recipes with our spoons", "category": category, "niche": niche,
                "goals": "", "target_views": "", "target_engagements": "", "target_conversions": "",
                "start_date": (today - timedelta(days=1)).isoformat(),
                "end_date": (today + timedelta(days=40)).isoformat(), "budget": "9000", "visibility": visibility,
                "status": status})
            s.commit()
        ids = {c.name: c.id for c in s.exec(select(Campaign).where(Campaign.sponsor_id == sponsor.id))}
        return {**ids, "sponsor": sponsor.id, "creator": creator.id}


def test_profile_campaign_choice_and_a_two_post_submission_with_a_revision(new_page, db_url):
    world = make_world(db_url)
    today = date.today()
    sponsor, creator = new_page(), new_page(viewport=PHONE)
    login(sponsor, SPONSOR, PASSWORD, "/sponsor")
    login(creator, CREATOR, PASSWORD, "/influencer")

    # From a campaign's "find influencers" search, the profile opens on that campaign.
    goto(sponsor, f"/sponsor/discover?campaign={world['Winter Stew']}")
    sponsor.fill("#text", "Rita Recipes")  # test_admin_users has a Rita too
    sponsor.click("#search-submit")
    expect(sponsor.locator("#result-count")).to_have_text("1 match")
    sponsor.get_by_role("link", name="Rita Recipes").click()
    profile = f"/sponsor/influencers/{world['creator']}"
    expect(sponsor).to_have_url(re.compile(re.escape(f"{profile}?campaign={world['Winter Stew']}") + "$"))
    expect(sponsor.locator("#fit-campaign")).to_have_text("Winter Stew")
    expect(sponsor.locator("#send-campaign")).to_have_text("For the campaign: Winter Stew")
    expect(sponsor.locator("#fit-score")).to_be_visible()
    winter_fit = sponsor.locator("#fit-score").inner_text()

    # Opened directly: the newest running public campaign, not the newer private draft.
    goto(sponsor, profile)
    expect(sponsor.locator("#fit-campaign")).to_have_text("Spring Soup Fest")
    expect(sponsor.get_by_label("Campaign", exact=True)).to_have_text("Spring Soup Fest")  # the select's label
    expect(sponsor.locator("#fit-score")).not_to_have_text(winter_fit)  # category and niche match here
    spring_fit = sponsor.locator("#fit-score").inner_text()
    shot(sponsor, "request-profile-preset")
    # Changed before sending: the score and the request follow the choice.
    choose(sponsor, "fit-campaign", "Winter Stew")
    expect(sponsor.locator("#send-campaign")).to_have_text("For the campaign: Winter Stew")
    expect(sponsor.locator("#fit-score")).to_have_text(winter_fit)
    assert winter_fit != spring_fit
    sponsor.fill("#deliverables", "1 reel + 1 video")
    sponsor.fill("#payment", "1200")
    sponsor.click("#send-request")
    expect(sponsor).to_have_url(re.compile(r"/sponsor/requests/\d+$"))
    expect(sponsor.locator("#request-heading")).to_contain_text("Winter Stew")
    request_id = int(sponsor.url.rsplit("/", 1)[1])
    with Session(get_engine(db_url)) as s:  # the negotiation is covered by test_collaboration
        adrequests.accept_offer(s, world["creator"], request_id)
        adrequests.start_work(s, world["creator"], request_id)
        s.commit()

    # The influencer (phone) lists two posts with notes in one submission; a bad row is refused next to it.
    goto(creator, f"/influencer/requests/{request_id}")
    choose(creator, "platform_0", "instagram")
    creator.fill("#post_url_0", "https://instagram.com/p/stew1")
    creator.fill("#note_0", "Reel went live at 7 pm")
    creator.click("#add-post")
    choose(creator, "platform_1", "tiktok")
    creator.fill("#post_url_1", "https://instagram.com/p/not-tiktok")
    creator.fill("#note_1", "Short cut of the reel")
    creator.click("#submit-post")
    expect(creator.locator("#error-post_url_1")).to_contain_text("tiktok")
    expect(creator.locator("#error-post_url_0")).to_have_count(0)
    expect(creator.locator("#submissions")).to_have_count(0)  # nothing was written
    creator.fill("#post_url_1", "https://www.tiktok.com/@ritarecipes/video/1")
    shot(creator, "request-two-post-form-phone")
    creator.click("#submit-post")
    expect(creator.locator("#request-heading")).to_contain_text("submitted")
    posts = creator.locator("#submissions .submitted-post")
    expect(posts).to_have_count(2)
    expect(posts.nth(0)).to_contain_text("Note: Reel went live at 7 pm")
    expect(posts.nth(1)).to_contain_text("Note: Short cut of the reel")

    # The sponsor sees both posts with their notes and asks for a revision.
    goto(sponsor, f"/sponsor/requests/{request_id}")
    current = sponsor.locator("#submissions .submission").first
    expect(current).to_contain_text("https://instagram.com/p/stew1")
    expect(current).to_contain_text("Note: Reel went live at 7 pm")
    expect(current).to_contain_text("https://www.tiktok.com/@ritarecipes/video/1")
    expect(current).to_contain_text("Note: Short cut of the reel")
    sponsor.fill("#revision_note", "Please tag @sunnyspoons in the reel")
    sponsor.click("#revise-submit")
    expect(sponsor.locator("#revision-banner")).to_have_text("Revision requested: Please tag @sunnyspoons in the reel")

    # The influencer sees the banner, edits the prefilled rows and resubmits.
    expect(creator.locator("#revision-banner")).to_contain_text("Please tag @sunnyspoons", timeout=15_000)
    expect(creator.locator("#post_url_1")).to_have_value("https://www.tiktok.com/@ritarecipes/video/1")
    creator.fill("#post_url_0", "https://instagram.com/p/stew2")
    creator.fill("#note_0", "Reposted with the tag")
    creator.click("#submit-post")
    expect(creator.locator("#request-heading")).to_contain_text("submitted")
    expect(creator.locator("#revision-banner")).to_have_count(0)
    shot(creator, "request-resubmitted-phone")

    # The sponsor: the earlier submission is history, marked replaced; approve, pay; no banner.
    subs = sponsor.locator("#submissions .submission")
    expect(subs).to_have_count(2, timeout=15_000)
    expect(subs.nth(0)).to_contain_text("https://instagram.com/p/stew2")
    expect(subs.nth(0)).to_contain_text("Note: Reposted with the tag")
    expect(subs.nth(0)).to_contain_text("current")
    expect(subs.nth(1)).to_contain_text("https://instagram.com/p/stew1")
    expect(subs.nth(1)).to_contain_text("Sent back for revision: Please tag @sunnyspoons in the reel")
    old_posts = subs.nth(1).locator(".submitted-post")  # the reel was replaced; the clip is still current
    expect(old_posts.nth(0)).to_contain_text("not in the current submission")
    expect(old_posts.nth(1)).not_to_contain_text("not in the current submission")
    expect(subs.nth(1).locator(".replaced-by")).to_have_text(
        re.compile(r"^Replaced by the submission of \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$"))
    sponsor.click("#approve")
    expect(sponsor.locator("#request-heading")).to_contain_text("completed")
    sponsor.fill("#amount", "1200")
    sponsor.fill("#paid_on", today.isoformat())
    sponsor.click("#pay-submit")
    sponsor.click("#pay-submit-confirm")
    expect(sponsor.locator("#paid-amount")).to_have_text("$1,200.00")
    expect(sponsor.get_by_text("Revision requested")).to_have_count(0)
    shot(sponsor, "request-after-revision-sponsor")
    goto(creator, f"/influencer/requests/{request_id}")
    expect(creator.locator("#paid-amount")).to_have_text("$1,200.00")
    expect(creator.get_by_text("Revision requested")).to_have_count(0)
    expect(creator.locator("#submissions .replaced-by")).to_have_count(1)
    shot(creator, "request-after-revision-phone")
