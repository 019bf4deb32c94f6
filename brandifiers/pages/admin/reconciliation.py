"""Admin: reconciliation (/admin/reconciliation): every difference between our card funding ledger and the
payment gateway's records that the daily job found; nothing here changes an amount."""

import reflex as rx

from brandifiers.components.cards import all_errors
from brandifiers.components.layout import template
from brandifiers.components.tables import data_table
from brandifiers.state.reconciliation import ReconciliationState


def difference_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(r["found"], size="2")),
        rx.table.cell(rx.text(r["kind"], weight="medium", size="2")),
        rx.table.cell(rx.text(r["payment"], size="2", word_break="break-all")),
        rx.table.cell(rx.text(r["ours"], size="2")),
        rx.table.cell(rx.text(r["theirs"], size="2")),
        rx.table.cell(rx.cond(r["resolution"] != "", rx.text(r["resolution"], size="2"), rx.form(rx.hstack(
            rx.input(type="hidden", name="id", value=r["id"]),
            rx.input(name="resolution", placeholder="How it was resolved", size="1", id="resolution-" + r["id"]),
            rx.button("Resolved", size="1", type="submit", id="resolve-" + r["id"]), spacing="1"),
            on_submit=ReconciliationState.resolve, reset_on_submit=True))),
        id="difference-" + r["id"],
    )


@template(route="/admin/reconciliation", title="Reconciliation", access="admin",
          on_load=[ReconciliationState.load])
def admin_reconciliation() -> rx.Component:
    return rx.vstack(
        rx.heading("Reconciliation", size="7"),
        rx.text("Each day the reconciliation job compares our card funding ledger with the payment gateway's "
                "records of the last days (BRANDIFIERS_RECONCILE_DAYS) and lists every difference here. It never "
                "changes an amount: look into each one at the gateway, then mark it resolved saying how.",
                color_scheme="gray", size="2"),
        rx.hstack(rx.switch(checked=ReconciliationState.show_resolved,
                            on_change=ReconciliationState.toggle_resolved, id="show-resolved"),
                  rx.text("Show resolved ones too", size="2"), align="center"),
        all_errors(),
        data_table(["Found", "Difference", "Payment", "Our ledger", "Gateway", "Resolution"],
                   ReconciliationState.rows, difference_row, "No differences: our ledger matches the gateway.",
                   empty_id="differences-empty"),
        spacing="4", width="100%",
    )
