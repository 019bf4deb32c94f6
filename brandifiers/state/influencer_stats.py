"""The influencer's Performance page: cards and charts over a date window, and the form of one
day's figures. Reads come from services.stats (rollups only); a day is written through
services.metrics.metrics.enter_day, which checks role and ownership (refusals next to the fields)."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.common import parse, zones
from brandifiers.services.metrics import metrics, sources
from brandifiers.services.stats import stats, stats_views
from brandifiers.services.stats.charts import day_rows, earnings_line
from brandifiers.services.stats.display import cards, day_table, deliverable_options, refreshed_text, shown_from
from brandifiers.state.base import RoleState, WindowState


def _influencer_page(session, actor_id, start, end) -> tuple[dict, list, list, dict]:
    data = stats.influencer_stats(session, actor_id, start, end)
    return (data, stats_views.my_deliverables(session, actor_id),
            stats_views.earnings_timeline(session, actor_id, start, end),
            sources.influencer_day_sources(session, actor_id, shown_from(data["series"], start), end))


class InfluencerStatsState(WindowState, RoleState):
    deliverables: list[dict[str, str]] = []
    days: list[dict] = []
    day_table: list[dict[str, str]] = []
    earnings: list[dict] = []
    period_cards: list[dict[str, str]] = []
    total_cards: list[dict[str, str]] = []
    refreshed: str = ""
    saved: str = ""
    warnings: list[str] = []
    form_version: int = 0
    # The day form's defaults: today (in the person's zone) and the post last saved, to enter the next day quickly.
    today: str = ""
    last_deliverable: str = ""

    @rx.event
    def load(self):
        start, end = self._window()
        ok, found = self._call(lambda s, a: _influencer_page(s, a, start, end))
        if not ok:
            return
        data, mine, earned, day_sources = found
        self.deliverables = deliverable_options(mine)
        self.days = day_rows(data["series"], start, end, zones.local_today(self._zone))
        self.day_table = day_table(data["series"], day_sources)
        self.earnings = earnings_line(earned, start, end, zones.local_today(self._zone))
        self.period_cards = cards(data["period"], ("views", "engagements", "er_views", "er_followers", "clicks"),
                                  "period")
        earnings = {**cards(data["totals"], ("spend_cents",), "total")[0], "label": "Earnings",
                    "id": "total-earnings", "hint": "Agreed payment of your requests accepted or later."}
        self.total_cards = cards(data["totals"], ("views", "engagements", "er_views", "revenue_cents"),
                                 "total") + [earnings]
        self.refreshed = refreshed_text(data["last_refreshed"], self._zone)
        self.today = zones.local_today(self._zone).isoformat()

    @rx.event
    def save_day(self, form_data: dict):
        self._clear_form()
        self.saved, self.warnings = "", []
        deliverable_id = parse.record_id(form_data.get("deliverable_id"))
        if not deliverable_id:
            self.errors = {"deliverable_id": "Choose one of your posts."}
            return None
        ok, result = self._call(metrics.enter_day, deliverable_id, form_data.get("day"), form_data)
        if not ok:
            return None
        self.warnings = list(result.warnings)
        raw_id = str(deliverable_id)
        post = next((d["label"] for d in self.deliverables if d["id"] == raw_id), f"deliverable {raw_id}")
        self.saved = (f"{'Replaced' if result.replaced else 'Saved'} the figures of {result.snapshot.day} for "
                      f"{post}. The charts show them after the next refresh (every few minutes).")
        self.last_deliverable = raw_id
        self.form_version += 1
        return rx.toast.success("Figures saved.")
