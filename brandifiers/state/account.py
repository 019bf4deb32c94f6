"""Log-in, sign-up and reset forms; their password hashing runs in the one hashing thread, off the event loop."""

from __future__ import annotations

import reflex as rx

from brandifiers.db import session_scope
from brandifiers.services.accounts import auth as auth_service
from brandifiers.services.accounts import throttle
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.rbac import home_route
from brandifiers.services.messaging import account_links
from brandifiers.state.auth import AuthState, in_hashing_thread


def _after_login(requested: str | None, home: str) -> str:
    """Follow ?next= only to a page inside the user's own area (never off-site)."""
    if requested and requested.startswith(home + "/") and "//" not in requested:
        return requested
    return home


def _limit(action: str, client: str) -> None:
    """The per-address request rate (throttle.limit_requests): over it, a message and nothing written."""
    with session_scope() as session:
        throttle.limit_requests(session, action, client)


def _login(email: str, password: str, client: str, device_hash: str, user_agent: str):
    _limit("login", client)
    with session_scope() as session:
        return auth_service.login(session, email, password, client=client, device_hash=device_hash or None,
                                  user_agent=user_agent)


def _signup(token_hash: str, form_data: dict, create, client: str, user_agent: str):
    """(user, new token) or (user, None) when the browser is already signed in (a double submit)."""
    with session_scope() as session:
        current = auth_service.resolve_digest(session, token_hash)
        if current is not None:
            return current, None
    _limit("signup", client)
    with session_scope() as session:
        user = create(session, form_data)
        account_links.send_verification(session, user)  # the address stays unverified until its link is opened
        return user, auth_service.start_session(session, user, user_agent=user_agent)


def _reset(form_data: dict, client: str) -> None:
    _limit("reset", client)
    with session_scope() as session:
        auth_service.reset_password_with_code(
            session, form_data.get("email", ""), form_data.get("code", ""),
            form_data.get("password", ""), form_data.get("confirm", ""), client=client)


class AccountState(AuthState):
    @rx.event
    async def login(self, form_data: dict):
        self._clear_form()
        try:
            result = await in_hashing_thread(_login, str(form_data.get("email", "")),
                                             str(form_data.get("password", "")), self._client_address(),
                                             self._device_hash, self._user_agent())
        except DomainError as exc:
            self._show_error(exc)
            return None
        if result.device_token:
            self.device_token = result.device_token
        home = self._enter(result.user, result.token)
        return rx.redirect(_after_login(self.router.url.query_parameters.get("next"), home))

    def _enter(self, user, token: str) -> str:
        """Keep the new session's token in the browser; returns the user's home page."""
        self.auth_token = token
        self._show_user(user)
        return home_route(user)

    async def _signup(self, form_data: dict, create):
        self._clear_form()
        try:
            user, token = await in_hashing_thread(_signup, self._token_hash, form_data, create,
                                                  self._client_address(), self._user_agent())
        except DomainError as exc:
            self._show_error(exc)
            return None
        if token is None:  # already signed in: go home, create nothing
            return rx.redirect(home_route(user))
        return rx.redirect(self._enter(user, token))

    @rx.event
    async def signup_sponsor(self, form_data: dict):
        return await self._signup(form_data, auth_service.signup_sponsor)

    @rx.event
    async def signup_influencer(self, form_data: dict):
        return await self._signup(form_data, auth_service.signup_influencer)

    @rx.event
    async def reset_password(self, form_data: dict):
        """/reset-password: a new password with a code made by an administrator."""
        self._clear_form()
        try:
            await in_hashing_thread(_reset, form_data, self._client_address())
        except DomainError as exc:
            self._show_error(exc)
            return None
        return [rx.toast.success("Your password was changed. Log in with the new one."), rx.redirect("/login")]
