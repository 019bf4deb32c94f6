"""The Exports pages (sponsor and admin) but for their options: the form with its start button and
progress bar, the list of the actor's exports with their download buttons (ExportState)."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.cards import all_errors, status_badge
from brandifiers.components.tables import data_table
from brandifiers.state.exports import ExportState as S


def progress_bar() -> rx.Component:
    return rx.cond(S.running, rx.vstack(
        rx.text("Building your export… ", S.progress, "%", size="2", id="export-progress-text"),
        rx.progress(value=S.progress, max=100, width="100%", id="export-progress"),
        width="100%", spacing="1"))


def export_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r["created"]),
        rx.table.cell(status_badge(r["status"])),
        rx.table.cell(r["rows"]),
        rx.table.cell(rx.cond(r["error"] != "", rx.text(r["error"], color_scheme="red", size="1"), r["file"])),
        rx.table.cell(rx.cond(r["status"] == "done",
                              rx.button("Download", size="1", on_click=S.download(r["id"]), id="download-" + r["id"]))),
        id="export-" + r["id"],
    )


def export_history() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading("Your exports", size="4", as_="h2"),
        data_table(["Started", "Status", "Rows", "File", ""], S.rows, export_row, "No export yet."),
        rx.text("A download link works once and for 10 minutes; click Download again for a new one.",
                size="1", color_scheme="gray"),
        spacing="3", width="100%"), width="100%")


def option_checkbox(label: str, name: str) -> rx.Component:
    return rx.checkbox(label, name=name, id=name, size="2")


def start_button() -> rx.Component:
    return rx.button("Start export", type="submit", loading=S.running, id="export-submit")


def export_page(*options: rx.Component) -> rx.Component:
    """The page: the form (`options`, then Start and the progress), the errors and the history."""
    return rx.vstack(
        rx.heading("Exports", size="7"),
        rx.card(rx.form(rx.vstack(*options, start_button(), progress_bar(), spacing="3", width="100%"),
                        on_submit=S.start, no_validate=True, width="100%"), width="100%"),
        all_errors(),
        export_history(),
        spacing="4", width="100%", max_width="900px",
    )
