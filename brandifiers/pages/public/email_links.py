"""Pages reached from "Forgot password?" and from the e-mailed links (state/email_links.py)."""

import reflex as rx

from brandifiers.components.cards import field, form_error
from brandifiers.components.layout import template
from brandifiers.pages.public.login import auth_card
from brandifiers.state.email_links import EmailLinkState


@template(route="/forgot-password", title="Forgot password", access="anonymous")
def forgot_password() -> rx.Component:
    return auth_card(
        rx.text("Enter the e-mail address of your account: we will send it a link to set a new password.",
                size="2", color_scheme="gray"),
        rx.form(
            rx.vstack(
                form_error(),
                field("E-mail", "email", type="email", placeholder="you@example.com"),
                rx.button("Send me a link", type="submit", size="3", width="100%", id="forgot-submit"),
                spacing="3", width="100%",
            ),
            on_submit=EmailLinkState.forgot_password, reset_on_submit=False, no_validate=True, width="100%",
        ),
        rx.cond(EmailLinkState.sent_message != "",
                rx.callout(EmailLinkState.sent_message, icon="mail", color_scheme="green", id="forgot-sent")),
        rx.text("No e-mail on this site? ", rx.link("Use a reset code from an administrator", href="/reset-password"),
                ".", size="2"),
        rx.text(rx.link("Back to log in", href="/login"), size="2"),
        heading="Forgot your password?",
    )


def _bad_link() -> rx.Component:
    return rx.vstack(
        rx.callout(EmailLinkState.link_message, icon="triangle_alert", color_scheme="red", id="link-invalid"),
        rx.text(rx.link("Ask for a new link", href="/forgot-password"), size="2"),
        spacing="3", width="100%",
    )


@template(route="/new-password", title="New password", on_load=[EmailLinkState.check_reset_link])
def new_password() -> rx.Component:
    return auth_card(
        rx.match(
            EmailLinkState.link_status,
            ("invalid", _bad_link()),
            ("checking", rx.spinner()),
            rx.form(
                rx.vstack(
                    form_error(),
                    field("New password", "password", type="password", hint="At least 8 characters."),
                    field("Repeat the new password", "confirm", type="password"),
                    rx.text("Every device signed in to your account is signed out.", size="2", color_scheme="gray"),
                    rx.button("Set new password", type="submit", size="3", width="100%", id="new-password-submit"),
                    spacing="3", width="100%",
                ),
                on_submit=EmailLinkState.set_new_password, no_validate=True, width="100%",
            ),
        ),
        heading="Set a new password",
    )


@template(route="/verify-email", title="Verify e-mail", on_load=[EmailLinkState.open_link])
def verify_email() -> rx.Component:
    return auth_card(
        rx.match(
            EmailLinkState.link_status,
            ("checking", rx.spinner()),
            ("done", rx.callout(EmailLinkState.link_message, icon="circle_check", color_scheme="green",
                                id="link-done")),
            rx.callout(EmailLinkState.link_message, icon="triangle_alert", color_scheme="red", id="link-invalid"),
        ),
        rx.text(rx.link("Continue", href="/login", id="link-continue"), size="2"),  # /login: a member goes home
        heading="Your e-mail address",
    )
