"""'Your data' (self-contained, any member page): download everything held about me, close my account; and the
admin's two buttons for one user on request. The closing dialog says what happens (docs/personal-data.md)."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.cards import field_error, form_error
from brandifiers.components.exports import progress_bar
from brandifiers.state.exports import ExportState
from brandifiers.state.personal_data import YourDataState

WHAT_HAPPENS = [
    "Your e-mail address, names, bio, location, platform handles, picture and chat webhook are erased.",
    "You are signed out everywhere and can no longer log in; every message to you stops.",
    "Requests not yet agreed are withdrawn.",
    "Offers, payments and post figures stay in your partners' records, with their amounts and dates, "
    "under the name “Closed account”.",
    "This cannot be undone. Your e-mail address can be used for a new account later.",
]
BLOCKED = ("An account cannot close while a deal is accepted, in progress or submitted, or completed and not yet "
           "paid in full.")


def download_form(label: str, *hidden: rx.Component, id: str) -> rx.Component:
    """A button that builds the ZIP of a person's data (ExportState) and downloads it when ready."""
    return rx.form(
        rx.el.input(type="hidden", name="scope", value="personal"), *hidden,
        rx.vstack(rx.button(label, type="submit", variant="outline", loading=ExportState.running, id=id),
                  progress_bar(), spacing="2", width="100%"),
        on_submit=ExportState.start, no_validate=True, width="100%")


def _closing_fields(first: rx.Component) -> rx.Component:
    return rx.vstack(
        first,
        rx.text("Type CLOSE to confirm", as_="label", html_for="close-confirm", size="2", weight="medium"),
        rx.input(name="confirm", id="close-confirm", placeholder="CLOSE", auto_complete="off", width="100%"),
        field_error("confirm"),
        form_error(id="close-form-error"),
        spacing="2", width="100%")


def close_dialog(title, intro: str, first: rx.Component, *, open, on_close, on_submit, submit_label: str,
                 id: str) -> rx.Component:
    """The closing confirmation: what happens, then the proof (password or request note) and CLOSE typed."""
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(title),
        rx.dialog.description(intro, size="2"),
        rx.unordered_list(*[rx.list_item(t, size="2") for t in WHAT_HAPPENS], id=f"{id}-what-happens"),
        rx.text(BLOCKED, size="1", color_scheme="gray"),
        rx.form(rx.vstack(
            _closing_fields(first),
            rx.hstack(
                rx.button("Cancel", type="button", variant="soft", color_scheme="gray", on_click=on_close),
                rx.button(submit_label, type="submit", color_scheme="red", id=f"{id}-submit"),
                justify="end", width="100%"),
            spacing="3", width="100%"), on_submit=on_submit, no_validate=True, width="100%"),
        id=id), open=open, on_open_change=lambda _open: on_close())


def your_data_card() -> rx.Component:
    """'Your data': download my data, close my account."""
    password = rx.vstack(
        rx.text("Your password", as_="label", html_for="close-password", size="2", weight="medium"),
        rx.input(name="password", id="close-password", type="password", auto_complete="current-password",
                 width="100%"),
        field_error("password"), spacing="1", width="100%")
    return rx.card(rx.vstack(
        rx.heading("Your data", size="4", as_="h2"),
        rx.text("Download everything Brandifiers holds about you (profile, requests, offers, payments and card "
                "payments, figures, notifications and your choices for them, and the log entries about you) as a "
                "ZIP of CSV files.", size="2"),
        download_form("Download my data", id="download-my-data"),
        rx.divider(),
        rx.text("Closing your account erases your personal details; the records of your deals stay for your "
                "partners.", size="2"),
        rx.button("Close my account…", color_scheme="red", variant="soft", on_click=YourDataState.open_close,
                  id="close-account"),
        close_dialog("Close your account?", "When you close your account:", password,
                     open=YourDataState.close_open, on_close=YourDataState.cancel_close,
                     on_submit=YourDataState.close_account, submit_label="Close my account",
                     id="close-account-dialog"),
        spacing="3", width="100%"), width="100%", id="your-data")
