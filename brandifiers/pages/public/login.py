"""Log-in page."""

import reflex as rx

from brandifiers.components.cards import field, form_error
from brandifiers.components.layout import template
from brandifiers.state.account import AccountState


def auth_card(*children, heading: str) -> rx.Component:
    return rx.center(
        rx.card(rx.vstack(rx.heading(heading, size="6"), *children, spacing="4", width="100%"),
                width="100%", max_width="440px", size="3"),
        width="100%", padding_top=["1em", "3em"],
    )


@template(route="/login", title="Log in", access="anonymous")
def login() -> rx.Component:
    return auth_card(
        rx.form(
            rx.vstack(
                form_error(),
                field("E-mail", "email", type="email", placeholder="you@example.com"),
                field("Password", "password", type="password"),
                rx.button("Log in", type="submit", size="3", width="100%", id="login-submit"),
                spacing="3", width="100%",
            ),
            on_submit=AccountState.login, no_validate=True, width="100%",
        ),
        rx.text("No account yet? ", rx.link("Sign up as a creator", href="/signup/influencer"), " or ",
                rx.link("as a brand", href="/signup/sponsor"), ".", size="2"),
        rx.text(rx.link("Forgot password?", href="/forgot-password", id="forgot-link"), " · ",
                rx.link("Have a reset code from an administrator?", href="/reset-password", id="reset-link"),
                size="2"),
        heading="Log in",
    )
