"""The dialog that asks an admin for the reason of a flag, unflag or rejection."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.cards import field_error, form_error
from brandifiers.state.moderation import ModerationState


def reason_button(label: str, action: str, target_id, title, *, color: str = "red", id=None,
                  size: str = "1") -> rx.Component:
    return rx.button(label, size=size, variant="soft", color_scheme=color, id=id,
                     on_click=ModerationState.open_reason(action, target_id, title))


def reason_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(ModerationState.reason_title),
            rx.dialog.description("A reason is required; the people concerned will see it.", size="2"),
            rx.form(
                rx.vstack(
                    form_error(),
                    rx.text_area(name="reason", id="reason", placeholder="Reason", width="100%", rows="3"),
                    field_error("reason"),
                    rx.hstack(
                        rx.button("Cancel", type="button", variant="soft", color_scheme="gray",
                                  on_click=ModerationState.close_reason),
                        rx.button(ModerationState.reason_button, type="submit", color_scheme="red",
                                  id="reason-submit"),
                        justify="end", width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=ModerationState.submit_reason, no_validate=True, reset_on_submit=False,
            ),
        ),
        open=ModerationState.reason_action != "",
        on_open_change=lambda _open: ModerationState.close_reason(),
    )
