"""Small shared display pieces: stat cards, field errors, section headers."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar

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


def stat_grid(cards, wide: str = "3") -> rx.Component:
    return rx.grid(rx.foreach(cards, stat_card), columns=rx.breakpoints(initial="1", sm="2", md=wide),
                   spacing="4", width="100%")


def refused_files(rejected):
    """The drop zone's rejected files as "name|code,code" texts, made in the browser: the event then
    carries names and reasons only (Reflex would send each refused file's whole content)."""
    def one(r):
        r = r.to(ObjectVar, dict[str, dict[str, Any]])
        codes = r["errors"].to(ArrayVar, list[dict[str, Any]]).map(lambda e: e["code"]).join(",")
        return r["file"].to(ObjectVar, dict[str, Any])["path"].to(str) + "|" + codes
    return rejected.to(ArrayVar, list[dict[str, Any]]).map(one)


def field_error(field: str) -> rx.Component:
    return rx.cond(
        AuthState.errors.contains(field),
        rx.text(AuthState.errors[field], color_scheme="red", size="2", id=f"error-{field}"),
    )


def form_error(id: str = "form-error") -> rx.Component:
    return rx.cond(
        AuthState.form_error != "",
        rx.callout(AuthState.form_error, icon="triangle_alert", color_scheme="red", role="alert", id=id),
    )


def field(label: str, name: str, *, type: str = "text", placeholder: str = "", hint: str = "",
          default=None) -> rx.Component:
    """A labelled input with its server-side error below it (no maxlength: over-long input is
    refused with a message, never silently cut)."""
    return rx.vstack(
        rx.text(label, as_="label", html_for=name, size="2", weight="medium"),
        rx.input(name=name, id=name, type=type, placeholder=placeholder, width="100%", size="3",
                 **({"default_value": default} if default is not None else {})),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        field_error(name),
        spacing="1", width="100%",
    )


def select_field(label: str, name: str, items: list[str], placeholder: str = "Choose…",
                 default=None) -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", html_for=name, size="2", weight="medium"),
        rx.select(items, name=name, placeholder=placeholder, width="100%", size="3", id=name,
                  **({"default_value": default} if default is not None else {})),
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


def textarea_field(label: str, name: str, *, placeholder: str = "", hint: str = "", default=None,
                   rows: str = "3") -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", html_for=name, size="2", weight="medium"),
        rx.text_area(name=name, id=name, placeholder=placeholder, width="100%", rows=rows,
                     **({"default_value": default} if default is not None else {})),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        field_error(name),
        spacing="1", width="100%",
    )


def status_words(status):
    """A status Var as words ("in progress"); the server side is services.common.labels.status_label."""
    return status.to(str).replace("_", " ")


def status_badge(status) -> rx.Component:
    """The status as words, coloured by its stored value."""
    return rx.badge(status_words(status), color_scheme=rx.match(
        status, ("active", "green"), ("accepted", "green"), ("completed", "blue"), ("paused", "amber"),
        ("negotiating", "amber"), ("pending", "amber"), ("submitted", "violet"), ("in_progress", "violet"),
        ("rejected", "red"), ("withdrawn", "gray"), ("archived", "gray"), ("deactivated", "red"), ("closed", "gray"),
        ("flagged", "orange"), ("done", "green"), ("sent", "green"), ("failed", "red"), ("held", "amber"),
        ("queued", "amber"), ("running", "violet"), ("sending", "violet"), ("confirmed", "green"),
        ("disputed", "orange"), ("voided", "red"), "gray"), variant="soft")


def pager(state, on_prev=None, on_next=None) -> rx.Component:
    """Previous / next for a state with page and has_next (events default to prev_page / next_page)."""
    return rx.hstack(
        rx.button("Previous", size="1", variant="soft", on_click=on_prev or state.prev_page,
                  disabled=state.page == 0),
        rx.text("Page ", state.page + 1, size="2"),
        rx.button("Next", size="1", variant="soft", on_click=on_next or state.next_page, disabled=~state.has_next,
                  id="next-page"),
        align="center",
    )


def result_count(state) -> rx.Component:
    """How many results a search found (or a known bound) and what limits them, above the results."""
    return rx.vstack(
        rx.text(state.result_count, size="2", weight="medium", id="result-count"),
        rx.cond(state.result_note != "", rx.text(state.result_note, size="1", color_scheme="gray",
                                                 id="result-note")),
        spacing="1")


def all_errors() -> rx.Component:
    """Every current message in one callout (for pages with several small forms)."""
    return rx.cond(
        (AuthState.errors.length() > 0) | (AuthState.form_error != ""),
        rx.callout(rx.vstack(rx.cond(AuthState.form_error != "", rx.text(AuthState.form_error)),
                             rx.foreach(AuthState.errors.values(), lambda m: rx.text(m)), spacing="1"),
                   icon="triangle_alert", color_scheme="red", role="alert", id="request-errors", width="100%"),
    )


def request_links(title: str, rows, empty: str, id: str) -> rx.Component:
    """A short list of requests (dashboard cards)."""
    return rx.card(rx.vstack(
        rx.heading(title, size="4", as_="h2"),
        rx.cond(rows.length() > 0,
                rx.foreach(rows, lambda r: rx.hstack(
                    rx.link(r["campaign"], href=r["href"], weight="medium"),
                    rx.text(r["counterpart"], color_scheme="gray"),
                    status_badge(r["status"]), rx.spacer(), rx.text(r["payment"]), width="100%", wrap="wrap")),
                rx.text(empty, size="2", color_scheme="gray")),
        spacing="2", width="100%", id=id), width="100%")
