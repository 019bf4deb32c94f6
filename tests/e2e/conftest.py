"""End-to-end fixtures: the real app (production build) on free ports with AppHarnessProd,
a migrated SQLite database of its own, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

APP_ROOT = Path(__file__).resolve().parents[2]
SHOTS = APP_ROOT / "test-output" / "screenshots"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "e2e-admin-password"
CHROMIUM = os.environ.get("BRANDIFIERS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def db_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    os.environ["REFLEX_DB_URL"] = url
    os.environ["REFLEX_UPLOADED_FILES_DIR"] = str(tmp_path_factory.mktemp("uploads"))  # not the checkout's
    os.environ["BRANDIFIERS_ADMIN_EMAIL"] = ADMIN_EMAIL
    os.environ["BRANDIFIERS_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    # Clock-driven jobs (18:00 reminders...) would make the pages depend on the hour the tests
    # run; the scheduler is tested in tests/unit/test_scheduler.py.
    os.environ["BRANDIFIERS_SCHEDULER"] = "off"
    # every test's browser comes from 127.0.0.1: the per-address rates (unit-tested) would refuse the suite's sign-ups
    os.environ["BRANDIFIERS_REQUEST_LIMITS"] = "login=1000/5,signup=1000/60,reset=1000/15"
    os.environ["BRANDIFIERS_EXPORT_CHUNK"] = "1"  # small exports still show their progress bar move
    os.environ["BRANDIFIERS_EXPORT_DIR"] = str(tmp_path_factory.mktemp("exports"))
    from brandifiers.db import get_engine
    from brandifiers.migrations import upgrade

    upgrade(get_engine(url))
    return url


@pytest.fixture(scope="session")
def app(db_url):
    from reflex.testing import AppHarnessProd

    with AppHarnessProd.create(root=APP_ROOT, app_name="brandifiers") as harness:
        yield harness


@pytest.fixture(scope="session")
def base_url(app) -> str:
    return app.frontend_url.rstrip("/")


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, base_url):
    """Fresh browser contexts (a fresh Reflex client each): new_page(viewport=...)."""
    contexts = []

    def make(viewport=DESKTOP) -> Page:
        ctx = browser.new_context(viewport=viewport, base_url=base_url)
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header belongs at the top of a full-page shot
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def goto(page: Page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")


def choose(page: Page, field_id: str, option: str) -> None:
    page.locator(f"#{field_id}").click()
    page.get_by_role("option", name=option, exact=True).click()


def login(page: Page, email: str, password: str, lands_on: str) -> None:
    goto(page, "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(re.escape(lands_on) + r"(\?.*)?$"))


def logout(page: Page) -> None:
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login"))


def active_pair(session, password: str, sponsor: tuple[str, str], creator: tuple[str, str], category: str):
    """An approved sponsor (e-mail, company) and an influencer (e-mail, display name) signed up through the
    services, committed: (sponsor user, influencer user)."""
    from brandifiers.models import UserStatus
    from brandifiers.services.accounts import auth

    brand = auth.signup_sponsor(session, {"email": sponsor[0], "password": password, "company_name": sponsor[1],
                                          "industry": category})
    brand.status = UserStatus.ACTIVE.value
    session.add(brand)
    person = auth.signup_influencer(session, {"email": creator[0], "password": password, "display_name": creator[1],
                                              "category": category, "niche": "", "platform": "instagram",
                                              "handle": creator[1].lower().replace(" ", ""), "followers": "9000"})
    session.commit()
    return brand, person
