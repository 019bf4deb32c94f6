"""The notification settings card of both profile pages (PreferencesState)."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.cards import field, field_error
from brandifiers.state.preferences import PreferencesState


def preferences_card() -> rx.Component:
    """E-mail and chat choices (in-app notifications are always on)."""
    p = PreferencesState.prefs
    return rx.card(rx.form(rx.vstack(
        rx.heading("Notifications", size="4", as_="h2"),
        rx.text("In-app notifications are always on. Daily reminders and reports also go to:", size="2"),
        rx.checkbox("No e-mail, please", name="email_opt_out", default_checked=p["email_opt_out"] != "",
                    id="email_opt_out"),
        rx.checkbox("No chat messages, please", name="chat_opt_out", default_checked=p["chat_opt_out"] != "",
                    id="chat_opt_out"),
        field("My Google Chat webhook URL", "chat_webhook_url", default=p["chat_webhook_url"],
              hint="Optional: an incoming-webhook URL of your own Chat space."),
        field_error("email_opt_out"),
        rx.button("Save notification settings", type="submit", id="prefs-submit"),
        spacing="3", width="100%"),
        on_submit=PreferencesState.save, no_validate=True, width="100%",
        key=p["chat_webhook_url"] + p["email_opt_out"] + p["chat_opt_out"]), width="100%")
