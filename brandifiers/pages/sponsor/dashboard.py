"""Sponsor dashboard: figures, active campaigns with spend against budget, requests awaiting an answer."""

import reflex as rx

from brandifiers.components.cards import notifications_card, request_links, stat_grid
from brandifiers.components.layout import template
from brandifiers.components.stats import goal_row
from brandifiers.state.dashboards import DashboardState


def campaign_progress(c) -> rx.Component:
    return rx.vstack(rx.hstack(rx.link(c.name, href=c.href, weight="medium"), rx.spacer(),
                               rx.text(c.spend, size="2"), width="100%"),
                     rx.progress(value=c.pct, max=100, aria_label=c.name), spacing="1", width="100%")


@template(route="/sponsor", title="Sponsor dashboard", access="sponsor", on_load=[DashboardState.load_sponsor])
def sponsor_dashboard() -> rx.Component:
    return rx.vstack(
        rx.vstack(rx.heading(DashboardState.title, size="7", id="dashboard-heading"),
                  rx.text(DashboardState.subtitle, color_scheme="gray"), spacing="1"),
        stat_grid(DashboardState.cards),
        rx.grid(
            request_links("Awaiting your answer", DashboardState.awaiting, "Nothing waits for you.", "awaiting"),
            rx.card(rx.vstack(rx.heading("Active campaigns: committed of budget", size="4", as_="h2"),
                              rx.cond(DashboardState.active_campaigns.length() > 0,
                                      rx.foreach(DashboardState.active_campaigns, campaign_progress),
                                      rx.text("No active campaign.", size="2", color_scheme="gray")),
                              spacing="3", width="100%"), width="100%"),
            columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"),
        rx.cond(DashboardState.goals.length() > 0, rx.card(rx.vstack(
            rx.heading("Goals of active campaigns", size="4", as_="h2"),
            rx.text("Each target against the campaign's all-time figure, as on its statistics page.", size="1",
                    color_scheme="gray"),
            rx.foreach(DashboardState.goals, lambda g: goal_row(g, with_campaign=True)),
            spacing="3", width="100%"), width="100%", id="dashboard-goals")),
        request_links("Collaborations in progress", DashboardState.working, "None yet.", "working"),
        notifications_card(DashboardState.notifications),
        spacing="5", width="100%",
    )
