"""Admin statistics: the platform's figures by category and by month, the platform anomaly
list, and "Refresh now" (the rollup run at once). Every call is refused unless the actor is an
admin (services check the role from the token, never from the browser's display vars)."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.common import zones
from brandifiers.services.stats import anomalies, stats, stats_views
from brandifiers.services.stats.charts import day_rows
from brandifiers.services.stats.display import cards, category_rows, month_rows, platform_flags, refreshed_text
from brandifiers.state.base import RoleState, WindowState

TOTAL_KEYS = ("views", "engagements", "er_views", "spend_cents", "revenue_cents", "roi", "cpm", "cpe")


def _platform_page(session, actor_id, start, end):
    return (stats.platform_stats(session, actor_id, start, end),
            stats_views.platform_spend_by_month(session, actor_id, start, end),
            anomalies.stored_platform_anomalies(session, actor_id))


class PlatformStatsState(WindowState, RoleState):
    total_cards: list[dict[str, str]] = []
    days: list[dict] = []
    categories: list[dict] = []
    months: list[dict] = []
    flags: list[dict[str, str]] = []
    flags_note: str = ""
    refreshed: str = ""

    @rx.event
    def load(self):
        start, end = self._window()
        ok, found = self._call(lambda s, a: _platform_page(s, a, start, end))
        if not ok:
            return
        data, spend, stored = found
        self.total_cards = cards(data["totals"], TOTAL_KEYS, "total")
        self.days = day_rows(data["series"], start, end, zones.local_today(self._zone))
        self.categories = category_rows(data["by_category"])
        self.months = month_rows(data["by_month"], spend)
        self.flags = platform_flags(stored["flags"])
        computed = refreshed_text(stored['computed_at'].isoformat(), self._zone)
        self.flags_note = (f"Computed {computed} from the figures of the "
                           f"last {stored['days']} days (all time for the engagement-rate rule); recomputed "
                           "within the hour after new figures. Flags never change a figure.")
        self.refreshed = refreshed_text(data["last_refreshed"], self._zone)

    @rx.event
    async def refresh(self):
        self._clear_form()
        ok, _ = await self._call_off_loop(stats_views.refresh_now)
        if not ok:
            return None
        return [PlatformStatsState.load, rx.toast.success("Figures refreshed.")]
