"""Account page section: change password (current one required; the other sessions are signed out)."""

import reflex as rx

from brandifiers.components.cards import field
from brandifiers.services.common.validation import PASSWORD_MIN
from brandifiers.state.account_page import AccountPageState


def password_section() -> rx.Component:
    return rx.card(rx.form(rx.vstack(
        rx.heading("Password", size="4", as_="h2"),
        rx.text("Changing it signs out every other browser and device; this one stays signed in.",
                size="2", color_scheme="gray"),
        field("Current password", "current_password", type="password"),
        field("New password", "new_password", type="password", hint=f"At least {PASSWORD_MIN} characters."),
        field("New password again", "confirm_password", type="password"),
        rx.button("Change password", type="submit", id="change-password"),
        spacing="3", width="100%", max_width="420px"),
        on_submit=AccountPageState.change_password, reset_on_submit=False), width="100%", id="password-section")
