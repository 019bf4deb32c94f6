"""Sponsor: the list of its monthly reports (/sponsor/reports)."""

import reflex as rx

from brandifiers.components.cards import all_errors
from brandifiers.components.layout import template
from brandifiers.state.reports import ReportState


@template(route="/sponsor/reports", title="Reports", access="sponsor", on_load=[ReportState.load_list])
def sponsor_reports() -> rx.Component:
    return rx.vstack(
        rx.heading("Monthly reports", size="7"),
        rx.text("On the 1st of each month your activity report for the month before is e-mailed to you with a PDF; "
                "every past report stays here.", size="2", color_scheme="gray"),
        all_errors(),
        rx.card(rx.cond(ReportState.rows.length() > 0,
                        rx.vstack(rx.foreach(ReportState.rows, lambda r: rx.hstack(
                            rx.link(r["label"], href="/sponsor/reports/" + r["month"], weight="medium"),
                            rx.spacer(), rx.text("made ", r["created"], size="1", color_scheme="gray"),
                            width="100%")), spacing="2", width="100%"),
                        rx.text("No report yet: the first comes on the 1st of next month.", size="2",
                                color_scheme="gray", id="no-reports")), width="100%"),
        spacing="4", width="100%", max_width="800px",
    )
