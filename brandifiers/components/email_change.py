"""The e-mail address card of the profile pages: the address now, a new one waiting for its link, a form."""

import reflex as rx

from brandifiers.components.cards import field
from brandifiers.state.auth import AuthState
from brandifiers.state.email_links import EmailLinkState


def email_card() -> rx.Component:
    return rx.card(rx.form(rx.vstack(
        rx.heading("E-mail address", size="4", as_="h2"),
        rx.text("Your address: ", rx.text.strong(AuthState.user_email, id="current-email"), size="2"),
        rx.cond(EmailLinkState.pending_email != "",
                rx.text("Waiting for you to open the link sent to ", rx.text.strong(EmailLinkState.pending_email),
                        ": until then your address stays the same.", size="2", color_scheme="gray",
                        id="pending-email")),
        field("New e-mail address", "new_email", type="email", placeholder="you@example.com",
              hint="We send a link to the new address; we tell the old one once it changes."),
        rx.cond(EmailLinkState.sent_message != "",
                rx.callout(EmailLinkState.sent_message, icon="mail", color_scheme="green", id="email-sent")),
        rx.button("Change e-mail", type="submit", variant="soft", id="email-submit"),
        spacing="3", width="100%", align="start",
    ), on_submit=EmailLinkState.request_email_change, no_validate=True, width="100%"), width="100%")


def verify_banner() -> rx.Component:
    """Shown on every page to a signed-in person whose address is not verified yet."""
    return rx.cond(
        AuthState.logged_in & ~AuthState.user_verified,
        rx.callout(
            rx.flex(
                rx.text("Verify your e-mail address: open the link we sent to ", rx.text.strong(AuthState.user_email),
                        rx.cond(AuthState.user_role == "sponsor",
                                ". Until then your account is not sent to an administrator for approval.",
                                ". Until then sponsors cannot find you in their search."),
                        id="verify-notice"),
                rx.button("Send the link again", size="1", variant="soft", on_click=EmailLinkState.resend_verification,
                          id="verify-resend"),
                spacing="3", align="center", wrap="wrap",
            ),
            icon="mail_warning", color_scheme="amber", margin_bottom="1em", id="verify-banner",
        ),
    )
