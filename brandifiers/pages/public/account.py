"""Every role: /account, one section component per concern (password, sessions, notifications), stacked."""

import reflex as rx

from brandifiers.components.cards import form_error
from brandifiers.components.layout import template
from brandifiers.components.notify_section import notify_section
from brandifiers.components.password_section import password_section
from brandifiers.components.sessions_section import sessions_section
from brandifiers.state.account_page import AccountPageState


@template(route="/account", title="Account", access="member", on_load=[AccountPageState.load])
def account_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Account", size="7"),
        form_error(),
        password_section(),
        sessions_section(),
        notify_section(),
        spacing="4", width="100%", max_width="800px",
    )
