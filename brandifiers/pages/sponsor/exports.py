"""Sponsor: export its own data (campaigns, optionally ad requests and metric rows) as CSV, built
in the background."""

import reflex as rx

from brandifiers.components.exports import export_page, option_checkbox
from brandifiers.components.layout import template
from brandifiers.state.exports import ExportState


@template(route="/sponsor/exports", title="Exports", access="sponsor", on_load=[ExportState.load])
def sponsor_exports() -> rx.Component:
    return export_page(
        rx.text("Your campaigns with their dates, budget, visibility, status, goals, committed, paid, remaining "
                "and key metrics, as CSV. Add more:", size="2"),
        option_checkbox("Ad requests", "include_ad_requests"),
        option_checkbox("Metric rows (one per post and day)", "include_metrics"),
        option_checkbox("E-mail me when it is ready", "email_me"),
    )
