"""The dialog that asks an admin for the reason of a flag, unflag or rejection."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.dialogs import reason_dialog as generic_reason_dialog
from brandifiers.state.moderation import ModerationState


def reason_button(label: str, action: str, target_id, title, *, color: str = "red", id=None,
                  size: str = "1") -> rx.Component:
    return rx.button(label, size=size, variant="soft", color_scheme=color, id=id,
                     on_click=ModerationState.open_reason(action, target_id, title))


def reason_dialog() -> rx.Component:
    """The one dialog of ModerationState (flag, unflag, reject), on every page that moderates."""
    return generic_reason_dialog((ModerationState.reason_title,),
                                 "A reason is required; the people concerned will see it.",
                                 open=ModerationState.reason_action != "", on_close=ModerationState.close_reason,
                                 on_submit=ModerationState.submit_reason, submit_label=ModerationState.reason_button,
                                 submit_id="reason-submit")
