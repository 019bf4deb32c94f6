"""The e-mailed links (services/messaging/account_links.py): "Forgot password?", the new-password page, opening a
verification or e-mail change link, resending the verification and asking for a new address."""

from __future__ import annotations

import reflex as rx

from brandifiers.db import session_scope
from brandifiers.services.accounts import auth as auth_service
from brandifiers.services.common.errors import DomainError
from brandifiers.services.messaging import account_links
from brandifiers.state.auth import in_hashing_thread
from brandifiers.state.base import RoleState


def _set_password(raw: str, form_data: dict, client: str) -> None:
    with session_scope() as session:
        account_links.reset_with_link(session, raw, form_data.get("password", ""), form_data.get("confirm", ""),
                               client=client)


class EmailLinkState(RoleState):
    sent_message: str = ""  # the answer to "Forgot password?" / to a new address
    link_status: str = "checking"  # checking | valid | invalid | done
    link_message: str = ""
    pending_email: str = ""  # a new address waiting for its link

    def _link_token(self) -> str:
        return str(self.router.url.query_parameters.get("token", "") or "")

    @rx.event
    def forgot_password(self, form_data: dict):
        self._clear_form()
        self.sent_message = ""
        try:
            with session_scope() as session:
                self.sent_message = account_links.request_reset(session, form_data.get("email", ""),
                                                         client=self._client_address())
        except DomainError as exc:
            self._show_error(exc)

    @rx.event
    def check_reset_link(self):
        """/new-password on load: show the form only for a link that can still be used."""
        self._clear_form()
        with session_scope() as session:
            ok = account_links.link_is_valid(session, self._link_token(), account_links.RESET)
        self.link_status = "valid" if ok else "invalid"
        self.link_message = "" if ok else account_links.BAD_LINK

    @rx.event
    async def set_new_password(self, form_data: dict):
        self._clear_form()
        try:
            await in_hashing_thread(_set_password, self._link_token(), form_data, self._client_address())
        except DomainError as exc:
            self._show_error(exc)
            return None
        self.link_status = "done"
        return [rx.toast.success("Your password was changed. Log in with the new one."), rx.redirect("/login")]

    @rx.event
    def open_link(self):
        """/verify-email on load: the address is verified (or changed); the banner goes away."""
        self._clear_form()
        try:
            with session_scope() as session:
                self.link_message = account_links.open_link(session, self._link_token())
            self.link_status = "done"
        except DomainError as exc:
            self.link_status, self.link_message = "invalid", exc.message
        with session_scope() as session:
            self._show_user(auth_service.resolve_digest(session, self._token_hash))

    @rx.event
    def resend_verification(self):
        self._clear_form()
        ok, message = self._call(account_links.resend_verification)
        if ok:
            return rx.toast.success(message)
        return rx.toast.error(self.form_error or "The link could not be sent.")

    def _load_pending(self) -> None:
        with session_scope() as session:
            self.pending_email = account_links.pending_email_change(session, self._actor_id(session))

    @rx.event
    def load_email_change(self):
        self.sent_message = ""
        self._load_pending()

    @rx.event
    def request_email_change(self, form_data: dict):
        self._clear_form()
        self.sent_message = ""
        ok, message = self._call(account_links.request_email_change, form_data.get("new_email", ""))
        if ok:
            self.sent_message = message
            self._load_pending()
