"""The slow handlers leave the event loop free: their service call runs in another thread while the
loop serves other events, and password work runs in the one hashing thread; the page shows the same."""

from __future__ import annotations

import asyncio
import threading

import pytest

from brandifiers.services.accounts import account
from brandifiers.services.messaging import account_links, reports
from brandifiers.services.metrics import metrics_csv
from brandifiers.services.stats import analytics, stats_views
from brandifiers.state.account_page import AccountPageState
from brandifiers.state.analytics import AnalyticsState
from brandifiers.state.csv_import import CsvImportState
from brandifiers.state.email_links import EmailLinkState
from brandifiers.state.platform_stats import PlatformStatsState
from brandifiers.state.reports import ReportState
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)
from tests.unit.factories import PASSWORD
from tests.unit.stats_factories import world
from tests.unit.test_reports import NOW
from tests.unit.test_reports import world as report_world
from tests.unit.test_state_handlers import logged_in
from tests.unit.test_stats_state import Upload, _csv


def _watch(monkeypatch, module, name: str) -> list[str]:
    """Wrap module.name: each call records the thread it ran in, once the loop has served another event
    meanwhile (a service running on the loop itself records "the loop" instead)."""
    real, seen = getattr(module, name), []

    def watched(*args, **kwargs):
        try:
            asyncio.get_running_loop()
            seen.append("the loop")
        except RuntimeError:  # no loop runs in this thread: ask the loop for another event and wait for it
            asyncio.run_coroutine_threadsafe(asyncio.sleep(0), LOOP[0]).result(timeout=30)
            seen.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, watched)
    return seen


LOOP: list[asyncio.AbstractEventLoop] = []


def run(handler):
    """Run one async handler as Reflex does, on an event loop."""
    async def main():
        LOOP[:] = [asyncio.get_running_loop()]
        return await handler

    return asyncio.run(main())


def off_loop(seen: list[str]) -> bool:
    return len(seen) == 1 and seen[0] != "the loop" and not seen[0].startswith("passwords")


@pytest.fixture
def w(session):
    return world(session)


def test_the_csv_import_runs_off_the_loop(session, w, monkeypatch):
    seen = _watch(monkeypatch, metrics_csv, "import_csv")
    state = logged_in(CsvImportState, w.influencers[0])
    assert run(state.upload([Upload(_csv(w))])) is not None
    assert off_loop(seen), seen
    assert [r["row"] for r in state.accepted] == ["2"] and [r["row"] for r in state.rejected] == ["3", "4", "5"]
    assert state.summary.startswith("1 row(s) written") and state.has_result

    refused = logged_in(CsvImportState, w.admin)  # the refusal still goes next to the form
    run(refused.upload([Upload(_csv(w))]))
    assert refused.form_error and not refused.has_result


def test_the_pdf_download_renders_off_the_loop(session, monkeypatch):
    people = report_world(session)
    reports.run_monthly_reports(session, now=NOW)
    session.commit()
    seen = _watch(monkeypatch, reports, "report_pdf")
    state = logged_in(ReportState, people.sponsor)
    state.month = "2026-10"
    assert run(state.download_pdf()) is not None and state.form_error == ""
    assert off_loop(seen), seen

    other = logged_in(ReportState, people.quiet)  # not its report: no download, the reason shown
    other.month = "2026-10"
    assert run(other.download_pdf()) is None and other.form_error


def test_refresh_now_and_the_admin_home_recompute_off_the_loop(session, w, monkeypatch):
    rollup = _watch(monkeypatch, stats_views, "refresh_now")
    stats = logged_in(PlatformStatsState, w.admin)
    assert run(stats.refresh()) is not None and stats.form_error == ""
    assert off_loop(rollup), rollup

    figures = _watch(monkeypatch, analytics, "platform_analytics")
    home = logged_in(AnalyticsState, w.admin)
    run(home.load())
    assert run(home.refresh()) is not None and home.cards and home.computed_at.endswith("UTC")
    assert len(figures) == 2 and off_loop(figures[:1]) and off_loop(figures[1:]), figures


def test_every_password_change_hashes_in_the_one_hashing_thread(session, w, monkeypatch):
    changed = _watch(monkeypatch, account, "change_password")
    state = logged_in(AccountPageState, w.influencers[0])
    new = "a-brand-new-secret"
    assert run(state.change_password({"current_password": PASSWORD, "new_password": new,
                                      "confirm_password": new})) is not None
    assert state.errors == {} and state.form_error == ""

    linked = _watch(monkeypatch, account_links, "reset_with_link")
    links = EmailLinkState()
    assert run(links.set_new_password({"password": new, "confirm": new})) is None  # no link in the address
    assert links.link_status != "done" and (links.form_error or links.errors)
    assert [t.split("_")[0] for t in changed + linked] == ["passwords", "passwords"]
