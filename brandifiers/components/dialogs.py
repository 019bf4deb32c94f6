"""A confirmation dialog that asks for a reason (shown to the person affected)."""

import reflex as rx

from brandifiers.components.cards import field_error, form_error


def reason_dialog(title, description: str, *, open, on_close, on_submit, submit_label: str,
                  submit_id: str) -> rx.Component:
    """The reason's error shows under its box, a refusal of the action itself (say, the target was
    already handled) above the buttons, not behind the dialog; it stays open until the action succeeds."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(*title),
            rx.dialog.description(description, size="2"),
            rx.form(
                rx.vstack(
                    rx.text_area(name="reason", id="reason", placeholder="Reason", width="100%", rows="3"),
                    field_error("reason"),
                    form_error(id="dialog-form-error"),
                    rx.hstack(
                        rx.button("Cancel", type="button", variant="soft", color_scheme="gray", on_click=on_close),
                        rx.button(submit_label, type="submit", color_scheme="red", id=submit_id),
                        justify="end", width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=on_submit, no_validate=True,
            ),
        ),
        open=open,
        on_open_change=lambda _open: on_close(),
    )
