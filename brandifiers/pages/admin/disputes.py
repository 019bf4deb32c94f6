"""Admin: open payment disputes (/admin/disputes), each resolved with a reason."""

import reflex as rx

from brandifiers.components.cards import all_errors, pager
from brandifiers.components.layout import template
from brandifiers.components.payment_entries import dispute_row, resolve_dialog
from brandifiers.components.tables import data_table
from brandifiers.state.disputes import DisputeState


@template(route="/admin/disputes", title="Payment disputes", access="admin", on_load=[DisputeState.load])
def admin_disputes() -> rx.Component:
    return rx.vstack(
        rx.heading("Payment disputes", size="7"),
        rx.text("Manual payment entries an influencer disputed, oldest first. Uphold a dispute to void the entry "
                "(it stops counting as paid), or reject it to let the entry stand as confirmed.",
                color_scheme="gray"),
        all_errors(),
        data_table(["Request", "Amount", "Dispute", "Resolve"], DisputeState.rows, dispute_row,
                   "No open disputes.", empty_id="disputes-empty"),
        pager(DisputeState),
        resolve_dialog(),
        spacing="4", width="100%",
    )
