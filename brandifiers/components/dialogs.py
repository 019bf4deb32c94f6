"""Confirmation dialogs: one that asks for a reason (shown to the person affected), one that says
what an action will do before it runs (money committed, or no way back)."""

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


def confirm_button(label, *, title, message, confirm_label: str, on_confirm=None, id: str | None = None,
                   color: str = "violet", variant: str = "solid", size: str = "2", form: str | None = None,
                   **props) -> rx.Component:
    """A button that opens a dialog saying what will happen; Cancel closes it, the confirm button runs
    on_confirm (or submits the form whose id is `form`). The confirm button's id is `id`-confirm."""
    if form:  # the form stays on the page while the dialog closes: submitted as its own button would
        on_confirm = rx.call_script(f"document.getElementById({form!r}).requestSubmit()")
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(label, type="button", color_scheme=color, variant=variant, size=size,
                                          id=id, **props)),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(message, size="2", id=_suffix(id, "-message")),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray",
                                                 id=_suffix(id, "-cancel"))),
                rx.alert_dialog.action(rx.button(confirm_label, color_scheme=color,
                                                 id=_suffix(id, "-confirm"), on_click=on_confirm)),
                justify="end", spacing="3", margin_top="1em",
            ),
            max_width="min(450px, 92vw)",
        ),
    )


def _suffix(id, suffix: str):
    return None if id is None else id + suffix  # id may be a Var (a row's id)
