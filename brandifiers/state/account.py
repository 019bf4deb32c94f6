"""Log-in and sign-up forms."""

from __future__ import annotations

import reflex as rx

from brandifiers.db import session_scope
from brandifiers.services.accounts import auth as auth_service
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.rbac import home_route
from brandifiers.state.auth import AuthState


def _after_login(requested: str | None, home: str) -> str:
    """Follow ?next= only to a page inside the user's own area (never off-site)."""
    if requested and requested.startswith(home + "/") and "//" not in requested:
        return requested
    return home


class AccountState(AuthState):
    @rx.event
    def login(self, form_data: dict):
        self._clear_form()
        try:
            with session_scope() as session:
                result = auth_service.login(session, form_data.get("email", ""), form_data.get("password", ""))
                home = self._enter(result.user, result.token)
        except DomainError as exc:
            self._show_error(exc)
            return None
        return rx.redirect(_after_login(self.router.url.query_parameters.get("next"), home))

    def _enter(self, user, token: str) -> str:
        """Keep the new session's token in the browser; returns the user's home page."""
        self.auth_token = token
        self._show_user(user)
        return home_route(user)

    def _signup(self, form_data: dict, create):
        self._clear_form()
        try:
            with session_scope() as session:
                current = auth_service.resolve_session(session, self.auth_token)
                if current is not None:  # already signed in (e.g. a double submit): go home, create nothing
                    return rx.redirect(home_route(current))
            with session_scope() as session:
                user = create(session, form_data)
                home = self._enter(user, auth_service.start_session(session, user))
        except DomainError as exc:
            self._show_error(exc)
            return None
        return rx.redirect(home)

    @rx.event
    def signup_sponsor(self, form_data: dict):
        return self._signup(form_data, auth_service.signup_sponsor)

    @rx.event
    def signup_influencer(self, form_data: dict):
        return self._signup(form_data, auth_service.signup_influencer)

    @rx.event
    def reset_password(self, form_data: dict):
        """/reset-password: a new password with a code made by an administrator."""
        self._clear_form()
        try:
            with session_scope() as session:
                auth_service.reset_password_with_code(
                    session, form_data.get("email", ""), form_data.get("code", ""),
                    form_data.get("password", ""), form_data.get("confirm", ""))
        except DomainError as exc:
            self._show_error(exc)
            return None
        return [rx.toast.success("Your password was changed. Log in with the new one."), rx.redirect("/login")]
