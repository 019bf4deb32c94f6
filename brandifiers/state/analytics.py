"""Admin home: platform analytics (figures from services.stats.analytics, shaped for the charts)."""

from __future__ import annotations

from datetime import datetime

import reflex as rx

from brandifiers.services.common import zones
from brandifiers.services.common.labels import status_label
from brandifiers.services.common.money import format_cents
from brandifiers.services.stats import analytics
from brandifiers.state.base import RoleState

DEFINITIONS = analytics.DEFINITIONS


def _dollars(cents: int) -> float:
    return round(cents / 100, 2)


class AnalyticsState(RoleState):
    cards: list[dict[str, str]] = []
    funnel: list[dict] = []
    statuses: list[dict] = []
    campaigns: list[dict] = []
    flags: list[dict] = []
    signups: list[dict] = []
    money: list[dict] = []
    categories: list[dict] = []
    computed_at: str = ""
    took: str = ""
    stale: bool = False

    def _show(self, d: dict) -> None:
        users, reqs = d["users"], d["requests"]
        agreed = sum(m["agreed_cents"] for m in d["money"])
        paid = sum(m["paid_cents"] for m in d["money"])
        self.cards = [
            {"label": "Active sponsors", "value": f"{users['active'].get('sponsor', 0):,}",
             "hint": "status active", "id": "card-sponsors"},
            {"label": "Active influencers", "value": f"{users['active'].get('influencer', 0):,}",
             "hint": "status active", "id": "card-influencers"},
            {"label": "Sponsors awaiting approval", "value": f"{users['pending_sponsors']:,}",
             "hint": analytics.DEFINITIONS["pending_sponsors"], "id": "card-pending"},
            {"label": "Campaigns held for approval", "value": f"{d['held_campaigns']:,}",
             "hint": analytics.DEFINITIONS["held_campaigns"], "id": "card-held"},
            {"label": "Flagged items", "value": f"{sum(d['flags'].values()):,}",
             "hint": analytics.DEFINITIONS["flags"], "id": "card-flags"},
            {"label": "Agreed, last 12 months", "value": format_cents(agreed),
             "hint": "payment of requests accepted or later", "id": "card-agreed"},
            {"label": "Paid, last 12 months", "value": format_cents(paid), "hint": "payments recorded",
             "id": "card-paid"},
            {"label": "Ad requests", "value": f"{reqs['funnel'][0]['count']:,}", "hint": "all, any status",
             "id": "card-requests"},
        ]
        self.funnel = reqs["funnel"]
        self.statuses = [{"status": status_label(s), "count": n} for s, n in reqs["by_status"].items()]
        by_status: dict[str, dict] = {}
        for c in d["campaigns"]:
            row = by_status.setdefault(c["status"], {"status": status_label(c["status"]), "public": 0, "private": 0})
            row[c["visibility"]] = c["count"]
        self.campaigns = list(by_status.values())
        self.flags = [{"type": k, "count": v} for k, v in d["flags"].items()]
        self.signups = [{**w, "week": w["week"][5:]} for w in d["signups"]]
        self.money = [{"month": m["month"], "agreed": _dollars(m["agreed_cents"]), "paid": _dollars(m["paid_cents"])}
                      for m in d["money"]]
        self.categories = [{"category": c["category"], "spend": _dollars(c["spend_cents"]),
                            "label": format_cents(c["spend_cents"])} for c in d["categories"]]
        self.computed_at = zones.fmt_time(datetime.fromisoformat(d["computed_at"]), self._zone, seconds=True)
        self.took = f"{d['seconds'] * 1000:,.0f} ms"
        self.stale = bool(d.get("stale"))

    @rx.event
    async def load(self):
        ok, data = await self._call_off_loop(analytics.platform_analytics)
        if ok:
            self._show(data)

    @rx.event
    async def refresh(self):
        ok, data = await self._call_off_loop(analytics.platform_analytics, force=True)
        if ok:
            self._show(data)
            return rx.toast.success("Figures recomputed.")
        return None
