"""Every user's delivery preferences (e-mail and chat opt-outs, an own chat webhook, and per kind of
notification: e-mail, chat, at once or in the daily digest), shown on both profile pages; and the public
one-click unsubscribe page. services.accounts.preferences validates (a refusal shows next to its field)."""

from __future__ import annotations

import reflex as rx

from brandifiers.db import session_scope
from brandifiers.services.accounts import preferences
from brandifiers.services.common.errors import DomainError
from brandifiers.state.auth import AuthState
from brandifiers.state.base import RoleState

NO_PREFS = {"email_opt_out": "", "chat_opt_out": "", "chat_webhook_url": "", "reminder_email": ""}


class PreferencesState(RoleState):
    prefs: dict[str, str] = dict(NO_PREFS)
    # one row per kind of the person's role: key, label, email / chat ("1" or ""), mode (immediate | digest)
    kinds: list[dict[str, str]] = []
    version: int = 0  # a new number re-creates the form, so its boxes show what was loaded
    saved: bool = False

    @rx.event
    def load(self):
        ok, p = self._call(preferences.get_mine)
        self.prefs = {"email_opt_out": "1" if p.email_opt_out else "", "chat_opt_out": "1" if p.chat_opt_out else "",
                      "chat_webhook_url": p.chat_webhook_url or ""} if ok else dict(NO_PREFS)
        ok, reminder = self._call(preferences.my_reminder)
        self.prefs["reminder_email"] = "1" if ok and reminder.email else ""
        ok, rows = self._call(preferences.my_choices)
        self.kinds = [{"key": k.key, "label": k.label, "email": "1" if c.email else "", "chat": "1" if c.chat else "",
                       "mode": "digest" if c.digest else "immediate"} for k, c in rows] if ok else []
        self.version += 1
        self.saved = False

    @rx.event
    def save(self, form_data: dict):
        self._clear_form()
        ok, _ = self._call(preferences.save_mine, form_data)
        self.saved = ok
        if ok:
            return [PreferencesState.load, rx.toast.success("Notification settings saved.")]
        return None


class UnsubscribeState(AuthState):
    """The page an e-mail's "Stop these e-mails" link opens: the token in ?t= turns that e-mail off."""

    outcome: str = ""
    refused: bool = False

    @rx.event
    def load(self):
        token = str(self.router._page.params.get("t", "") or "")
        try:
            with session_scope() as session:
                self.outcome, self.refused = preferences.unsubscribe(session, token), False
        except DomainError as exc:
            self.outcome, self.refused = exc.message, True
