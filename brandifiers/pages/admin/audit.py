"""Admin: the audit log, filtered and paginated, with a CSV export of the filtered events."""

import reflex as rx

from brandifiers.components.cards import form_error, pager
from brandifiers.components.filters import filter_bar, text_filter
from brandifiers.components.layout import template
from brandifiers.components.tables import data_table
from brandifiers.services.records.audit_log import EXPORT_MAX_ROWS
from brandifiers.state.audit_log import AuditLogState as S


def event_row(e) -> rx.Component:
    return rx.table.row(
        rx.table.cell(e["when"], white_space="nowrap"),
        rx.table.cell(rx.vstack(rx.text(e["actor"], size="2"), rx.text(e["role"], size="1", color_scheme="gray"),
                                spacing="0")),
        rx.table.cell(rx.code(e["action"])),
        rx.table.cell(e["target"], white_space="nowrap"),
        rx.table.cell(e["summary"]),
        rx.table.cell(e["change"]),
        id="event-" + e["id"],
    )


@template(route="/admin/audit", title="Audit log", access="admin", on_load=[S.load])
def audit_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.heading("Audit log", size="7"), rx.badge(S.total, " events", id="audit-total"), align="center"),
        rx.text("Every recorded action, newest first. The log is append-only: nothing here can be edited.",
                size="2", color_scheme="gray"),
        filter_bar(
            text_filter("Actor (id or e-mail)", "actor", placeholder="e.g. 12 or admin@"),
            text_filter("Action starts with", "action", placeholder="e.g. user."),
            text_filter("Target type", "target_type", placeholder="user, campaign…"),
            text_filter("Target id", "target_id"),
            text_filter("From", "date_from", type="date"),
            text_filter("To", "date_to", type="date"),
            on_submit=S.apply_filters, on_clear=S.clear_filters,
            extra=rx.button(rx.icon("download", size=16), "Export CSV", type="button", variant="outline",
                            on_click=S.export_csv, id="export-csv"),
        ),
        rx.text(f"The export holds the events matching the applied filters, at most {EXPORT_MAX_ROWS:,} "
                "(the newest); narrow the dates for older ones.", size="1", color_scheme="gray"),
        form_error(),
        data_table(["When", "Actor", "Action", "Target", "Summary", "Change"], S.rows, event_row,
                   "No event matches these filters.", empty_id="audit-empty", size="1"),
        pager(S),
        spacing="4", width="100%",
    )
