"""Influencer dashboard shell."""

import reflex as rx

from brandifiers.components.cards import notifications_card, request_links, stat_grid
from brandifiers.components.layout import template
from brandifiers.components.payment_entries import balances_section
from brandifiers.components.tables import data_table
from brandifiers.state.dashboards import DashboardState


def platform_row(p) -> rx.Component:
    return rx.table.row(rx.table.cell(rx.badge(p["platform"])), rx.table.cell(p["handle"]),
                        rx.table.cell(p["followers"]))


@template(route="/influencer", title="Influencer dashboard", access="influencer",
          on_load=[DashboardState.load_influencer])
def influencer_dashboard() -> rx.Component:
    return rx.vstack(
        rx.vstack(rx.heading(DashboardState.title, size="7", id="dashboard-heading"),
                  rx.text(DashboardState.subtitle, color_scheme="gray"), spacing="1"),
        stat_grid(DashboardState.cards),
        balances_section(),
        rx.grid(request_links("Offers awaiting your answer", DashboardState.awaiting, "Nothing waits for you.",
                              "awaiting"),
                request_links("Work in progress", DashboardState.working, "No running collaboration.", "working"),
                columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"),
        rx.card(
            rx.vstack(
                rx.heading("Platforms", size="4", as_="h2"),
                rx.text("Follower figures are self-reported.", size="1", color_scheme="gray"),
                rx.box(data_table(["Platform", "Handle", "Followers"], DashboardState.platforms, platform_row,
                                  "No platform listed yet: add one on your profile.", empty_id="platforms-empty"),
                       id="platforms", width="100%"),
                width="100%",
            ),
            width="100%",
        ),
        notifications_card(DashboardState.notifications),
        spacing="5", width="100%",
    )
