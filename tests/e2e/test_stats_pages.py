"""Performance statistics in the browser: an influencer enters a day's figures (a bad value is
refused next to its field, likes above views are saved with a visible warning), the admin's
"Refresh now" runs the rollup, the sponsor's campaign page shows the figures, ROI, CPM, CPE and
CPC, and the influencer's mixed CSV gets its accepted and rejected rows listed with reasons.
The date window drives every chart (spend and earnings too), a single day of figures is drawn
as bars, and on a 390 px phone the tables are cards that never scroll sideways."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from brandifiers.db import get_engine
from brandifiers.models import UserStatus
from brandifiers.services.accounts import auth
from brandifiers.services.deals import adrequests, campaigns
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, DESKTOP, PHONE, goto, login, shot

PASSWORD = "stats-password"
SPONSOR, CREATOR = "stats-brand@example.com", "stats-creator@example.com"
POST = "https://instagram.com/p/granola1"


def sponsor_and_creator(s: Session, sponsor_email: str, creator_email: str, password: str, company: str,
                        name: str, handle: str):
    """An approved sponsor and a Food influencer on Instagram, signed up through the real services."""
    sponsor = auth.signup_sponsor(s, {"email": sponsor_email, "password": password, "company_name": company,
                                      "industry": "Food"})
    sponsor.status = UserStatus.ACTIVE.value
    s.add(sponsor)
    creator = auth.signup_influencer(s, {"email": creator_email, "password": password, "display_name": name,
                                         "category": "Food", "niche": "snacks", "platform": "instagram",
                                         "handle": handle, "followers": "40000"})
    s.commit()
    return sponsor, creator


def make_world(db_url: str) -> int:
    """A sponsor's campaign with one request of one influencer, submitted: the campaign's id."""
    with Session(get_engine(db_url)) as s:
        sponsor, creator = sponsor_and_creator(s, SPONSOR, CREATOR, PASSWORD, "Crunch Co", "Stat Sam", "statsam")
        today = date.today()
        campaign = campaigns.create_campaign(s, sponsor.id, {
            "name": "Granola Launch", "category": "Food", "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=30)).isoformat(), "budget": "5000", "visibility": "public",
            "status": "active"})
        s.commit()
        request = adrequests.send_request(s, sponsor.id, campaign.id, creator.id, {
            "requirements": "One reel", "deliverables": "1 reel", "payment": "400", "message": "Hi"})
        s.commit()
        for step in (adrequests.accept_offer, adrequests.start_work):
            step(s, creator.id, request.id)
            s.commit()
        adrequests.submit_deliverables(s, creator.id, request.id, [
            {"platform": "instagram", "post_url": POST, "note": ""}])
        s.commit()
        return campaign.id


@pytest.fixture(scope="module")
def campaign_id(db_url) -> int:
    return make_world(db_url)


def days_ago(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()


def set_window(page, start: str, end: str) -> None:
    page.fill("#start", start)
    page.fill("#end", end)
    page.click("#range-apply")


def x_axis(page, chart: str):
    """The chart's drawing (recharts 3 draws the axis labels in a layer of their own)."""
    return page.locator(f"#{chart} .recharts-wrapper")


def settled_shot(page, name: str) -> None:
    """A screenshot once the charts have finished animating (after a load or a resize)."""
    page.wait_for_timeout(1600)
    shot(page, name)


def check_phone_tables(page, table_ids: list[str]) -> None:
    """At 390 px the tables are cards and nothing scrolls sideways; at desktop width, tables."""
    page.set_viewport_size(PHONE)
    for table_id in table_ids:
        expect(page.locator(f"#{table_id}")).to_be_hidden()
        expect(page.locator(f"#{table_id}-cards")).to_be_visible()
        assert page.locator(f"#{table_id}-cards").evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
    for table_id in table_ids:
        expect(page.locator(f"#{table_id}")).to_be_visible()
        expect(page.locator(f"#{table_id}-cards")).to_be_hidden()


def fill_day(page, figures: dict[str, str]) -> None:
    for name, value in figures.items():
        page.fill(f"#{name}", value)
    page.click("#day-submit")


def test_figures_flow_from_the_form_to_the_sponsors_campaign(new_page, campaign_id):
    today = date.today().isoformat()
    # Other modules' worlds share the database: the platform's views before this creator's day
    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/statistics")
    admin.click("#refresh-stats")
    expect(admin.locator("#last-refreshed")).not_to_have_text(re.compile("never"))
    before = int(admin.locator("#total-views").inner_text().replace(",", ""))

    creator = new_page()
    login(creator, CREATOR, PASSWORD, "/influencer")
    goto(creator, "/influencer/performance")
    expect(creator.locator("#last-refreshed")).to_have_text(re.compile(r"^Figures last refreshed \d{4}-"))
    creator.locator("#deliverable_id").click()
    creator.get_by_role("option", name=f"Granola Launch · {POST}").click()
    figures = {"day": today, "views": "2000", "likes": "3000", "comments": "20", "shares": "10", "saves": "20",
               "clicks": "50", "conversions": "4", "revenue": "600.00"}

    fill_day(creator, {**figures, "views": "lots"})  # refused next to its field
    expect(creator.locator("#error-views")).to_have_text("Views must be a whole number.")
    expect(creator.locator("#day-saved")).to_have_count(0)

    fill_day(creator, figures)  # likes above views: saved, with a visible warning
    expect(creator.locator("#day-saved")).to_contain_text("Saved the figures of " + today)
    expect(creator.locator(".day-warning")).to_contain_text("saves) are higher than views")
    shot(creator, "stats-influencer-warning")

    # The form re-mounted with the same post and today's date, ready for the next entry.
    expect(creator.locator("#deliverable_id")).to_contain_text(f"Granola Launch · {POST}")
    expect(creator.locator("#day")).to_have_value(today)
    expect(creator.locator("#views")).to_have_value("")
    fill_day(creator, {**figures, "likes": "150"})
    expect(creator.locator("#day-saved")).to_contain_text("Replaced the figures of " + today)
    expect(creator.locator(".day-warning")).to_have_count(0)

    goto(admin, "/admin/statistics")
    admin.click("#refresh-stats")
    expect(admin.locator("#total-views")).to_have_text(f"{before + 2000:,}")
    expect(admin.locator("#category-table")).to_contain_text("Food")
    settled_shot(admin, "stats-admin")
    admin.set_viewport_size(PHONE)
    settled_shot(admin, "stats-admin-phone")

    sponsor = new_page()
    login(sponsor, SPONSOR, PASSWORD, "/sponsor")
    goto(sponsor, f"/sponsor/campaigns/{campaign_id}")
    sponsor.click("#campaign-performance")
    expect(sponsor).to_have_url(re.compile(rf"/sponsor/campaigns/{campaign_id}/stats$"))
    expect(sponsor.locator("#stats-heading")).to_have_text("Granola Launch")
    expect(sponsor.locator("#period-views")).to_have_text("2,000")
    expect(sponsor.locator("#period-engagements")).to_have_text("200")
    expect(sponsor.locator("#period-er_views")).to_have_text("10.0%")
    # spend $400 (the agreed payment), revenue $600: ROI 50%, CPM 400/2000*1000, CPE 400/200, CPC 400/50
    expect(sponsor.locator("#total-roi")).to_have_text("50.0%")
    expect(sponsor.locator("#total-cpm")).to_have_text("$200.00")
    expect(sponsor.locator("#total-cpe")).to_have_text("$2.00")
    expect(sponsor.locator("#total-cpc")).to_have_text("$8.00")
    # All time holds one day (figures and the acceptance are today's): labelled bars, not lone dots.
    expect(sponsor.locator("#chart-days .recharts-bar")).to_have_count(2)
    expect(sponsor.locator("#chart-days .recharts-label-list")).to_contain_text(["2,000", "200"])  # grouped
    expect(sponsor.locator("#chart-days .recharts-cartesian-axis-tick-value")).to_contain_text(["2K"])  # compact
    expect(sponsor.locator("#chart-spend .recharts-bar")).to_have_count(2)
    expect(sponsor.locator("#chart-days .recharts-line")).to_have_count(0)
    expect(sponsor.locator("#influencer-ranking")).to_contain_text("Stat Sam")
    expect(sponsor.locator("#influencer-ranking")).to_contain_text("50.0%")
    # The corrected likes replaced the first entry: nothing to flag.
    expect(sponsor.locator("#anomalies")).to_contain_text("No anomaly found.")
    settled_shot(sponsor, "stats-sponsor-campaign")

    sponsor.set_viewport_size(PHONE)
    expect(sponsor.locator("#influencer-ranking-cards")).to_contain_text("#1 Stat Sam")
    settled_shot(sponsor, "stats-sponsor-campaign-phone")
    check_phone_tables(sponsor, ["influencer-ranking"])

    # The date window: a period without figures shows empty charts, "All time" brings them back.
    set_window(sponsor, "2020-01-01", "2020-01-31")
    expect(sponsor.locator("#period-views")).to_have_text("0")
    expect(sponsor.locator("#period-er_views")).to_have_text("-")
    sponsor.click("#range-all")
    expect(sponsor.locator("#period-views")).to_have_text("2,000")

    # A week that ends yesterday: no figures, and the spend line (acceptance today) stays at 0
    # over exactly that week instead of showing today's $400.
    set_window(sponsor, days_ago(6), days_ago(1))
    expect(sponsor.locator("#period-views")).to_have_text("0")
    expect(sponsor.locator("#chart-days")).to_contain_text("No figures in this period yet.")
    expect(sponsor.locator("#chart-spend .recharts-line")).to_have_count(2)
    expect(x_axis(sponsor, "chart-spend")).to_contain_text(days_ago(6))
    expect(x_axis(sponsor, "chart-spend")).to_contain_text(days_ago(1))
    expect(x_axis(sponsor, "chart-spend")).not_to_contain_text(days_ago(0))
    settled_shot(sponsor, "stats-sponsor-window-before")

    # A week that ends today: the one day of figures sits on a seven-day axis with zeros around it,
    # and the spend steps from 0 to $400 today.
    set_window(sponsor, days_ago(6), days_ago(0))
    expect(sponsor.locator("#period-views")).to_have_text("2,000")
    expect(sponsor.locator("#chart-days .recharts-line")).to_have_count(2)
    expect(sponsor.locator("#chart-spend .recharts-line")).to_have_count(2)
    expect(x_axis(sponsor, "chart-days")).to_contain_text(days_ago(6))
    expect(x_axis(sponsor, "chart-spend")).to_contain_text(days_ago(0))
    settled_shot(sponsor, "stats-sponsor-window-week")
    sponsor.set_viewport_size(PHONE)
    settled_shot(sponsor, "stats-sponsor-window-week-phone")
    sponsor.set_viewport_size(DESKTOP)

    goto(sponsor, "/sponsor/performance")
    expect(sponsor.locator("#portfolio-campaigns")).to_contain_text("Granola Launch")
    expect(sponsor.locator("#total-roi")).to_have_text("50.0%")
    settled_shot(sponsor, "stats-sponsor-portfolio")
    sponsor.set_viewport_size(PHONE)
    settled_shot(sponsor, "stats-sponsor-portfolio-phone")
    check_phone_tables(sponsor, ["portfolio-campaigns", "deliverable-ids"])

    check_phone_tables(admin, ["category-table", "month-table"])

    # The influencer's earnings obey the window too: nothing earned by yesterday, $400 today.
    goto(creator, "/influencer/performance")
    expect(creator.locator("#chart-earnings .recharts-bar")).to_have_count(1)  # one day: a bar
    set_window(creator, days_ago(6), days_ago(1))
    expect(creator.locator("#chart-earnings")).to_contain_text("Nothing earned by the end of this period.")
    set_window(creator, days_ago(3), days_ago(0))
    expect(creator.locator("#chart-earnings .recharts-line")).to_have_count(1)
    expect(x_axis(creator, "chart-earnings")).to_contain_text(days_ago(3))
    expect(creator.locator("#chart-views .recharts-line")).to_have_count(1)
    settled_shot(creator, "stats-influencer-window")
    creator.set_viewport_size(PHONE)
    settled_shot(creator, "stats-influencer-window-phone")


def test_influencer_uploads_a_mixed_csv(new_page, campaign_id):
    page = new_page()
    login(page, CREATOR, PASSWORD, "/influencer")
    goto(page, "/influencer/performance")
    with page.expect_download() as download:
        page.click("#csv-template")
    header = Path(download.value.path()).read_text()
    assert header == "deliverable_id,day,views,likes,comments,shares,saves,clicks,conversions,revenue\n"
    ids = page.locator("#deliverable-ids tbody tr td").first
    deliverable_id = ids.inner_text().strip()
    today, yesterday = date.today().isoformat(), (date.today() - timedelta(days=1)).isoformat()
    csv = ("deliverable_id,day,views,likes,comments,shares,saves,clicks,conversions,revenue\n"
           f"{deliverable_id},{today},2100,2500,20,10,20,55,4,610.00\n"
           f"99999,{today},1,1,1,1,1,1,1,1\n"
           f"{deliverable_id},{yesterday},1,1,1,1,1,1,1,1\n"
           f"{deliverable_id},{today},abc,1,1,1,1,1,1,1\n")
    # A spreadsheet is refused by the drop zone itself: the message is next to the field.
    page.locator("#figures-upload input[type=file]").set_input_files(
        files=[{"name": "figures.xlsx", "mimeType": "application/vnd.ms-excel", "buffer": b"PK\x03\x04"}])
    expect(page.locator("#error-file")).to_have_text(
        "figures.xlsx was not accepted: choose a .csv file (the template is one) of at most 5 MB.")
    page.locator("#figures-upload input[type=file]").set_input_files(
        files=[{"name": "figures.csv", "mimeType": "text/csv", "buffer": csv.encode()}])
    expect(page.get_by_text("figures.csv", exact=True)).to_be_visible()
    page.click("#mode-valid")
    page.click("#csv-submit")
    expect(page.locator("#csv-summary")).to_contain_text("3 rejected")
    accepted, rejected = page.locator("#csv-accepted"), page.locator("#csv-rejected")
    expect(accepted).to_contain_text("Row 2")
    expect(accepted).to_contain_text(f"Deliverable {deliverable_id}, {today}: 2,100 views")
    expect(accepted).to_contain_text("saves) are higher than views")  # accepted, with its warning
    expect(rejected).to_contain_text("Row 3")
    expect(rejected).to_contain_text("Unknown deliverable 99999: not one of yours.")
    expect(rejected).to_contain_text("Row 4")
    expect(rejected).to_contain_text("must be within the campaign")
    expect(rejected).to_contain_text("Row 5")
    expect(rejected).to_contain_text("Views must be a whole number.")
    expect(page.locator("#csv-summary")).to_contain_text("1 row(s) written")
    shot(page, "stats-influencer-csv")
    page.set_viewport_size(PHONE)
    shot(page, "stats-influencer-csv-phone")

    # The sponsor's campaign page flags the imported row (its anomaly list reads the raw rows).
    sponsor = new_page()
    login(sponsor, SPONSOR, PASSWORD, "/sponsor")
    goto(sponsor, f"/sponsor/campaigns/{campaign_id}/stats")
    flags = sponsor.locator("#anomalies")
    expect(flags).to_contain_text("Engagements above views")
    expect(flags).to_contain_text("Rule: A day's engagements (likes + comments + shares + saves) exceed its views.")
    expect(flags).to_contain_text("Stat Sam")
    expect(flags).to_contain_text(f"2,550 engagements (2,500 likes) but only 2,100 views on {today} (csv-import)")
    shot(sponsor, "stats-sponsor-anomaly")

    # The admin's platform list is stored (recomputed by a job, or at once by Refresh now while it
    # is quick to compute): after Refresh now it holds the row, and says when it was computed.
    admin = new_page()
    login(admin, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin")
    goto(admin, "/admin/statistics")
    admin.click("#refresh-stats")
    expect(admin.locator("#anomalies")).to_contain_text(
        f"2,550 engagements (2,500 likes) but only 2,100 views on {today} (csv-import)")
    expect(admin.locator("#anomalies-hint")).to_contain_text("Computed ")
    expect(admin.locator("#anomalies-hint")).to_contain_text("last 14 days")
    settled_shot(admin, "stats-admin-anomalies")
