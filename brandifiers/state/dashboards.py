"""Sponsor and influencer dashboard shells."""

from __future__ import annotations

import reflex as rx

from brandifiers.db import session_scope
from brandifiers.services.deals import adrequests, campaigns, dashboards
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.notify import recent
from brandifiers.state.auth import AuthState


def _request_rows(session, actor_id: int, box: str, base: str) -> list[dict[str, str]]:
    rows, _total = adrequests.list_requests(session, actor_id, box=box, page=0, page_size=5)
    return [{"campaign": r.campaign_name, "counterpart": r.counterpart_name, "status": r.status,
             "payment": format_cents(r.payment_cents), "href": base + str(r.id)} for r in rows]


class DashboardState(AuthState):
    awaiting: list[dict[str, str]] = []
    working: list[dict[str, str]] = []
    active_campaigns: list[dict[str, str]] = []
    title: str = ""
    subtitle: str = ""
    cards: list[dict[str, str]] = []
    platforms: list[dict[str, str]] = []
    notifications: list[dict[str, str]] = []

    def _notes(self, session, actor_id: int) -> None:
        self.notifications = [
            {"title": n.title, "body": n.body, "when": n.created_at.strftime("%Y-%m-%d %H:%M UTC")}
            for n in recent(session, actor_id, 5)
        ]

    @rx.event
    def load_sponsor(self):
        try:
            with session_scope() as session:
                actor = self._actor_id(session)
                o = dashboards.sponsor_overview(session, actor)
                self._notes(session, actor)
                self.awaiting = _request_rows(session, actor, "awaiting_me", "/sponsor/requests/")
                self.working = _request_rows(session, actor, "active", "/sponsor/requests/")
                active, _n = campaigns.list_campaigns(session, actor, status="active", page=0, page_size=5)
                self.active_campaigns = []
                for c in active:
                    panel = campaigns.budget_panel(session, c.id)
                    self.active_campaigns.append({
                        "name": c.name, "href": f"/sponsor/campaigns/{c.id}",
                        "spend": f"{format_cents(panel['committed_cents'])} of {format_cents(panel['budget_cents'])}",
                        "pct": str(min(100, round(100 * panel["committed_cents"] / panel["budget_cents"]))
                                   if panel["budget_cents"] else 0)})
        except DomainError:
            return  # the page guard redirects
        self.title, self.subtitle = o["company_name"], "Sponsor dashboard"
        self.cards = [
            {"label": "Campaigns", "value": f"{o['campaigns_total']:,}", "hint": f"{o['campaigns_active']} active"},
            {"label": "Open ad requests", "value": f"{o['requests_open']:,}", "hint": "pending or negotiating"},
            {"label": "Running collaborations", "value": f"{o['requests_running']:,}", "hint": "accepted or later"},
            {"label": "Budget", "value": format_cents(o["budget_cents"]), "hint": "campaigns not archived"},
            {"label": "Committed", "value": format_cents(o["committed_cents"]),
             "hint": "agreed payment of requests accepted or later"},
            {"label": "Paid", "value": format_cents(o["paid_cents"]), "hint": "payments recorded"},
        ]
        self.platforms = []

    @rx.event
    def load_influencer(self):
        try:
            with session_scope() as session:
                actor = self._actor_id(session)
                o = dashboards.influencer_overview(session, actor)
                self._notes(session, actor)
                self.awaiting = _request_rows(session, actor, "awaiting_me", "/influencer/requests/")
                self.working = _request_rows(session, actor, "active", "/influencer/requests/")
                self.active_campaigns = []
        except DomainError:
            return
        niche = f" · {o['niche']}" if o["niche"] else ""
        self.title, self.subtitle = o["display_name"], f"Influencer dashboard · {o['category']}{niche}"
        self.cards = [
            {"label": "Total reach", "value": f"{o['total_followers']:,}", "hint": "followers, self-reported"},
            {"label": "Open offers", "value": f"{o['requests_open']:,}", "hint": "pending or negotiating"},
            {"label": "Running collaborations", "value": f"{o['requests_running']:,}", "hint": "accepted or later"},
            {"label": "Agreed", "value": format_cents(o["agreed_cents"]), "hint": "accepted or later"},
            {"label": "Paid", "value": format_cents(o["paid_cents"]), "hint": "payments received"},
            {"label": "Outstanding", "value": format_cents(o["outstanding_cents"]), "hint": "agreed minus paid"},
        ]
        self.platforms = [
            {"platform": p["platform"], "handle": "@" + p["handle"], "followers": f"{p['followers']:,}"}
            for p in o["platforms"]
        ]
