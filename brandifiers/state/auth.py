"""AuthState: the browser's token -> the current user, resolved on the server for every event. The
display vars (user_email, user_role, ...) are for rendering only; every decision is taken from the
token via `_actor_id()` and the services' rbac checks."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from brandifiers.db import session_scope
from brandifiers.models import Role, User, UserStatus
from brandifiers.services.accounts import auth as auth_service
from brandifiers.services.common.errors import DomainError, ValidationFailed
from brandifiers.services.common.rbac import home_route, status_notice

TOKEN_KEY = "brandifiers_token"


class AuthState(rx.State):
    auth_token: str = rx.LocalStorage("", name=TOKEN_KEY, sync=True)
    user_email: str = ""
    user_role: str = ""
    user_status: str = ""
    user_notice: str = ""
    # Field -> message for the form currently shown (one form per page).
    errors: dict[str, str] = {}
    form_error: str = ""
    submitting: bool = False

    # ---- server-side helpers (underscore: never callable from the browser) ----
    def _actor_id(self, session=None) -> int | None:
        """The acting user's id from the token (in the caller's session when one is given)."""
        if session is None:
            with session_scope() as own:
                return self._actor_id(own)
        user = auth_service.resolve_session(session, self.auth_token)
        return user.id if user else None

    def _show_user(self, user: User | None) -> None:
        if user is None:
            self.user_email = self.user_role = self.user_status = self.user_notice = ""
            return
        self.user_email, self.user_role, self.user_status = user.email, user.role, user.status
        self.user_notice = status_notice(user)

    def _clear_form(self) -> None:
        self.errors, self.form_error = {}, ""

    def _show_error(self, exc: DomainError) -> None:
        """Put a refusal next to its field (or above the form)."""
        if isinstance(exc, ValidationFailed):
            self.errors = dict(exc.errors)
        elif exc.field:
            self.errors = {exc.field: exc.message}
        else:
            self.form_error = exc.message

    def _guard(self, allowed: Callable[[User], bool]):
        """The one page guard: resolve the token, refresh the display vars, redirect if not allowed."""
        self._clear_form()
        with session_scope() as session:
            user = auth_service.resolve_session(session, self.auth_token)
            self._show_user(user)
            if user is None:
                if self.auth_token:
                    self.auth_token = ""
                return rx.redirect(f"/login?next={self.router.url.path}")
            if not allowed(user):
                return rx.redirect(home_route(user))
        return None

    # ---- page guards (on_load) ----
    @rx.event
    def guard_admin(self):
        return self._guard(lambda u: u.role == Role.ADMIN and u.status == UserStatus.ACTIVE)

    @rx.event
    def guard_sponsor(self):
        return self._guard(lambda u: u.role == Role.SPONSOR and u.status == UserStatus.ACTIVE)

    @rx.event
    def guard_influencer(self):
        return self._guard(lambda u: u.role == Role.INFLUENCER and u.status == UserStatus.ACTIVE)

    @rx.event
    def guard_pending(self):
        return self._guard(lambda u: u.status == UserStatus.PENDING)

    @rx.event
    def guard_notice(self):
        return self._guard(lambda u: u.status in (UserStatus.FLAGGED, UserStatus.DEACTIVATED))

    @rx.event
    def guard_anonymous(self):
        """Login and sign-up pages: a logged-in user goes to its home instead."""
        self._clear_form()
        self.submitting = False
        with session_scope() as session:
            user = auth_service.resolve_session(session, self.auth_token)
            self._show_user(user)
            if user is not None:
                return rx.redirect(home_route(user))
        return None

    @rx.event
    def logout(self):
        with session_scope() as session:
            auth_service.logout(session, self.auth_token)
        self.auth_token = ""
        self._show_user(None)
        return rx.redirect("/login")

    @rx.var
    def logged_in(self) -> bool:
        return self.user_role != ""
