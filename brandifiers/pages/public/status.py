"""Pages for accounts that cannot act yet: awaiting approval, flagged or deactivated."""

import reflex as rx

from brandifiers.components.layout import template
from brandifiers.state.auth import AuthState


def _notice(icon: str, heading: str) -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.icon(icon, size=40),
                rx.heading(heading, size="6", id="notice-heading"),
                rx.text(AuthState.user_notice, id="notice-text"),
                rx.button("Log out", on_click=AuthState.logout, variant="outline"),
                spacing="4", align="center",
            ),
            max_width="520px", width="100%", size="3",
        ),
        padding_top="3em", width="100%",
    )


@template(route="/awaiting-approval", title="Awaiting approval", access="pending")
def awaiting_approval() -> rx.Component:
    return _notice("hourglass", "Awaiting approval")


@template(route="/account-notice", title="Account notice", access="notice")
def account_notice() -> rx.Component:
    return _notice("octagon-alert", "Your account is on hold")
