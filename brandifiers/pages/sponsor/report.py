"""Sponsor: one monthly report (/sponsor/reports/[month]) as the e-mail showed it, with its PDF."""

import reflex as rx

from brandifiers.components.layout import template
from brandifiers.components.report_view import report_view
from brandifiers.state.reports import ReportState


@template(route="/sponsor/reports/[month]", title="Report", access="sponsor", on_load=[ReportState.load_one])
def sponsor_report() -> rx.Component:
    return report_view("/sponsor/reports", "← All reports")
