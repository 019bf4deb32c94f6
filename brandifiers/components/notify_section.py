"""Account page section: where the notification settings are (the sponsor's or influencer's profile page)."""

import reflex as rx

from brandifiers.state.auth import AuthState


def notify_section() -> rx.Component:
    """Sponsors and influencers only (an admin has no notification settings)."""
    href = "/" + AuthState.user_role + "/profile#notifications"
    member = (AuthState.user_role == "sponsor") | (AuthState.user_role == "influencer")
    return rx.cond(member, rx.card(rx.vstack(
        rx.heading("Notifications", size="4", as_="h2"),
        rx.text("Which kinds of notification reach you by e-mail or chat, at once or in the daily digest, and "
                "the daily reminder: on your profile page.", size="2", color_scheme="gray"),
        rx.link("Open the notification settings", href=href, weight="medium", size="2", id="notify-settings-link"),
        spacing="2", width="100%"), width="100%", id="notify-section"))
