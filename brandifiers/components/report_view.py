"""The monthly reports' list and one report (sponsor's own pages and the admin's read-only ones):
a month that is not one of the reader's reports says "No such report" and offers no download."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.cards import all_errors, form_error
from brandifiers.state.reports import ReportState


def report_list(href_prefix, empty: str) -> rx.Component:
    """The reports, newest first, each linking to href_prefix + month."""
    return rx.vstack(
        all_errors(),
        rx.card(rx.cond(ReportState.rows.length() > 0,
                        rx.vstack(rx.foreach(ReportState.rows, lambda r: rx.hstack(
                            rx.link(r["label"], href=href_prefix + r["month"], weight="medium"),
                            rx.spacer(), rx.text("made ", r["created"], size="1", color_scheme="gray"),
                            width="100%")), spacing="2", width="100%"),
                        rx.text(empty, size="2", color_scheme="gray", id="no-reports")), width="100%"),
        spacing="4", width="100%")


def report_view(back_href, back_label: str) -> rx.Component:
    """One report as the e-mail showed it, with its PDF; or "No such report"."""
    return rx.vstack(
        rx.hstack(rx.link(back_label, href=back_href), rx.spacer(),
                  rx.cond(ReportState.html != "",
                          rx.button(rx.icon("download", size=14), "Download PDF", on_click=ReportState.download_pdf,
                                    id="report-pdf")),
                  width="100%", align="center"),
        form_error(),
        rx.cond(ReportState.missing,
                rx.callout(rx.vstack(
                    rx.text("No such report", weight="bold"),
                    rx.text("There is no monthly report at this address: the month may be mistyped, or the "
                            "report belongs to another account.", size="2"),
                    spacing="1"), icon="file_x", color_scheme="amber", width="100%", id="no-such-report"),
                rx.cond(ReportState.html != "", rx.box(rx.html(ReportState.html), width="100%", id="report-body"))),
        spacing="4", width="100%", max_width="800px",
    )
