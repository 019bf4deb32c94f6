"""Sponsor dashboard shell."""

import reflex as rx

from brandifiers.components.cards import notifications_card, stat_grid
from brandifiers.components.layout import template
from brandifiers.state.dashboards import DashboardState


@template(route="/sponsor", title="Sponsor dashboard", access="sponsor", on_load=[DashboardState.load_sponsor])
def sponsor_dashboard() -> rx.Component:
    return rx.vstack(
        rx.vstack(rx.heading(DashboardState.title, size="7", id="dashboard-heading"),
                  rx.text(DashboardState.subtitle, color_scheme="gray"), spacing="1"),
        stat_grid(DashboardState.cards),
        notifications_card(DashboardState.notifications),
        spacing="5", width="100%",
    )
