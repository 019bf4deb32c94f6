"""The scale-out deployment in Chromium: two parties served by different web workers agree a request,
the other party's open tab follows live, an export built by one worker downloads through another, the
separate scheduler's rollup reaches the pages, and Ctrl-C stops every process."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import psutil
import sqlalchemy as sa
from playwright.sync_api import expect
from sqlmodel import Session

from brandifiers.db import get_engine
from brandifiers.models import UserStatus
from brandifiers.services.accounts import auth
from brandifiers.services.deals import adrequests, campaigns
from tests.e2e.conftest import shot
from tests.e2e_multiworker.conftest import WORKERS

PASSWORD = "scale-password"
POST = "https://instagram.com/p/scaleout1"


@dataclass
class Pair:
    sponsor: str  # e-mail
    creator: str  # e-mail
    sponsor_id: int
    influencer_id: int
    campaign_id: int
    request_id: int = 0


def make_pair(db_url: str, tag: str, company: str, creator_name: str, campaign: str, *,
              request_payment: str | None = None) -> Pair:
    """An active sponsor with one active public campaign and an influencer; a request of the sponsor's
    at `request_payment` when given."""
    today = date.today()
    with Session(get_engine(db_url)) as s:
        sponsor = auth.signup_sponsor(s, {"email": f"{tag}-brand@example.com", "password": PASSWORD,
                                          "company_name": company, "industry": "Food"})
        sponsor.status = UserStatus.ACTIVE.value
        s.add(sponsor)
        creator = auth.signup_influencer(s, {"email": f"{tag}-creator@example.com", "password": PASSWORD,
                                             "display_name": creator_name, "category": "Food", "niche": "tea",
                                             "platform": "instagram", "handle": f"{tag}creator",
                                             "followers": "30000"})
        s.commit()
        c = campaigns.create_campaign(s, sponsor.id, {
            "name": campaign, "category": "Food", "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=30)).isoformat(), "budget": "5000", "visibility": "public",
            "status": "active"})
        s.commit()
        pair = Pair(sponsor.email, creator.email, sponsor.id, creator.id, c.id)
        if request_payment:
            pair.request_id = adrequests.send_request(s, sponsor.id, c.id, creator.id, {
                "requirements": "One reel", "deliverables": "1 reel", "payment": request_payment,
                "message": "Hello"}).id
            s.commit()
        return pair


def test_two_parties_on_two_workers_agree_a_request(scale_out, new_page):
    workers = scale_out.web_workers()
    assert len(workers) == WORKERS and scale_out.scheduler().pid not in {w.pid for w in workers}
    p = make_pair(scale_out.db_url, "two", "Two Rivers Tea", "Tea Theo", "Winter Tea Week")
    sponsor = new_page()
    scale_out.sign_in(sponsor, p.sponsor, PASSWORD, "/sponsor")
    scale_out.visit(sponsor, f"/sponsor/influencers/{p.influencer_id}")
    expect(sponsor.locator("#profile-heading")).to_have_text("Tea Theo")
    sponsor.fill("#requirements", "One reel brewing the tea")
    sponsor.fill("#deliverables", "1 reel")
    sponsor.fill("#payment", "750")
    sponsor.fill("#due_date", (date.today() + timedelta(days=10)).isoformat())
    sponsor.fill("#message", "Our winter blend needs you.")
    sponsor.click("#send-request")
    expect(sponsor).to_have_url(re.compile(r"/sponsor/requests/\d+$"))
    expect(sponsor.locator("#request-heading")).to_contain_text("pending")
    expect(sponsor.locator("#current-payment")).to_have_text("$750.00")
    sponsor_worker = scale_out.worker_of(sponsor)

    # The influencer's browser is served by the other worker; the state of each lives in Redis.
    creator = new_page()
    scale_out.sign_in(creator, p.creator, PASSWORD, "/influencer")
    scale_out.visit(creator, "/influencer/requests")  # (a page load opens a new socket: choose the worker after it)
    creator_worker = scale_out.reconnect_elsewhere(creator, sponsor_worker)
    row = creator.locator("tr", has_text="Winter Tea Week")
    expect(row).to_contain_text("Two Rivers Tea")
    expect(row).to_contain_text("pending")
    expect(row).to_contain_text("$750.00")
    row.get_by_role("link", name="Winter Tea Week").click()
    expect(creator.locator("#current-payment")).to_have_text("$750.00")
    expect(creator.locator("#ledger")).to_contain_text("Our winter blend needs you.")
    creator.click("#accept")
    creator.click("#accept-confirm")  # accepting asks first (tests/e2e/test_phone_layout.py)
    expect(creator.locator("#request-heading")).to_contain_text("accepted")
    assert scale_out.worker_of(creator) == creator_worker != scale_out.worker_of(sponsor)
    shot(creator, "scale-influencer-accepted")

    # The sponsor reads the agreed request (and its bell) on whichever worker a reload lands.
    scale_out.reload(sponsor)
    expect(sponsor.locator("#request-heading")).to_contain_text("accepted")
    expect(sponsor.locator("#current-payment")).to_have_text("$750.00")
    expect(sponsor.locator("#bell-count")).to_have_text("1")
    shot(sponsor, "scale-sponsor-accepted")


def test_the_sponsors_open_tab_follows_the_influencers_counter_offer(scale_out, new_page):
    p = make_pair(scale_out.db_url, "live", "Live Leaf Co", "Lina Leaf", "Green Tea Month", request_payment="600")
    sponsor = new_page()
    scale_out.sign_in(sponsor, p.sponsor, PASSWORD, "/sponsor")
    scale_out.visit(sponsor, "/sponsor/requests")
    row = sponsor.locator("tr", has_text="Green Tea Month")
    expect(row).to_contain_text("pending")
    expect(row).to_contain_text("$600.00")
    expect(sponsor.locator("#bell-count")).to_have_count(0)
    sponsor_worker = scale_out.worker_of(sponsor)

    creator = new_page()
    scale_out.sign_in(creator, p.creator, PASSWORD, "/influencer")
    scale_out.visit(creator, f"/influencer/requests/{p.request_id}")
    scale_out.reconnect_elsewhere(creator, sponsor_worker)
    creator.fill("#amount", "900")
    creator.fill("#message", "Two reels for 900?")
    creator.click("#counter-submit")
    expect(creator.locator("#current-payment")).to_have_text("$900.00")

    # No reload on the sponsor's side: its open tab shows the new status, amount and bell count.
    expect(row).to_contain_text("negotiating", timeout=10_000)
    expect(row).to_contain_text("$900.00")
    expect(row).to_contain_text("your turn")
    expect(sponsor.locator("#bell-count")).to_have_text("1", timeout=10_000)
    sponsor.click("#bell")
    expect(sponsor.get_by_role("dialog")).to_contain_text("New counter-offer: $900.00")
    shot(sponsor, "scale-sponsor-live-counter")


def test_an_export_built_by_one_worker_downloads_through_another(scale_out, new_page, tmp_path):
    """An export runs in the web worker that received the click (a background event hands it to a
    thread), not in the scheduler; its file, token and progress live in the shared disk and database."""
    p = make_pair(scale_out.db_url, "export", "Export Oolong", "Otto Oolong", "Oolong Spring")
    today = date.today()
    with Session(get_engine(scale_out.db_url)) as s:
        for name, budget in (("=1+2 Tasting", "1200.50"), ("Oolong Autumn", "300")):
            campaigns.create_campaign(s, p.sponsor_id, {
                "name": name, "category": "Food", "start_date": today.isoformat(),
                "end_date": (today + timedelta(days=30)).isoformat(), "budget": budget, "visibility": "private",
                "status": "draft"})
        s.commit()
    page = new_page()
    scale_out.sign_in(page, p.sponsor, PASSWORD, "/sponsor")
    scale_out.visit(page, "/sponsor/exports")
    expect(page.get_by_text("No export yet.")).to_be_visible()
    builder = scale_out.worker_of(page)
    page.click("#export-submit")
    download_button = page.locator("[id^=download-]").first
    expect(download_button).to_be_visible(timeout=60_000)
    row = page.locator("tr[id^=export-]").first
    expect(row).to_contain_text("done")
    expect(page.locator("#bell-count")).to_have_text("1", timeout=10_000)  # "export ready"
    shot(page, "scale-export-built")

    scale_out.reconnect_elsewhere(page, builder)  # the list and a new link come from the other worker
    expect(row.locator("td").nth(1)).to_have_text("done")
    expect(row.locator("td").nth(2)).to_have_text("3")  # rows
    expect(row.locator("td").nth(3)).to_have_text(re.compile(r"brandifiers-campaigns-\d{8}-\d{6}\.csv"))
    with page.expect_download() as info:
        page.locator("[id^=download-]").first.click()
    assert re.match(r"brandifiers-campaigns-\d{8}-\d{6}\.csv$", info.value.suggested_filename)
    path = tmp_path / "campaigns.csv"
    info.value.save_as(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(df["name"]) == ["Oolong Spring", "'=1+2 Tasting", "Oolong Autumn"]  # a formula stays text
    assert list(df["budget"]) == ["5000.00", "1200.50", "300.00"]
    assert list(df["status"]) == ["active", "draft", "draft"]
    assert list(df["remaining"]) == ["5000.00", "1200.50", "300.00"]
    shot(page, "scale-export-downloaded")


def test_the_separate_scheduler_holds_the_lease_and_its_rollup_reaches_the_page(scale_out, new_page):
    """The web workers run no jobs (BRANDIFIERS_SCHEDULER=separate): figures an influencer enters show
    on its statistics once the scheduler process's rollup ran (BRANDIFIERS_ROLLUP_MINUTES=1 here)."""
    p = make_pair(scale_out.db_url, "rollup", "Rollup Rooibos", "Rosa Rooibos", "Rooibos Nights",
                  request_payment="400")
    with Session(get_engine(scale_out.db_url)) as s:
        for step in (adrequests.accept_offer, adrequests.start_work):
            step(s, p.influencer_id, p.request_id)
            s.commit()
        adrequests.submit_deliverables(s, p.influencer_id, p.request_id,
                                       [{"platform": "instagram", "post_url": POST, "note": ""}])
        s.commit()
    page = new_page()
    scale_out.sign_in(page, p.creator, PASSWORD, "/influencer")
    scale_out.visit(page, "/influencer/performance")
    expect(page.locator("#total-views")).to_have_text("0")
    page.locator("#deliverable_id").click()
    page.get_by_role("option", name=f"Rooibos Nights · {POST}").click()
    figures = {"views": "1200", "likes": "90", "comments": "12", "shares": "6", "saves": "12", "clicks": "30",
               "conversions": "2", "revenue": "100.00"}
    for name, value in figures.items():
        page.fill(f"#{name}", value)
    page.click("#day-submit")
    expect(page.locator("#day-saved")).to_contain_text("Saved the figures of " + date.today().isoformat())

    def rolled_up():
        expect(page.locator("#total-views")).to_have_text("1,200", timeout=1_000)

    scale_out.reload_until(page, rolled_up, seconds=100)  # the rollup runs every minute in the scheduler process
    expect(page.locator("#total-engagements")).to_have_text("120")
    expect(page.locator("#total-er_views")).to_have_text("10.0%")
    expect(page.locator("#last-refreshed")).not_to_have_text(re.compile("never"))
    shot(page, "scale-rollup-by-scheduler")

    with get_engine(scale_out.db_url).connect() as conn:
        holder, expires = conn.execute(sa.text(
            "SELECT holder, expires_at FROM schedulerlease WHERE name = 'scheduler'")).one()
    assert int(holder.split(":")[1]) == scale_out.scheduler().pid  # host:pid:nonce of `python -m brandifiers.jobs`
    assert expires > datetime.now(UTC)
    log = scale_out.log()
    assert "scheduler started (holder" in log and "job scheduler started in the app process" not in log


def test_ctrl_c_stops_the_web_workers_and_the_scheduler(scale_out):
    processes = scale_out.every_process()
    assert len(processes) == 1 + 1 + 1 + WORKERS  # the script, the scheduler, `reflex run` and its workers
    assert "Traceback" not in scale_out.log()  # e.g. no worker tripped over another at start-up
    status = scale_out.interrupt()
    _, alive = psutil.wait_procs(processes, timeout=15)
    assert not alive, [p.info if hasattr(p, "info") else p.pid for p in alive]
    assert status == 130  # the shell's code for "ended by Ctrl-C"
    with get_engine(scale_out.db_url).connect() as conn:  # the scheduler gave its lease up on the way out
        assert conn.execute(sa.text("SELECT COUNT(*) FROM schedulerlease")).scalar_one() == 0
