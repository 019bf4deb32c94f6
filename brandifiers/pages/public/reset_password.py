"""Set a new password with a one-time code given by an administrator."""

import reflex as rx

from brandifiers.components.cards import field, form_error
from brandifiers.components.layout import template
from brandifiers.pages.public.login import auth_card
from brandifiers.state.account import AccountState


@template(route="/reset-password", title="Reset password", access="anonymous")
def reset_password() -> rx.Component:
    return auth_card(
        rx.text("An administrator gave you a one-time code (valid 24 hours). Enter it with a new password.",
                size="2", color_scheme="gray"),
        rx.form(
            rx.vstack(
                form_error(),
                field("E-mail", "email", type="email", placeholder="you@example.com"),
                field("Reset code", "code", placeholder="ABCDE-FGHJK"),
                field("New password", "password", type="password", hint="At least 8 characters."),
                field("Repeat the new password", "confirm", type="password"),
                rx.button("Set new password", type="submit", size="3", width="100%", id="reset-submit"),
                spacing="3", width="100%",
            ),
            on_submit=AccountState.reset_password, no_validate=True, width="100%",
        ),
        rx.text(rx.link("Back to log in", href="/login"), size="2"),
        heading="Reset your password",
    )
