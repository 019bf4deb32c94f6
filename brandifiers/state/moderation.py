"""The reason dialog shared by every admin flag, unflag and rejection."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.deals import moderation
from brandifiers.state.base import RoleState
from brandifiers.state.notifications import LOADERS

# dialog action -> (service, button label, toast)
ACTIONS = {
    "flag_user": (moderation.flag_user, "Flag user", "User flagged; they now see only a notice."),
    "unflag_user": (moderation.unflag_user, "Lift flag", "Flag lifted."),
    "flag_campaign": (moderation.flag_campaign, "Flag campaign", "Campaign flagged and hidden."),
    "unflag_campaign": (moderation.unflag_campaign, "Lift flag", "Flag lifted; the campaign is back."),
    "flag_request": (moderation.flag_request, "Freeze request", "Request frozen."),
    "unflag_request": (moderation.unflag_request, "Unfreeze request", "Request unfrozen."),
    "reject_campaign": (moderation.reject_campaign, "Reject campaign", "Campaign rejected; the sponsor sees why."),
}


class ModerationState(RoleState):
    reason_action: str = ""
    reason_target: int = 0
    reason_title: str = ""
    reason_button: str = ""

    @rx.event
    def open_reason(self, action: str, target_id: int, title: str):
        self._clear_form()
        if action in ACTIONS:
            self.reason_action, self.reason_target, self.reason_title = action, int(target_id), title
            self.reason_button = ACTIONS[action][1]

    @rx.event
    def close_reason(self):
        self.reason_action, self.reason_target = "", 0
        self._clear_form()

    @rx.event
    def submit_reason(self, form_data: dict):
        self._clear_form()
        if self.reason_action not in ACTIONS:
            return None
        fn, _label, done = ACTIONS[self.reason_action]
        ok, _ = self._call(fn, self.reason_target, form_data.get("reason", ""))
        if not ok:
            return None
        self.reason_action, self.reason_target = "", 0
        return [*LOADERS.get((self.router.route_id or "").strip("/"), []), rx.toast.success(done)]
