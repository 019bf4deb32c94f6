"""Account page section: the person's signed-in sessions (device, signed in, last seen) and their sign-out."""

import reflex as rx

from brandifiers.state.account_page import AccountPageState


def _session(s) -> rx.Component:
    current = s["current"] != ""
    return rx.flex(
        rx.vstack(
            rx.hstack(rx.text(s["device"], weight="medium", size="2"),
                      rx.cond(current, rx.badge("This device", color_scheme="green", variant="soft")),
                      align="center", spacing="2", wrap="wrap"),
            rx.text("Signed in ", s["signed_in"], " · last seen ", s["last_seen"], size="1", color_scheme="gray"),
            spacing="1"),
        rx.spacer(),
        rx.cond(current, rx.fragment(),
                rx.button("Sign out", size="1", variant="soft", color_scheme="red", id="sign-out-" + s["id"],
                          on_click=AccountPageState.sign_out(s["id"]))),
        align="center", gap="2", wrap="wrap", width="100%", padding_y="0.5em",
        border_bottom="1px solid var(--gray-a4)", class_name="session-row", id="session-" + s["id"])


def sessions_section() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading("Signed-in sessions", size="4", as_="h2"),
        rx.text(AccountPageState.sessions.length(),
                rx.cond(AccountPageState.sessions.length() == 1, " open session.", " open sessions."),
                " Sign out any you do not recognise.", size="2", color_scheme="gray", id="sessions-count"),
        rx.foreach(AccountPageState.sessions, _session),
        rx.button("Sign out all other sessions", variant="outline", color_scheme="red", size="2",
                  on_click=AccountPageState.sign_out_others, disabled=AccountPageState.sessions.length() < 2,
                  id="sign-out-others"),
        spacing="2", width="100%"), width="100%", id="sessions-section")
