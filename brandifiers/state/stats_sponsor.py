"""Sponsor statistics: one campaign's performance page and the portfolio across its campaigns.
Reads go through services.stats.stats / anomalies / stats_views, which check role and ownership
(a foreign campaign id is NotFound, nothing shown)."""

from __future__ import annotations

from datetime import date

import reflex as rx

from brandifiers.clock import utcnow
from brandifiers.services.stats import anomalies, stats, stats_views
from brandifiers.services.metrics.metric_defs import format_money, format_percent
from brandifiers.state.base import RoleState
from brandifiers.state.stats import (
    RULE_LABELS, WindowState, cards, cumulative_line, day_rows, deliverable_options, refreshed_text, units,
)

PERIOD_KEYS = ("views", "engagements", "er_views", "clicks", "revenue_cents")
TOTAL_KEYS = ("spend_cents", "revenue_cents", "roi", "cpm", "cpe", "cpc")


def _ranked(requests: list[dict], names: dict) -> list[dict[str, str]]:
    """The campaign's ad requests, best ROI first; an undefined ROI (no spend) last."""
    ordered = sorted(requests, key=lambda r: (r["roi"] is None, -(r["roi"] or 0), -r["views"], r["ad_request_id"]))
    return [{"rank": str(i), "influencer": names.get(r["ad_request_id"], {}).get("influencer", "-"),
             "status": names.get(r["ad_request_id"], {}).get("status", ""), "views": f"{r['views']:,}",
             "engagements": f"{r['engagements']:,}", "spend": format_money(r["spend_cents"]),
             "revenue": format_money(r["revenue_cents"]), "roi": format_percent(r["roi"]),
             "cpe": format_money(r["cpe"]), "id": str(r["ad_request_id"])}
            for i, r in enumerate(ordered, start=1)]


def _flags(flags: list[dict], names: dict) -> list[dict[str, str]]:
    return [{"rule": RULE_LABELS.get(f["rule"], f["rule"]), "reason": f["reason"],
             "influencer": names.get(f["ad_request_id"], {}).get("influencer", f"request {f['ad_request_id']}"),
             "day": f["day"] or ""} for f in flags[:50]]


def spend_line(overview: dict, start: date | None = None, end: date | None = None,
               today: date | None = None) -> list[dict]:
    """Cumulative spend and the budget [{"day", "spend", "budget"}] in currency units, from the
    window's start (or the campaign's) to its end (or the campaign's), never past today."""
    today_iso = (today or utcnow().date()).isoformat()
    first = start.isoformat() if start else overview["start"]
    last = min(end.isoformat() if end else overview["end"], today_iso)
    budget = units(overview["budget_cents"])
    return [{**p, "budget": budget} for p in cumulative_line(overview["spend"], first, last, "spend")]


def _campaign_page(session, actor_id, campaign_id, start, end):
    return (stats_views.campaign_overview(session, actor_id, campaign_id, start, end),
            stats.campaign_stats(session, actor_id, campaign_id, start, end),
            anomalies.campaign_anomalies(session, actor_id, campaign_id))


class CampaignStatsState(WindowState, RoleState):
    campaign_id: int = 0
    name: str = ""
    period_cards: list[dict[str, str]] = []
    total_cards: list[dict[str, str]] = []
    days: list[dict] = []
    spend: list[dict] = []
    budget: str = ""
    influencers: list[dict[str, str]] = []
    flags: list[dict[str, str]] = []
    refreshed: str = ""

    def _reset(self) -> None:
        self.campaign_id, self.name = 0, ""
        self.period_cards, self.total_cards, self.days, self.spend = [], [], [], []
        self.influencers, self.flags, self.budget, self.refreshed = [], [], "", ""

    @rx.event
    def load(self):
        campaign_id = self._route_id("campaign_id")
        if campaign_id != self.campaign_id:
            self._reset()
        start, end = self._window()
        ok, found = self._call(lambda s, a: _campaign_page(s, a, campaign_id, start, end))
        if not ok:
            self._reset()
            return
        overview, data, flags = found
        names = overview["requests"]
        self.campaign_id, self.name = campaign_id, overview["name"]
        self.period_cards = cards(data["period"], PERIOD_KEYS, "period")
        self.total_cards = cards(data["totals"], TOTAL_KEYS, "total")
        self.days = day_rows(data["series"], start, end)
        self.spend = spend_line(overview, start, end)
        self.budget = format_money(overview["budget_cents"])
        self.influencers = _ranked(data["requests"], names)
        self.flags = _flags(flags, names)
        self.refreshed = refreshed_text(data["last_refreshed"])


def _campaign_rows(rows: list[dict]) -> list[dict[str, str]]:
    return [{"id": str(r["campaign_id"]), "name": r["name"], "views": f"{r['views']:,}",
             "engagements": f"{r['engagements']:,}", "spend": format_money(r["spend_cents"]),
             "revenue": format_money(r["revenue_cents"]), "roi": format_percent(r["roi"]),
             "cpm": format_money(r["cpm"])} for r in rows]


class PortfolioState(WindowState, RoleState):
    period_cards: list[dict[str, str]] = []
    total_cards: list[dict[str, str]] = []
    days: list[dict] = []
    campaigns: list[dict[str, str]] = []
    deliverables: list[dict[str, str]] = []
    refreshed: str = ""

    @rx.event
    def load(self):
        start, end = self._window()
        ok, found = self._call(lambda s, a: (stats.sponsor_portfolio(s, a, start, end),
                                             stats_views.my_deliverables(s, a)))
        if not ok:
            return
        data, mine = found
        self.period_cards = cards(data["period"], PERIOD_KEYS, "period")
        self.total_cards = cards(data["totals"], TOTAL_KEYS, "total")
        self.days = day_rows(data["series"], start, end)
        self.campaigns = _campaign_rows(data["campaigns"])
        self.deliverables = deliverable_options(mine)
        self.refreshed = refreshed_text(data["last_refreshed"])
