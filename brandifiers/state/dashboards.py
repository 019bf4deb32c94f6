"""Sponsor and influencer dashboard shells: figures, requests awaiting an answer, running work,
the latest notifications. Reads go through RoleState._call; a wrong role shows nothing here
(the page guard sends the user home)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from brandifiers.models import User
from brandifiers.services.common import zones
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.notify import recent
from brandifiers.services.deals import adrequests, dashboards
from brandifiers.services.stats import goals
from brandifiers.state.base import RoleState
from brandifiers.state.sponsor_stats import GoalBar, goal_bars


def _request_rows(session, actor_id: int, box: str, base: str) -> list[dict[str, str]]:
    rows, _total = adrequests.list_requests(session, actor_id, box=box, page=0, page_size=5, with_total=False)
    return [{"campaign": r.campaign_name, "counterpart": r.counterpart_name, "status": r.status,
             "payment": format_cents(r.payment_cents), "href": base + str(r.id)} for r in rows]


def _notes(session, actor_id: int) -> list[dict[str, str]]:
    zone = zones.user_zone(session.get(User, actor_id))
    return [{"title": n.title, "body": n.body, "when": zones.fmt_time(n.created_at, zone)}
            for n in recent(session, actor_id, 5)]


def _sponsor_page(session, actor_id: int) -> tuple:
    base = "/sponsor/requests/"
    return (dashboards.sponsor_overview(session, actor_id), _notes(session, actor_id),
            _request_rows(session, actor_id, "awaiting_me", base), _request_rows(session, actor_id, "active", base),
            dashboards.active_campaign_budgets(session, actor_id), goals.active_goals(session, actor_id))


def _influencer_page(session, actor_id: int) -> tuple:
    base = "/influencer/requests/"
    return (dashboards.influencer_overview(session, actor_id), _notes(session, actor_id),
            _request_rows(session, actor_id, "awaiting_me", base), _request_rows(session, actor_id, "active", base),
            adrequests.earnings(session, actor_id))


# The influencer's Balances: (key, label, one-line definition); services.deals.payments.earnings computes them.
BALANCES = (
    ("agreed", "Agreed", "Payment agreed on your requests accepted or later."),
    ("funded", "Funded", "Paid in by card by sponsors and held until they approve your delivery."),
    ("released", "Released", "Card funds released to you after approval."),
    ("paid", "Paid out", "Payments sponsors recorded by hand, not disputed (voided entries never count)."),
    ("disputed", "Disputed", "Recorded payments you disputed, waiting for an administrator."),
    ("outstanding", "Outstanding", "Agreed minus released, paid out and disputed."),
)


def balance_cards(e: dict) -> list[dict[str, str]]:
    return [{"label": label, "value": format_cents(e[f"{key}_cents"]), "hint": hint, "id": f"balance-{key}"}
            for key, label, hint in BALANCES]


@dataclasses.dataclass
class BudgetBar:
    """One active campaign's bar: `pct` must reach the browser as a number (a text value leaves the
    progress bar indeterminate, drawn as an animation that looks almost full)."""

    name: str = ""
    href: str = ""
    spend: str = ""
    pct: int = 0


class DashboardState(RoleState):
    awaiting: list[dict[str, str]] = []
    working: list[dict[str, str]] = []
    active_campaigns: list[BudgetBar] = []
    goals: list[GoalBar] = []
    title: str = ""
    subtitle: str = ""
    cards: list[dict[str, str]] = []
    platforms: list[dict[str, str]] = []
    notifications: list[dict[str, str]] = []
    balances: list[dict[str, str]] = []  # the influencer's (BALANCES)

    def _load(self, page) -> tuple | None:
        ok, found = self._call(page)
        if not ok:
            self._clear_form()  # a wrong role: the page guard redirects, there is nothing to show here
            return None
        return found

    @rx.event
    async def load_sponsor(self):
        await self._off_loop(self._load_sponsor)

    @rx.event
    async def load_influencer(self):
        await self._off_loop(self._load_influencer)

    def _load_sponsor(self):
        found = self._load(_sponsor_page)
        if found is None:
            return
        o, self.notifications, self.awaiting, self.working, budgets, targets = found
        self.goals = [bar for c in targets for bar in goal_bars(c["goals"], c["name"],
                                                                 f"/sponsor/campaigns/{c['campaign_id']}/stats")]
        self.active_campaigns = [BudgetBar(b["name"], f"/sponsor/campaigns/{b['campaign_id']}", b["spend"],
                                           int(b["pct"])) for b in budgets]
        self.title, self.subtitle = o["company_name"], "Sponsor dashboard"
        self.cards = [
            {"label": "Campaigns", "value": f"{o['campaigns_total']:,}", "hint": f"{o['campaigns_active']} active"},
            {"label": "Open ad requests", "value": f"{o['requests_open']:,}", "hint": "pending or negotiating"},
            {"label": "Running collaborations", "value": f"{o['requests_running']:,}",
             "hint": "accepted, in progress or submitted"},
            {"label": "Budget", "value": format_cents(o["budget_cents"]), "hint": "campaigns not archived"},
            {"label": "Committed", "value": format_cents(o["committed_cents"]),
             "hint": "agreed payment of requests accepted or later"},
            {"label": "Paid", "value": format_cents(o["paid_cents"]), "hint": "payments recorded"},
        ]
        self.platforms = []

    def _load_influencer(self):
        found = self._load(_influencer_page)
        if found is None:
            return
        o, self.notifications, self.awaiting, self.working, earned = found
        self.balances = balance_cards(earned)
        self.active_campaigns, self.goals = [], []
        niche = f" · {o['niche']}" if o["niche"] else ""
        self.title, self.subtitle = o["display_name"], f"Influencer dashboard · {o['category']}{niche}"
        self.cards = [
            {"label": "Total reach", "value": f"{o['total_followers']:,}", "hint": "followers, self-reported"},
            {"label": "Open offers", "value": f"{o['requests_open']:,}", "hint": "pending or negotiating"},
            {"label": "Running collaborations", "value": f"{o['requests_running']:,}",
             "hint": "accepted, in progress or submitted"},
        ]
        self.platforms = [
            {"platform": p["platform"], "handle": "@" + p["handle"], "followers": f"{p['followers']:,}"}
            for p in o["platforms"]
        ]
