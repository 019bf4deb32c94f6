"""Admin home: platform overview and the pending-sponsor approval queue."""

import reflex as rx

from brandifiers.components.cards import form_error, stat_grid
from brandifiers.components.dialogs import reason_dialog
from brandifiers.components.layout import template
from brandifiers.state.admin import AdminState


def pending_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.vstack(rx.text(row["company"], weight="medium"),
                                rx.text(row["email"], size="1", color_scheme="gray"), spacing="0")),
        rx.table.cell(row["industry"]),
        rx.table.cell(rx.cond(row["website"] != "", rx.link(row["website"], href=row["website"], is_external=True),
                              rx.text("-"))),
        rx.table.cell(row["signed_up"]),
        rx.table.cell(rx.hstack(
            rx.button("Approve", size="1", color_scheme="green", on_click=AdminState.approve(row["id"]),
                      id="approve-" + row["id"]),
            rx.button("Reject", size="1", color_scheme="red", variant="soft",
                      on_click=AdminState.open_reject(row["id"], row["company"]), id="reject-" + row["id"]),
            spacing="2")),
        id="pending-" + row["id"],
    )


def reject_dialog() -> rx.Component:
    return reason_dialog(("Reject ", AdminState.reject_company), "The sponsor will see this reason.",
                         open=AdminState.reject_id > 0, on_close=AdminState.close_reject,
                         on_submit=AdminState.submit_reject, submit_label="Reject sponsor", submit_id="reject-submit")


def approval_queue() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.heading("Sponsors awaiting approval", size="4", as_="h2"),
                      rx.badge(AdminState.pending_total, id="pending-total"), align="center"),
            form_error(),
            rx.cond(
                AdminState.pending_total > 0,
                rx.box(
                    rx.table.root(
                        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                                       ("Company", "Industry", "Website", "Signed up", "")])),
                        rx.table.body(rx.foreach(AdminState.pending, pending_row)),
                        width="100%",
                    ),
                    overflow_x="auto", width="100%",
                ),
                rx.text("Nobody is waiting for approval.", color_scheme="gray", id="queue-empty"),
            ),
            rx.hstack(
                rx.button("Previous", size="1", variant="soft", on_click=AdminState.prev_page,
                          disabled=AdminState.page == 0),
                rx.text("Page ", AdminState.page + 1, size="2"),
                rx.button("Next", size="1", variant="soft", on_click=AdminState.next_page,
                          disabled=(AdminState.page + 1) * 20 >= AdminState.pending_total),
                align="center",
            ),
            spacing="3", width="100%",
        ),
        width="100%",
    )


@template(route="/admin", title="Admin", access="admin", on_load=[AdminState.load])
def admin_dashboard() -> rx.Component:
    return rx.vstack(
        rx.heading("Platform overview", size="7", id="dashboard-heading"),
        stat_grid(AdminState.cards),
        approval_queue(),
        reject_dialog(),
        spacing="5", width="100%",
    )
