"""Sponsor: one monthly report (/sponsor/reports/[month]) as the e-mail showed it, with its PDF."""

import reflex as rx

from brandifiers.components.cards import form_error
from brandifiers.components.layout import template
from brandifiers.state.reports import ReportState


@template(route="/sponsor/reports/[month]", title="Report", access="sponsor", on_load=[ReportState.load_one])
def sponsor_report() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.link("← All reports", href="/sponsor/reports"), rx.spacer(),
                  rx.button(rx.icon("download", size=14), "Download PDF", on_click=ReportState.download_pdf,
                            id="report-pdf", disabled=ReportState.month == ""), width="100%", align="center"),
        form_error(),
        rx.cond(ReportState.html != "", rx.box(rx.html(ReportState.html), width="100%", id="report-body")),
        spacing="4", width="100%", max_width="800px",
    )
