"""Payment entries on the request page (state badge, the dispute and its resolution, Confirm / Dispute for
the influencer, Receipt links for both parties), the influencer's Balances, and the admin's dispute rows."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.cards import status_badge
from brandifiers.components.dialogs import confirm_button, reason_dialog
from brandifiers.state.dashboards import DashboardState
from brandifiers.state.disputes import DisputeState
from brandifiers.state.requests import RequestState


def _entry(p) -> rx.Component:
    pid = p["id"]
    return rx.box(
        rx.flex(
            rx.text(p["paid_on"]), rx.text(p["amount"], weight="bold"),
            rx.cond(p["reference"] != "", rx.text(p["reference"], color_scheme="gray")),
            rx.box(status_badge(p["state"]), id="payment-state-" + pid),
            rx.spacer(),
            rx.cond(p["can_answer"] != "", rx.hstack(
                confirm_button("Confirm", title="Confirm this payment?", confirm_label="Confirm payment",
                               message="You confirm that you received " + p["amount"] + " (paid on " + p["paid_on"]
                               + "). This cannot be changed afterwards.", on_confirm=RequestState.confirm_entry(pid),
                               id="confirm-payment-" + pid, color="green", size="1", variant="soft"),
                rx.button("Dispute", size="1", variant="soft", color_scheme="red", id="dispute-payment-" + pid,
                          on_click=RequestState.open_dispute(pid, "Dispute the payment of " + p["amount"] + "?")),
                spacing="2")),
            rx.cond(p["receipt"] != "", rx.hstack(
                rx.button("Receipt", variant="ghost", size="1", on_click=RequestState.open_receipt(pid, "html"),
                          id="receipt-" + pid),
                rx.button("PDF", variant="ghost", size="1", on_click=RequestState.open_receipt(pid, "pdf"),
                          id="receipt-pdf-" + pid),
                spacing="2")),
            spacing="3", align="center", wrap="wrap", width="100%"),
        rx.cond(p["dispute"] != "", rx.text(p["dispute"], size="2", color_scheme="orange",
                                            id="payment-dispute-" + pid)),
        rx.cond(p["resolution"] != "", rx.text(p["resolution"], size="2", id="payment-resolution-" + pid)),
        padding="0.5em", border_left="3px solid var(--gray-6)", width="100%", id="payment-" + pid,
    )


def payments_card() -> rx.Component:
    return rx.cond(RequestState.payments.length() > 0, rx.card(rx.vstack(
        rx.heading("Payments", size="4", as_="h2"),
        rx.text("Each entry the sponsor records is confirmed or disputed by the influencer; an administrator "
                "settles a dispute. A voided entry no longer counts as paid and has no receipt.", size="1",
                color_scheme="gray"),
        rx.foreach(RequestState.payments, _entry),
        spacing="2", width="100%", id="payments"), width="100%"))


def dispute_dialog() -> rx.Component:
    return reason_dialog((RequestState.dispute_title,),
                         "Say what is wrong with this entry (at most 500 characters): the sponsor and an "
                         "administrator read it, and the amount stops counting as paid until it is settled.",
                         open=RequestState.dispute_payment_id > 0, on_close=RequestState.close_dispute,
                         on_submit=RequestState.submit_dispute, submit_label="Dispute payment",
                         submit_id="dispute-submit")


def _balance(card) -> rx.Component:
    return rx.card(rx.vstack(
        rx.text(card["label"], size="2", color_scheme="gray"),
        rx.text(card["value"], size="6", weight="bold", id=card["id"]),
        rx.text(card["hint"], size="1", color_scheme="gray"), spacing="1"), width="100%")


def balances_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Balances", size="4", as_="h2"),
        rx.grid(rx.foreach(DashboardState.balances, _balance), columns=rx.breakpoints(initial="1", sm="2", md="3"),
                spacing="4", width="100%"),
        spacing="2", width="100%", id="balances")


def dispute_row(r) -> rx.Component:
    rid = r["id"]
    title = "Payment of " + r["amount"] + " on request #" + r["request_id"]
    return rx.table.row(
        rx.table.cell(rx.vstack(rx.text(r["campaign"], weight="medium", size="2"),
                                rx.text(r["sponsor"], " → ", r["influencer"], size="1", color_scheme="gray"),
                                spacing="0")),
        rx.table.cell(rx.vstack(rx.text(r["amount"], weight="bold"),
                                rx.text("paid on ", r["paid_on"], size="1", color_scheme="gray"), spacing="0")),
        rx.table.cell(rx.vstack(rx.text(r["reason"], size="2", id="dispute-reason-" + rid),
                                rx.text(r["when"], size="1", color_scheme="gray"), spacing="0")),
        rx.table.cell(rx.hstack(
            rx.button("Uphold (void)", size="1", variant="soft", color_scheme="red", id="uphold-" + rid,
                      on_click=DisputeState.open_resolve(rid, "upheld", "Uphold the dispute: " + title)),
            rx.button("Reject (stands)", size="1", variant="soft", id="reject-dispute-" + rid,
                      on_click=DisputeState.open_resolve(rid, "rejected", "Reject the dispute: " + title)),
            spacing="2", wrap="wrap")),
        id="dispute-" + rid,
    )


def resolve_dialog() -> rx.Component:
    return reason_dialog((DisputeState.resolve_title,),
                         "A reason is required: both parties read it. Upheld voids the entry (it no longer counts "
                         "as paid); rejected confirms it.", open=DisputeState.resolve_payment_id > 0,
                         on_close=DisputeState.close_resolve, on_submit=DisputeState.submit_resolve,
                         submit_label="Resolve", submit_id="resolve-submit")
