"""Admin approvals: pending sponsors, public campaigns held for approval, and the setting that holds them."""

import reflex as rx

from brandifiers.components.cards import form_error, pager
from brandifiers.components.dialogs import confirm_button
from brandifiers.components.dialogs import reason_dialog as generic_reason_dialog
from brandifiers.components.layout import template
from brandifiers.components.reason_dialog import reason_button, reason_dialog
from brandifiers.components.tables import data_table
from brandifiers.state.admin import AdminState
from brandifiers.state.auth import AuthState


def pending_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.vstack(rx.text(row["company"], weight="medium"),
                                rx.text(row["email"], size="1", color_scheme="gray"), spacing="0")),
        rx.table.cell(row["industry"]),
        rx.table.cell(rx.cond(row["website"] != "", rx.link(row["website"], href=row["website"], is_external=True),
                              rx.text("-"))),
        rx.table.cell(row["signed_up"]),
        rx.table.cell(rx.hstack(
            confirm_button("Approve", title="Approve " + row["company"] + "?",
                           message="Approve " + row["company"] + " (" + row["email"] + ")? The account becomes "
                           "active at once: the sponsor can log in, publish campaigns and send ad requests.",
                           confirm_label="Approve sponsor", on_confirm=AdminState.approve(row["id"]),
                           id="approve-" + row["id"], color="green", size="1"),
            rx.button("Reject", size="1", color_scheme="red", variant="soft",
                      on_click=AdminState.open_reject(row["id"], row["company"]), id="reject-" + row["id"]),
            spacing="2")),
        id="pending-" + row["id"],
    )


def reject_dialog() -> rx.Component:
    return generic_reason_dialog(("Reject ", AdminState.reject_company), "The sponsor will see this reason.",
                                 open=AdminState.reject_id > 0, on_close=AdminState.close_reject,
                                 on_submit=AdminState.submit_reject, submit_label="Reject sponsor",
                                 submit_id="reject-submit")


def approval_queue() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.heading("Sponsors awaiting approval", size="4", as_="h2"),
                      rx.badge(AdminState.pending_total, id="pending-total"), align="center"),
            form_error(),
            data_table(["Company", "Industry", "Website", "Signed up", ""], AdminState.pending, pending_row,
                       "Nobody is waiting for approval.", empty_id="queue-empty"),
            rx.cond(AdminState.unverified > 0,
                    rx.text("Unverified sign-ups, not listed until they open the link we e-mailed them: ",
                            AdminState.unverified, size="2", color_scheme="gray", id="queue-unverified")),
            pager(AdminState),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def held_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["name"], href="/admin/campaigns/" + row["id"], weight="medium")),
        rx.table.cell(row["company"]),
        rx.table.cell(row["category"]),
        rx.table.cell(row["budget"]),
        rx.table.cell(row["created"]),
        rx.table.cell(rx.hstack(
            rx.button("Approve", size="1", color_scheme="green", on_click=AdminState.approve_campaign(row["id"]),
                      id="approve-campaign-" + row["id"]),
            reason_button("Reject", "reject_campaign", row["id"], "Reject " + row["name"],
                          id="reject-campaign-" + row["id"]),
            spacing="2")),
        id="held-" + row["id"],
    )


def held_queue() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.heading("Campaigns held for approval", size="4", as_="h2"),
                      rx.badge(AdminState.held_total, id="held-total"), align="center"),
            data_table(["Campaign", "Sponsor", "Category", "Budget", "Created", ""], AdminState.held, held_row,
                       "No campaign is waiting.", empty_id="held-empty"),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def settings_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Settings", size="4", as_="h2"),
            rx.foreach(AdminState.settings, lambda st: rx.hstack(
                rx.switch(checked=st["on"] != "", on_change=lambda on: AdminState.set_setting(st["key"], on),
                          id="setting-" + st["key"].replace(".", "-")),
                rx.vstack(rx.text(st["label"], weight="medium", size="2"),
                          rx.text(st["help"], size="1", color_scheme="gray"), spacing="0"),
                align="start", spacing="3")),
            rx.foreach(AdminState.text_settings, lambda st: rx.form(
                rx.vstack(
                    rx.text(st["label"], weight="medium", size="2", as_="label", html_for=st["key"]),
                    rx.hstack(rx.input(name="value", default_value=st["value"], id=st["key"], width="100%",
                                       placeholder=st["placeholder"]),
                              rx.button("Save", type="submit", id="save-" + st["key"].replace(".", "-")),
                              width="100%"),
                    rx.el.input(type="hidden", name="key", value=st["key"]),
                    rx.cond(AuthState.errors.contains(st["key"]),
                            rx.text(AuthState.errors[st["key"]], color_scheme="red", size="2")),
                    rx.text(st["help"], size="1", color_scheme="gray"),
                    spacing="1", width="100%"),
                on_submit=AdminState.save_text_setting, no_validate=True, width="100%", key=st["value"])),
            spacing="3", width="100%",
        ),
        width="100%",
    )


@template(route="/admin/approvals", title="Approvals", access="admin", on_load=[AdminState.load])
def admin_approvals() -> rx.Component:
    return rx.vstack(
        rx.heading("Approvals", size="7", id="approvals-heading"),
        approval_queue(),
        held_queue(),
        settings_card(),
        reject_dialog(),
        reason_dialog(),
        spacing="5", width="100%",
    )
