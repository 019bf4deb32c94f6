"""Exports: a sponsor's own data, or (admin) a whole table, as CSV built in the background."""

import reflex as rx

from brandifiers.components.cards import all_errors, field_error, status_badge
from brandifiers.components.layout import template
from brandifiers.services.records.exports import ADMIN_TABLES
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


def history() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading("Your exports", size="4", as_="h2"),
        rx.cond(S.rows.length() > 0,
                rx.box(rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                                   ("Started", "Status", "Rows", "File", "")])),
                    rx.table.body(rx.foreach(S.rows, export_row)), width="100%"), overflow_x="auto", width="100%"),
                rx.text("No export yet.", size="2", color_scheme="gray")),
        rx.text("A download link works once and for 10 minutes; click Download again for a new one.",
                size="1", color_scheme="gray"),
        spacing="3", width="100%"), width="100%")


def checkbox(label: str, name: str) -> rx.Component:
    return rx.checkbox(label, name=name, id=name, size="2")


def start_button() -> rx.Component:
    return rx.button("Start export", type="submit", loading=S.running, id="export-submit")


@template(route="/sponsor/exports", title="Exports", access="sponsor", on_load=[S.load])
def sponsor_exports() -> rx.Component:
    return rx.vstack(
        rx.heading("Exports", size="7"),
        rx.card(rx.form(rx.vstack(
            rx.text("Your campaigns with their dates, budget, visibility, status, goals, committed, paid, remaining "
                    "and key metrics, as CSV. Add more:", size="2"),
            checkbox("Ad requests", "include_ad_requests"),
            checkbox("Metric rows (one per post and day)", "include_metrics"),
            checkbox("E-mail me when it is ready", "email_me"),
            start_button(), progress_bar(), spacing="3", width="100%"),
            on_submit=S.start, no_validate=True, width="100%"), width="100%"),
        all_errors(),
        history(),
        spacing="4", width="100%", max_width="900px",
    )


@template(route="/admin/exports", title="Exports", access="admin", on_load=[S.load])
def admin_exports() -> rx.Component:
    return rx.vstack(
        rx.heading("Exports", size="7"),
        rx.card(rx.form(rx.vstack(
            rx.text("A whole table as CSV (secrets such as password hashes are never included).", size="2"),
            rx.select(list(ADMIN_TABLES), name="table", placeholder="Choose a table", id="table"),
            field_error("table"),
            checkbox("E-mail me when it is ready", "email_me"),
            start_button(), progress_bar(), spacing="3", width="100%"),
            on_submit=S.start, no_validate=True, width="100%"), width="100%"),
        all_errors(),
        history(),
        spacing="4", width="100%", max_width="900px",
    )
