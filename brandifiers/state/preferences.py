"""Every user's delivery preferences (e-mail and chat opt-outs, an own chat webhook), shown on both
profile pages. services.accounts.preferences checks the webhook URL (a refusal shows next to the field)."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.accounts import preferences
from brandifiers.state.base import RoleState

NO_PREFS = {"email_opt_out": "", "chat_opt_out": "", "chat_webhook_url": ""}


class PreferencesState(RoleState):
    prefs: dict[str, str] = dict(NO_PREFS)
    saved: bool = False

    @rx.event
    def load(self):
        ok, p = self._call(preferences.get_mine)
        self.prefs = {"email_opt_out": "1" if p.email_opt_out else "", "chat_opt_out": "1" if p.chat_opt_out else "",
                      "chat_webhook_url": p.chat_webhook_url or ""} if ok else dict(NO_PREFS)
        self.saved = False

    @rx.event
    def save(self, form_data: dict):
        self._clear_form()
        ok, _ = self._call(preferences.save_mine, form_data)
        self.saved = ok
        if ok:
            return [PreferencesState.load, rx.toast.success("Notification settings saved.")]
        return None
