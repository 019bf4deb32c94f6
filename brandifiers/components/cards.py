"""Small shared display pieces: stat cards, field errors, section headers."""

from __future__ import annotations

import reflex as rx

from brandifiers.state.auth import AuthState


def stat_card(card) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(card["label"], size="2", color_scheme="gray"),
            rx.text(card["value"], size="6", weight="bold"),
            rx.text(card["hint"], size="1", color_scheme="gray"),
            spacing="1",
        ),
        width="100%",
    )


def stat_grid(cards) -> rx.Component:
    return rx.grid(rx.foreach(cards, stat_card), columns=rx.breakpoints(initial="1", sm="2", md="3"),
                   spacing="4", width="100%")


def field_error(field: str) -> rx.Component:
    return rx.cond(
        AuthState.errors.contains(field),
        rx.text(AuthState.errors[field], color_scheme="red", size="2", id=f"error-{field}"),
    )


def form_error() -> rx.Component:
    return rx.cond(
        AuthState.form_error != "",
        rx.callout(AuthState.form_error, icon="triangle_alert", color_scheme="red", role="alert", id="form-error"),
    )


def field(label: str, name: str, *, type: str = "text", placeholder: str = "", hint: str = "") -> rx.Component:
    """A labelled input with its server-side error below it (no maxlength: over-long input is
    refused with a message, never silently cut)."""
    return rx.vstack(
        rx.text(label, as_="label", html_for=name, size="2", weight="medium"),
        rx.input(name=name, id=name, type=type, placeholder=placeholder, width="100%", size="3"),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        field_error(name),
        spacing="1", width="100%",
    )


def select_field(label: str, name: str, items: list[str], placeholder: str = "Choose…") -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", html_for=name, size="2", weight="medium"),
        rx.select(items, name=name, placeholder=placeholder, width="100%", size="3", id=name),
        field_error(name),
        spacing="1", width="100%",
    )


def _note(n) -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.text(n["title"], weight="medium", size="2"), rx.spacer(),
                  rx.text(n["when"], size="1", color_scheme="gray"), width="100%"),
        rx.text(n["body"], size="2", color_scheme="gray"),
        spacing="1", width="100%",
    )


def notifications_card(notifications) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Notifications", size="4", as_="h2"),
            rx.cond(notifications.length() > 0, rx.foreach(notifications, _note),
                    rx.text("Nothing new.", size="2", color_scheme="gray")),
            spacing="3", width="100%",
        ),
        width="100%",
    )
