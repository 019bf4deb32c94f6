"""Sponsor: the list of its monthly reports (/sponsor/reports)."""

import reflex as rx

from brandifiers.components.layout import template
from brandifiers.components.report_view import report_list
from brandifiers.state.reports import ReportState


@template(route="/sponsor/reports", title="Reports", access="sponsor", on_load=[ReportState.load_list])
def sponsor_reports() -> rx.Component:
    return rx.vstack(
        rx.heading("Monthly reports", size="7"),
        rx.text("On the 1st of each month your activity report for the month before is e-mailed to you with a PDF; "
                "every past report stays here.", size="2", color_scheme="gray"),
        report_list("/sponsor/reports/", "No report yet: the first comes on the 1st of next month."),
        spacing="4", width="100%", max_width="800px",
    )
