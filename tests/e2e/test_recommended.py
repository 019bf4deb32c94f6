"""The Recommended sort as a sponsor reads it: first without a model for the category (the fit score ranks and
a banner says so), then with a model trained on the platform's past results (each card's predicted figure,
range and reasons), at desktop width and at 390 px."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from brandifiers.db import get_engine
from brandifiers.migrations import upgrade
from brandifiers.models import Campaign, InfluencerProfile, UserStatus
from brandifiers.services.accounts import auth
from brandifiers.services.deals import campaigns
from tests.e2e.conftest import DESKTOP, PHONE, choose, goto, login, shot

PASSWORD = "recommend-password"
SPONSOR = "rec-brand@example.com"
CATEGORY = "Gaming"  # no other e2e world uses it: the ranking below is this world's alone
# name, niche, followers, engagement rate, asking price (cents)
CREATORS = [("Nova Speedrun", "speedruns", 40_000, 0.06, 20_000),
            ("Rex Retro", "retro consoles", 900_000, 0.01, 300_000),
            ("Kai Casual", "cozy games", 8_000, 0.03, 50_000)]


def make_world(db_url: str) -> dict:
    """A sponsor with a $5,000.00 Gaming campaign about speedruns and three Gaming creators: Nova fits best."""
    with Session(get_engine(db_url)) as s:
        sponsor = auth.signup_sponsor(s, {"email": SPONSOR, "password": PASSWORD, "company_name": "Rec Arcade",
                                          "industry": "Gaming"})
        sponsor.status = UserStatus.ACTIVE.value
        s.add(sponsor)
        for i, (name, niche, followers, er, price) in enumerate(CREATORS):
            user = auth.signup_influencer(s, {
                "email": f"rec-creator{i}@example.com", "password": PASSWORD, "display_name": name,
                "category": CATEGORY, "niche": niche, "platform": "twitch" if i else "youtube",
                "handle": name.lower().replace(" ", ""), "followers": str(followers)})
            s.flush()
            profile = s.exec(select(InfluencerProfile).where(InfluencerProfile.user_id == user.id)).one()
            profile.avg_engagement_rate, profile.asking_price_cents = er, price
        s.commit()
        today = date.today()
        campaign = campaigns.create_campaign(s, sponsor.id, {
            "name": "Speedrun Week", "category": CATEGORY, "niche": "speedruns", "budget": "5000",
            "start_date": today.isoformat(), "end_date": (today + timedelta(days=30)).isoformat(),
            "visibility": "public", "status": "active"})
        s.commit()
        return {"campaign": campaign.id}


def recommended_search(page: Page, campaign_id: int, width: int) -> None:
    goto(page, "/sponsor/discover")
    if width < DESKTOP["width"]:
        page.click("#show-filters")
    choose(page, "sort", "recommended")
    page.select_option("#campaign_id", str(campaign_id))
    page.click("#search-submit")


def trained_model(tmp_path, monkeypatch) -> None:
    """A model trained on the unit tests' seeded world (a database of its own), served from tmp_path: the
    app's backend runs in this process and reads the model directory from the environment on each call."""
    from brandifiers.services.recommend import training
    from tests.unit.recommend_world import NOW, seed_world, settings

    engine = get_engine(f"sqlite:///{tmp_path / 'history.db'}")
    upgrade(engine)
    seed_world(engine)
    with Session(engine) as s:
        training.retrain(s, now=NOW, settings=settings(tmp_path / "models"))
    monkeypatch.setenv("BRANDIFIERS_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("BRANDIFIERS_RECOMMEND_MIN_CATEGORY_ROWS", "1")  # whatever the seed gave Gaming


def expected_top(db_url: str, campaign_id: int):
    """The best-scored creator and its prediction, straight from scoring.predict."""
    from brandifiers.clock import utcnow
    from brandifiers.services.recommend import scoring

    with Session(get_engine(db_url)) as s:
        campaign = s.get(Campaign, campaign_id)
        ids = list(s.exec(select(InfluencerProfile.user_id).where(InfluencerProfile.category == CATEGORY)))
        got = scoring.predict(s, campaign, ids, now=utcnow())
        uid = max(ids, key=lambda i: got[i].score)
        name = s.exec(select(InfluencerProfile.display_name).where(InfluencerProfile.user_id == uid)).one()
        return name, got[uid]


def test_recommended_falls_back_to_the_fit_score_then_uses_the_model(db_url, new_page, tmp_path, monkeypatch):
    world = make_world(db_url)
    for viewport in (DESKTOP, PHONE):
        width = viewport["width"]
        page = new_page(viewport=viewport)
        login(page, SPONSOR, PASSWORD, "/sponsor")
        recommended_search(page, world["campaign"], width)
        expect(page.locator("#result-banner")).to_have_text(
            f"Not enough past results to learn from yet for {CATEGORY}: ranked by the fit score.")
        first = page.locator(".influencer-card").first
        expect(first.get_by_role("link")).to_have_text("Nova Speedrun")
        expect(page.locator("#result-count")).to_have_text("3 matches")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"recommended-fallback-{width}")

    trained_model(tmp_path, monkeypatch)
    name, p = expected_top(db_url, world["campaign"])
    for viewport in (DESKTOP, PHONE):
        width = viewport["width"]
        page = new_page(viewport=viewport)
        login(page, SPONSOR, PASSWORD, "/sponsor")
        recommended_search(page, world["campaign"], width)
        first = page.locator(".influencer-card").first
        expect(first.get_by_role("link")).to_have_text(name)
        expect(page.locator("#result-banner")).to_be_hidden()
        expect(first.locator(".prediction")).to_have_text(
            f"Expected engagement rate {p.value * 100:.1f} % ({p.low * 100:.1f}-{p.high * 100:.1f} %)")
        expect(first.locator(".completes")).to_have_text(f"Completes {p.p_complete * 100:.0f} %")
        expect(first.locator(".reasons li").first).to_have_text(p.reasons[0])
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"recommended-model-{width}")
