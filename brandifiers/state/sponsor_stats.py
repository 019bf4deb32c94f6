"""Sponsor statistics: one campaign's performance page and the portfolio across its campaigns.
Reads go through services.stats.stats / anomalies / stats_views, which check role and ownership
(a foreign campaign id is NotFound, nothing shown)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from brandifiers.services.common import zones
from brandifiers.services.metrics import sources
from brandifiers.services.metrics.metric_defs import format_money
from brandifiers.services.stats import anomalies, goals, stats, stats_views
from brandifiers.services.stats.charts import day_rows, spend_line
from brandifiers.services.stats.display import (
    campaign_flags,
    campaign_rows,
    cards,
    day_table,
    deliverable_options,
    ranked_requests,
    refreshed_text,
    shown_from,
)
from brandifiers.state.base import RoleState, WindowState

PERIOD_KEYS = ("views", "engagements", "er_views", "clicks", "conversions", "revenue_cents")
TOTAL_KEYS = ("spend_cents", "revenue_cents", "roi", "cpm", "cpe", "cpc")


def _campaign_page(session, actor_id, campaign_id, start, end):
    data = stats.campaign_stats(session, actor_id, campaign_id, start, end)
    return (stats_views.campaign_overview(session, actor_id, campaign_id, start, end), data,
            anomalies.campaign_anomalies(session, actor_id, campaign_id),
            sources.campaign_day_sources(session, actor_id, campaign_id, shown_from(data["series"], start), end))


def _portfolio_page(session, actor_id, start, end):
    data = stats.sponsor_portfolio(session, actor_id, start, end)
    return (data, stats_views.my_deliverables(session, actor_id),
            sources.sponsor_day_sources(session, actor_id, shown_from(data["series"], start), end))


@dataclasses.dataclass
class GoalBar:
    """One goal's row: `bar` reaches the browser as a number (the progress bar's value), `pct` as
    the whole percent reached (may exceed 100)."""

    label: str = ""
    key: str = ""
    text: str = ""
    pct: int = 0
    bar: int = 0
    campaign: str = ""
    href: str = ""


def goal_bars(rows: list[dict], campaign: str = "", href: str = "") -> list[GoalBar]:
    return [GoalBar(r["label"], r["key"], r["text"], int(r["pct"]), int(r["bar"]), campaign, href) for r in rows]


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
    goals: list[GoalBar] = []
    day_table: list[dict[str, str]] = []
    refreshed: str = ""

    def _reset(self) -> None:
        self.campaign_id, self.name, self.goals, self.day_table = 0, "", [], []
        self.period_cards, self.total_cards, self.days, self.spend = [], [], [], []
        self.influencers, self.flags, self.budget, self.refreshed = [], [], "", ""

    @rx.event
    async def load(self):
        await self._off_loop(self._load)

    def _load(self):
        campaign_id = self._route_id("campaign_id")
        if campaign_id != self.campaign_id:
            self._reset()
        start, end = self._window()
        ok, found = self._call(lambda s, a: _campaign_page(s, a, campaign_id, start, end))
        if not ok:
            self._reset()
            return
        overview, data, flags, day_sources = found
        names = overview["requests"]
        self.campaign_id, self.name = campaign_id, overview["name"]
        self.period_cards = cards(data["period"], PERIOD_KEYS, "period")
        self.total_cards = cards(data["totals"], TOTAL_KEYS, "total")
        self.days = day_rows(data["series"], start, end, zones.local_today(self._zone))
        self.day_table = day_table(data["series"], day_sources)
        self.spend = spend_line(overview, start, end, zones.local_today(self._zone))
        self.budget = format_money(overview["budget_cents"])
        self.influencers = ranked_requests(data["requests"], names)
        self.flags = campaign_flags(flags, names)
        self.goals = goal_bars(goals.progress(overview["targets"], data["totals"]))
        self.refreshed = refreshed_text(data["last_refreshed"], self._zone)


class PortfolioState(WindowState, RoleState):
    period_cards: list[dict[str, str]] = []
    total_cards: list[dict[str, str]] = []
    days: list[dict] = []
    day_table: list[dict[str, str]] = []
    campaigns: list[dict[str, str]] = []
    deliverables: list[dict[str, str]] = []
    refreshed: str = ""

    @rx.event
    async def load(self):
        await self._off_loop(self._load)

    def _load(self):
        start, end = self._window()
        ok, found = self._call(lambda s, a: _portfolio_page(s, a, start, end))
        if not ok:
            return
        data, mine, day_sources = found
        self.period_cards = cards(data["period"], PERIOD_KEYS, "period")
        self.total_cards = cards(data["totals"], TOTAL_KEYS, "total")
        self.days = day_rows(data["series"], start, end, zones.local_today(self._zone))
        self.day_table = day_table(data["series"], day_sources)
        self.campaigns = campaign_rows(data["campaigns"])
        self.deliverables = deliverable_options(mine)
        self.refreshed = refreshed_text(data["last_refreshed"], self._zone)
