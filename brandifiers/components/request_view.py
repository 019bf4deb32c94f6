"""One ad request: terms, the negotiation ledger, deliverables, payments and the actor's actions.
Shared by the sponsor's and the influencer's request pages."""

import reflex as rx

from brandifiers.components.cards import all_errors, field, pager, status_badge, textarea_field
from brandifiers.components.dialogs import confirm_button
from brandifiers.components.funding import cancel_form, fund_form, funding_card
from brandifiers.components.payment_entries import dispute_dialog, payments_card
from brandifiers.components.submissions import submissions_card, submit_form
from brandifiers.components.tables import data_table
from brandifiers.state.requests import RequestState


def _has(action: str):
    return RequestState.actions.contains(action)


def hold_notices(texts) -> rx.Component:
    """Why a deal waits (a flag, a freeze, an account on hold), each with its reason and what it means."""
    return rx.vstack(rx.foreach(texts, lambda t: rx.callout(t, icon="flag", color_scheme="orange", width="100%")),
                     spacing="2", width="100%", id="holds")


def _offer(o) -> rx.Component:
    return rx.box(
        rx.hstack(rx.badge(o["who"], variant="soft"), rx.text(o["amount"], weight="bold"),
                  rx.cond(o["latest"] != "", rx.badge("current terms", color_scheme="green")),
                  rx.spacer(), rx.text(o["when"], size="1", color_scheme="gray"), width="100%", wrap="wrap"),
        rx.cond(o["terms"] != "", rx.text("Terms: ", o["terms"], size="2")),
        rx.cond(o["message"] != "", rx.text(o["message"], size="2", color_scheme="gray")),
        padding="0.6em", border_left="3px solid var(--accent-7)", width="100%",
    )


def _small_form(*children, on_submit, label: str, id: str, color: str = "violet") -> rx.Component:
    return rx.form(rx.vstack(*children, rx.button(label, type="submit", color_scheme=color, id=id),
                             spacing="2", width="100%"),
                   on_submit=on_submit, no_validate=True, reset_on_submit=False, width="100%")


def actions_card() -> rx.Component:
    r = RequestState.request
    return rx.card(rx.vstack(
        rx.heading("What you can do", size="4", as_="h2"),
        all_errors(),
        rx.flex(
            rx.cond(_has("accept"), confirm_button(
                "Accept current terms", title="Accept the offer?", confirm_label="Accept offer",
                message="Accept the offer of " + r["payment"] + "? The amount is committed from the campaign's "
                "budget and both sides are bound to these terms.", on_confirm=RequestState.accept, id="accept",
                color="green")),
            rx.cond(_has("reject"), rx.button("Reject", color_scheme="red", variant="soft",
                                              on_click=RequestState.reject, id="reject")),
            rx.cond(_has("withdraw"), confirm_button(
                "Withdraw", title="Withdraw this request?", confirm_label="Withdraw request",
                message="Withdraw the request for " + r["campaign"] + "? The negotiation ends for good (it cannot "
                "be reopened) and the other side is told.", on_confirm=RequestState.withdraw, id="withdraw",
                color="red", variant="soft")),
            rx.cond(_has("start"), rx.button("Start work", on_click=RequestState.start, id="start")),
            rx.cond(_has("approve"), rx.button("Approve delivery", color_scheme="green",
                                               on_click=RequestState.approve, id="approve")),
            spacing="2", wrap="wrap",
        ),
        rx.cond(_has("counter"), _small_form(
            rx.text("Counter-offer", weight="medium"),
            field("Amount", "amount", placeholder="1500"), field("Terms", "terms", hint="Optional."),
            textarea_field("Message", "message", rows="2"),
            on_submit=RequestState.counter, label="Send counter-offer", id="counter-submit")),
        rx.cond(_has("submit"), submit_form()),
        rx.cond(_has("revise"), _small_form(
            textarea_field("Revision needed", "revision_note", rows="2"),
            on_submit=RequestState.revise, label="Request a revision", id="revise-submit", color="amber")),
        rx.cond(_has("pay"), rx.form(rx.vstack(
            rx.text("Record a payment (outstanding ", r["outstanding"], ")", weight="medium"),
            field("Amount", "amount", placeholder="500"), field("Paid on", "paid_on", type="date"),
            field("Reference", "reference", hint="Optional, e.g. an invoice number."),
            confirm_button("Mark as paid", title="Record this payment?", confirm_label="Record payment",
                           message="The amount you entered is recorded as paid to " + r["influencer"]
                           + " (outstanding now " + r["outstanding"] + "). A recorded payment cannot be edited "
                           "or removed.", form="pay-form", id="pay-submit"),
            spacing="2", width="100%"), on_submit=RequestState.pay, no_validate=True, reset_on_submit=False,
            width="100%", id="pay-form")),
        fund_form(),
        cancel_form(),
        rx.cond(RequestState.held.length() > 0, rx.vstack(
            rx.flex(rx.foreach(RequestState.held, lambda h: rx.button(h["label"], disabled=True, variant="soft",
                                                                       id="held-" + h["action"])),
                    spacing="2", wrap="wrap"),
            rx.text("These wait until the hold above is lifted.", size="2", color_scheme="gray"),
            spacing="1", id="held-actions")),
        rx.cond((RequestState.actions.length() == 0) & (RequestState.held.length() == 0),
                rx.text("Nothing is waiting for you here.", color_scheme="gray")),
        spacing="3", width="100%"), width="100%")


def request_view() -> rx.Component:
    r = RequestState.request
    return rx.cond(
        RequestState.request_id > 0,
        rx.vstack(
            rx.hstack(rx.heading(r["campaign"], size="7"), status_badge(r["status"]), align="center", wrap="wrap",
                      id="request-heading"),
            rx.text(r["sponsor"], " → ", r["influencer"], color_scheme="gray"),
            rx.cond(r["admin_note"] != "", rx.badge(r["admin_note"], color_scheme="blue")),
            hold_notices(RequestState.holds),
            rx.cond(r["revision_note"] != "", rx.callout("Revision requested: " + r["revision_note"],
                                                        color_scheme="amber", icon="rotate-ccw", id="revision-banner")),
            rx.grid(
                rx.card(rx.vstack(rx.text("Current payment", size="2", color_scheme="gray"),
                                  rx.text(r["payment"], size="6", weight="bold", id="current-payment"),
                                  rx.text("Due ", r["due"], size="1", color_scheme="gray"), spacing="1")),
                rx.card(rx.vstack(rx.text("Paid", size="2", color_scheme="gray"),
                                  rx.text(r["paid"], size="6", weight="bold", id="paid-amount"),
                                  rx.text("Outstanding ", r["outstanding"], size="1", color_scheme="gray"),
                                  rx.text("Of which disputed ", r["disputed"], size="1", color_scheme="gray",
                                          id="disputed-amount"),
                                  spacing="1")),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
            funding_card(),
            actions_card(),
            rx.card(rx.vstack(rx.heading("Negotiation", size="4", as_="h2"),
                              rx.text("Every offer is kept; the latest one is the current terms.", size="1",
                                      color_scheme="gray"),
                              rx.foreach(RequestState.offers, _offer), spacing="2", width="100%", id="ledger"),
                    width="100%"),
            rx.card(rx.vstack(rx.heading("Brief", size="4", as_="h2"),
                              rx.text("Requirements: ", r["requirements"], size="2"),
                              rx.text("Deliverables: ", r["deliverables"], size="2"),
                              rx.text("Message: ", r["message"], size="2"), spacing="2"), width="100%"),
            submissions_card(),
            payments_card(),
            dispute_dialog(),
            spacing="4", width="100%", max_width="900px",
        ),
        rx.vstack(all_errors(), rx.cond(RequestState.form_error == "", rx.text("Loading…", color_scheme="gray"))),
    )


def request_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(r["campaign"], href=r["href"], weight="medium")),
        rx.table.cell(r["counterpart"]),
        rx.table.cell(status_badge(r["status"]),
                      rx.cond(r["awaiting_me"] != "", rx.badge("your turn", color_scheme="red", margin_left="0.3em"))),
        rx.table.cell(r["payment"]),
        rx.table.cell(r["updated"]),
    )


def request_list(title: str) -> rx.Component:
    from brandifiers.state.requests import BOXES
    return rx.vstack(
        rx.heading(title, size="7"),
        rx.flex(*[rx.button(label, size="1", variant=rx.cond(RequestState.box == key, "solid", "soft"),
                            on_click=RequestState.set_box(key), id="box-" + key)
                  for key, label in BOXES.items()], spacing="2", wrap="wrap"),
        all_errors(),
        data_table(["Campaign", "With", "Status", "Payment", "Updated"], RequestState.rows, request_row,
                   "No requests here.", empty_id="requests-empty"),
        pager(RequestState),
        spacing="4", width="100%",
    )
