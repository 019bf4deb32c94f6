"""Admin statistics: the platform's figures by category and by month, the platform anomaly
list, and "Refresh now" (the rollup run at once). Every call is refused unless the actor is an
admin (services check the role from the token, never from the browser's display vars)."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.stats import anomalies, stats, stats_views
from brandifiers.services.metrics.metric_defs import format_money, format_percent, roi
from brandifiers.state.base import RoleState
from brandifiers.state.stats import RULE_LABELS, WindowState, cards, day_rows, refreshed_text, units

TOTAL_KEYS = ("views", "engagements", "er_views", "spend_cents", "revenue_cents", "roi", "cpm", "cpe")


def _category_rows(rows: list[dict]) -> list[dict]:
    return [{"category": r["category"], "views": int(r["views"]), "engagements": int(r["engagements"]),
             "spend": units(r["spend_cents"]), "followers": f"{r['followers']:,}",
             "views_text": f"{r['views']:,}", "engagements_text": f"{r['engagements']:,}",
             "spend_text": format_money(r["spend_cents"]), "revenue_text": format_money(r["revenue_cents"]),
             "roi_text": format_percent(r["roi"])} for r in rows]


def _month_rows(months: list[dict], spend: dict[str, int]) -> list[dict]:
    """The months with figures or spend: spend counts in the month its request was accepted."""
    by_month = {m["month"]: m for m in months}
    out = []
    for month in sorted(set(by_month) | set(spend)):
        m = by_month.get(month, {"views": 0, "engagements": 0, "revenue_cents": 0, "er_views": None})
        cents = spend.get(month, 0)
        out.append({"month": month, "views": int(m["views"]), "engagements": int(m["engagements"]),
                    "spend": units(cents), "views_text": f"{m['views']:,}",
                    "engagements_text": f"{m['engagements']:,}", "er_text": format_percent(m["er_views"]),
                    "spend_text": format_money(cents), "revenue_text": format_money(m["revenue_cents"]),
                    "roi_text": format_percent(roi(m["revenue_cents"], cents))})
    return out


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
        flags = stored["flags"]
        self.total_cards = cards(data["totals"], TOTAL_KEYS, "total")
        self.days = day_rows(data["series"], start, end)
        self.categories = _category_rows(data["by_category"])
        self.months = _month_rows(data["by_month"], spend)
        self.flags = [{"rule": RULE_LABELS.get(f["rule"], f["rule"]), "reason": f["reason"],
                       "request": f"Request {f['ad_request_id']}", "day": f["day"] or ""} for f in flags[:50]]
        self.flags_note = (f"Computed {refreshed_text(stored['computed_at'].isoformat())} from the figures of the "
                           f"last {stored['days']} days (all time for the engagement-rate rule); recomputed "
                           "within the hour after new figures. Flags never change a figure.")
        self.refreshed = refreshed_text(data["last_refreshed"])

    @rx.event
    def refresh(self):
        self._clear_form()
        ok, _ = self._call(stats_views.refresh_now)
        if not ok:
            return None
        return [PlatformStatsState.load, rx.toast.success("Figures refreshed.")]
