"""Admin: export a whole table as CSV, built in the background."""

import reflex as rx

from brandifiers.components.cards import field_error
from brandifiers.components.exports import export_page, option_checkbox
from brandifiers.components.layout import template
from brandifiers.services.records.exports import ADMIN_TABLES
from brandifiers.state.exports import ExportState


@template(route="/admin/exports", title="Exports", access="admin", on_load=[ExportState.load])
def admin_exports() -> rx.Component:
    return export_page(
        rx.text("A whole table as CSV (secrets such as password hashes are never included).", size="2"),
        rx.select(list(ADMIN_TABLES), name="table", placeholder="Choose a table", id="table"),
        field_error("table"),
        option_checkbox("E-mail me when it is ready", "email_me"),
    )
