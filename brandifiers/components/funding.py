"""Card funding on the request page: the deal's held / released / refunded amounts (both parties), the
sponsor's "Fund this deal" form (Stripe's Payment Element, or in test mode a labelled stand-in with a test
card number field) and "Cancel deal"."""

import reflex as rx

from brandifiers.components.cards import field, textarea_field
from brandifiers.components.dialogs import confirm_button
from brandifiers.state.auth import AuthState
from brandifiers.state.requests import RequestState

STRIPE_JS = "https://js.stripe.com/v3/"
# Mounts the Payment Element (manual payment-method creation: the server makes the PaymentIntent).
_MOUNT = ("(() => { const el = document.getElementById('payment-element'); if (!el || el.dataset.mounted"
          " || !window.Stripe) return; el.dataset.mounted = '1'; const s = window.Stripe(el.dataset.key);"
          " window.__bfStripe = s; window.__bfElements = s.elements({mode: 'payment', captureMethod: 'manual',"
          " amount: Number(el.dataset.amount), currency: el.dataset.currency, paymentMethodCreation: 'manual'});"
          " window.__bfElements.create('payment').mount(el); })()")
# Turns the card in the element into a PaymentMethod id; the card itself never reaches our server.
_COLLECT = ("(async () => { const e = window.__bfElements; if (!e) return JSON.stringify({error: 'The card form"
            " did not load.'}); const first = await e.submit(); if (first.error) return JSON.stringify({error:"
            " first.error.message}); const r = await window.__bfStripe.createPaymentMethod({elements: e});"
            " return JSON.stringify(r.error ? {error: r.error.message} : {pm: r.paymentMethod.id, amount:"
            " document.getElementById('fund_amount').value}); })()")


def _figure(label: str, value, id: str) -> rx.Component:
    return rx.vstack(rx.text(label, size="2", color_scheme="gray"), rx.text(value, size="5", weight="bold", id=id),
                     spacing="1")


def funding_card() -> rx.Component:
    """Both parties: what is held, released and refunded, with one status line."""
    f = RequestState.funding
    return rx.cond(f.contains("held"), rx.card(rx.vstack(
        rx.heading("Card funding", size="4", as_="h2"),
        rx.text(f["status_line"], id="funding-status"),
        rx.grid(_figure("Held", f["held"], "funding-held"), _figure("Released", f["released"], "funding-released"),
                _figure("Refunded", f["refunded"], "funding-refunded"),
                columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%"),
        rx.foreach(RequestState.funding_rows, lambda row: rx.hstack(
            rx.text(row["when"], size="2"), rx.text(row["amount"], size="2", weight="bold"),
            rx.text(row["status"], size="2", color_scheme="gray"), wrap="wrap")),
        spacing="3", width="100%"), width="100%", id="funding-card"))


def _test_card() -> rx.Component:
    return rx.vstack(
        rx.callout("Test mode: this field stands in for Stripe's card form. Enter a Stripe test card number "
                   "(4242 4242 4242 4242 is accepted); no real card is charged.", icon="flask-conical",
                   color_scheme="amber", id="test-mode-notice"),
        field("Test card number", "card", placeholder="4242 4242 4242 4242"),
        rx.button("Fund this deal", type="submit", color_scheme="green", id="fund-submit"),
        spacing="2", width="100%")


def _payment_element() -> rx.Component:
    return rx.vstack(
        rx.script(src=STRIPE_JS, on_ready=rx.call_script(_MOUNT)),
        rx.box(id="payment-element", data_key=RequestState.stripe_key, data_amount=RequestState.fund_amount_cents,
               data_currency=RequestState.fund_currency, width="100%", min_height="3em"),
        rx.button("Fund this deal", type="button", color_scheme="green", id="fund-submit",
                  on_click=rx.call_script(_COLLECT, callback=RequestState.fund_with_element)),
        spacing="2", width="100%")


def fund_form() -> rx.Component:
    """The sponsor's form while the deal can be funded (the service checks again)."""
    return rx.cond(RequestState.card_mode != "", rx.form(rx.vstack(
        rx.text("Fund this deal by card (still owed ", RequestState.funding["owed"], ")", weight="medium"),
        rx.text("The amount is held on the card and released to the influencer when you approve the delivery; "
                "cancelling the deal refunds it.", size="2", color_scheme="gray"),
        field("Amount to fund", "fund_amount", placeholder="300", hint="The whole amount owed or a part of it."),
        rx.cond(RequestState.card_mode == "test", _test_card(), _payment_element()),
        spacing="2", width="100%"), on_submit=RequestState.fund, no_validate=True, reset_on_submit=False,
        width="100%", id="fund-form"))


def cancel_form() -> rx.Component:
    """The sponsor's "Cancel deal" (an admin's too): a dialog says what happens before the form is sent."""
    admin = AuthState.user_role == "admin"
    f = RequestState.funding
    held = rx.cond(f.contains("held"), " (" + f["held"].to(str) + ")", "")
    message = ("Cancel the deal with " + RequestState.request["influencer"].to(str) + "? What is held by card"
               + held + rx.cond(admin, " is refunded to the sponsor's card", " is refunded to your card")
               + ", and the deal is withdrawn for good: it cannot be reopened, and the influencer is told.")
    return rx.cond(RequestState.actions.contains("cancel"), rx.form(rx.vstack(
        textarea_field("Reason for cancelling", "cancel_reason", rows="2"),
        rx.text(rx.cond(admin, "Required: the sponsor and the influencer see it.",
                        "Optional: the influencer sees it with the cancellation."), size="1", color_scheme="gray",
                id="cancel-reason-hint"),
        rx.text("Cancelling withdraws the deal for good and refunds what is held by card.", size="2",
                color_scheme="gray"),
        confirm_button("Cancel deal", title="Cancel this deal?", message=message, confirm_label="Yes, cancel the deal",
                       form="cancel-deal-form", id="cancel-deal-submit", color="red", variant="soft"),
        spacing="2", width="100%"), on_submit=RequestState.cancel_deal, no_validate=True, reset_on_submit=False,
        width="100%", id="cancel-deal-form"))
