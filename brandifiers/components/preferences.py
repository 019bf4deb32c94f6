"""The notification settings card (PreferencesState): kinds × channels with at once / daily digest per
kind (a table on wide screens, one card per kind on phones), the channel opt-outs and the chat webhook.
Self-contained: any page that loads PreferencesState can show it."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.cards import field, field_error
from brandifiers.state.preferences import PreferencesState, UnsubscribeState

_COLUMNS = rx.breakpoints(initial="repeat(3, minmax(0, 1fr))", sm="minmax(0, 2fr) 4.5em 4.5em 4.5em minmax(9em, 1.3fr)")
_PHONE = rx.breakpoints(initial="inline", sm="none")
_FULL_ROW = rx.breakpoints(initial="1 / -1", sm="auto")  # on a phone: the label and the When list span the card


def _box(channel: str, label: str, row) -> rx.Component:
    name = f"{channel}__" + row["key"]
    return rx.el.label(
        rx.checkbox(name=name, id=name, default_checked=row[channel] != "", aria_label=f"{label}: " + row["label"]),
        rx.text(label, size="2", display=_PHONE),
        display="flex", align_items="center", gap="0.4em", cursor="pointer",
    )


def _kind_row(row) -> rx.Component:
    mode = "mode__" + row["key"]
    return rx.box(
        rx.text(row["label"], weight="medium", size="2", grid_column=_FULL_ROW),
        rx.hstack(rx.icon("bell", size=14), rx.text("In-app", size="2", display=_PHONE), align="center",
                  spacing="1", color=rx.color("gray", 10), title="In-app: always on"),
        _box("email", "E-mail", row),
        _box("chat", "Chat", row),
        rx.el.select(
            rx.el.option("At once", value="immediate"), rx.el.option("Daily digest", value="digest"),
            name=mode, id=mode, default_value=row["mode"], aria_label="When: " + row["label"], grid_column=_FULL_ROW,
            style={"padding": "0.35em 0.5em", "border_radius": "6px", "border": f"1px solid {rx.color('gray', 7)}",
                   "background": rx.color("gray", 1), "font_size": "14px", "width": "100%", "min_height": "36px"},
        ),
        id="kind-" + row["key"], class_name="notify-kind",
        display="grid", grid_template_columns=_COLUMNS, align_items="center",
        column_gap="0.75em", row_gap="0.5em", padding=rx.breakpoints(initial="0.75em", sm="0.5em 0"),
        border=rx.breakpoints(initial=f"1px solid {rx.color('gray', 5)}", sm="none"),
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        border_radius=rx.breakpoints(initial="8px", sm="0"), width="100%",
    )


def _header() -> rx.Component:
    cells = ["Kind", "In-app", "E-mail", "Chat", "When"]
    return rx.box(*[rx.text(c, size="1", weight="bold", color=rx.color("gray", 11)) for c in cells],
                  display=rx.breakpoints(initial="none", sm="grid"), grid_template_columns=_COLUMNS,
                  column_gap="0.75em", padding_bottom="0.25em", border_bottom=f"1px solid {rx.color('gray', 7)}",
                  width="100%")


def preferences_card() -> rx.Component:
    """Per kind: e-mail and chat on or off, at once or in the daily digest; in-app is always on."""
    p = PreferencesState.prefs
    return rx.card(rx.form(rx.vstack(
        rx.heading("Notifications", size="4", as_="h2"),
        rx.text("In-app notifications are always on. Choose, for each kind, where else it reaches you and when "
                "(the daily digest comes once a day with everything since the last one).", size="2"),
        rx.cond(PreferencesState.kinds.length() > 0, rx.vstack(
            _header(), rx.foreach(PreferencesState.kinds, _kind_row), field_error("notify_kinds"),
            rx.checkbox("Daily reminder by e-mail (requests waiting for your answer, or a nudge after days away)",
                        name="reminder_email", default_checked=p["reminder_email"] != "", id="reminder_email"),
            spacing="2", width="100%", id="notify-kinds")),
        rx.checkbox("No e-mail at all, please (also no daily reminders)", name="email_opt_out",
                    default_checked=p["email_opt_out"] != "", id="email_opt_out"),
        rx.checkbox("No chat messages at all, please", name="chat_opt_out", default_checked=p["chat_opt_out"] != "",
                    id="chat_opt_out"),
        field("My Google Chat webhook URL", "chat_webhook_url", default=p["chat_webhook_url"],
              hint="Needed for the Chat column: an incoming-webhook URL of your own Chat space."),
        field_error("email_opt_out"),
        rx.button("Save notification settings", type="submit", id="prefs-submit"),
        spacing="3", width="100%"),
        on_submit=PreferencesState.save, no_validate=True, width="100%", key=PreferencesState.version),
        width="100%", id="notifications")  # the account page links here


def unsubscribe_notice() -> rx.Component:
    """What the one-click unsubscribe page says (UnsubscribeState)."""
    return rx.center(rx.card(rx.vstack(
        rx.icon(rx.cond(UnsubscribeState.refused, "circle-alert", "mail-x"), size=36),
        rx.heading(rx.cond(UnsubscribeState.refused, "Link not valid", "Unsubscribed"), size="6"),
        rx.text(rx.cond(UnsubscribeState.outcome != "", UnsubscribeState.outcome, "One moment…"),
                id="unsubscribe-outcome"),
        rx.text("You still see these notifications in the app. Change any kind on your profile page.", size="2",
                color_scheme="gray"),
        spacing="3", align="center"), max_width="520px", width="100%", size="3"), padding_top="3em", width="100%")
