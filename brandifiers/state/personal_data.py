"""'Your data': closing one's own account (the download goes through ExportState with scope "personal")."""

from __future__ import annotations

from pathlib import Path

import reflex as rx

from brandifiers.services.accounts import closure
from brandifiers.state.base import RoleState


class YourDataState(RoleState):
    close_open: bool = False

    @rx.event
    def open_close(self):
        self._clear_form()
        self.close_open = True

    @rx.event
    def cancel_close(self):
        self._clear_form()
        self.close_open = False

    @rx.event
    def close_account(self, form_data: dict):
        """Password and CLOSE typed; on success the browser forgets the session and goes to the log-in page."""
        self._clear_form()
        ok, _ = self._call(closure.close_own_account, form_data, upload_dir=Path(rx.get_upload_dir()))
        if not ok:
            return None
        self.close_open = False
        self._forget_token()
        self._show_user(None)
        return [rx.toast.info("Your account is closed. Thank you for using Brandifiers.", duration=10000),
                rx.redirect("/login")]
