"""AuthState: the browser's token -> the current user, resolved on the server for every event. The
display vars are for rendering only; decisions come from `_actor_id()`. The state store keeps only the
tokens' SHA-256, never a usable token (docs/login-throttle.md, "Tokens and the state store")."""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import reflex as rx

from brandifiers.db import session_scope
from brandifiers.models import Role, User, UserStatus
from brandifiers.services.accounts import auth as auth_service
from brandifiers.services.common import parse
from brandifiers.services.common.errors import DomainError, ValidationFailed
from brandifiers.services.common.rbac import home_route, status_notice

TOKEN_KEY = "brandifiers_token"
DEVICE_KEY = "brandifiers_device"
# browser secret -> the backend var holding its SHA-256 (the only form that is pickled into the state store)
SECRETS = {"auth_token": "_token_hash", "device_token": "_device_hash"}

# One thread hashes at a time: a burst of log-ins queues here instead of taking every core from the
# other users of the worker.
_HASHING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="passwords")


async def in_hashing_thread(fn: Callable, *args):
    """Password work (argon2) off the event loop, in the one hashing thread: the worker keeps serving
    everyone else. Every handler that hashes goes through here."""
    return await asyncio.get_running_loop().run_in_executor(_HASHING, fn, *args)


def _coerce(annotation: str, value, name: str = ""):
    """A browser-sent argument as its handler's annotation promises (a crafted event can send any JSON):
    a form is a dict, an int named *_id a possible id (0 otherwise), any other int a 64-bit integer
    (0 otherwise), a str is clean text ("" otherwise)."""
    if annotation == "dict":
        return value if isinstance(value, dict) else {}
    if annotation == "int" and name.endswith("_id"):
        return parse.record_id(value)
    if annotation == "int":
        try:
            return parse.integer(value)
        except DomainError:
            return 0
    if annotation == "str":
        try:
            return parse.text(value)
        except DomainError:
            return ""
    if annotation == "bool":
        return value is True
    if annotation.startswith("list["):
        items = value if isinstance(value, list) else []
        return [v for v in items if isinstance(v, rx.UploadFile)] if "UploadFile" in annotation else items
    return value


def _parsed_args(fn: Callable) -> Callable:
    """fn with every argument coerced by its annotation first (the one parsing step of every handler)."""
    params = list(inspect.signature(fn).parameters.values())[1:]
    if not params:
        return fn
    names = [p.name for p in params]
    kinds = {p.name: p.annotation if isinstance(p.annotation, str) else getattr(p.annotation, "__name__", "")
             for p in params}

    def coerced(args, kwargs):
        args = [_coerce(kinds[n], a, n) for n, a in zip(names, args)] + list(args[len(names):])
        return args, {k: _coerce(kinds.get(k, ""), v, k) for k, v in kwargs.items()}

    if inspect.isasyncgenfunction(fn):  # a background task that yields (Reflex tells them apart by this)
        @functools.wraps(fn)
        async def async_gen_wrapper(self, *args, **kwargs):
            args, kwargs = coerced(args, kwargs)
            async for update in fn(self, *args, **kwargs):
                yield update
        return async_gen_wrapper

    if inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def async_wrapper(self, *args, **kwargs):
            args, kwargs = coerced(args, kwargs)
            return await fn(self, *args, **kwargs)
        return async_wrapper

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        args, kwargs = coerced(args, kwargs)
        return fn(self, *args, **kwargs)
    return wrapper


class AuthState(rx.State):
    auth_token: str = rx.LocalStorage("", name=TOKEN_KEY, sync=True)
    device_token: str = rx.LocalStorage("", name=DEVICE_KEY)  # "this browser logged in to this account"
    _token_hash: str = ""
    _device_hash: str = ""
    user_email: str = ""
    user_role: str = ""
    user_status: str = ""
    user_notice: str = ""
    user_verified: bool = True  # False: the banner asks to open the e-mailed link (state/email_links.py)
    _zone: str = "UTC"  # the person's time zone (services/common/zones.py), refreshed by every page guard
    # Field -> message for the form currently shown (one form per page).
    errors: dict[str, str] = {}
    form_error: str = ""
    submitting: bool = False

    def __setattr__(self, name, value):
        """Every assignment of a browser secret (from the browser or from a handler) also sets its hash."""
        super().__setattr__(name, value)
        if name in SECRETS:
            super().__setattr__(SECRETS[name], auth_service.token_digest(value))

    def __getstate__(self):
        """What the state store (Redis or .states/) keeps: the secrets blanked, their hashes kept."""
        fields = dict(super().__getstate__())
        for name in SECRETS:
            if name in fields:
                fields[name] = ""
        return fields

    # ---- server-side helpers (underscore: never callable from the browser) ----
    def _user(self, session):
        return auth_service.resolve_digest(session, self._token_hash)

    def _client_address(self) -> str:
        """The browser's address (X-Forwarded-For only with REFLEX_TRUSTED_PROXY_HOPS, Reflex's own setting)."""
        return self.router.session.client_ip or ""

    def _user_agent(self) -> str:
        """The browser's User-Agent header (for the readable device of its sessions)."""
        return str(self.router.headers.user_agent or "")

    def _forget_token(self) -> None:
        self.auth_token = ""

    def _actor_id(self, session=None) -> int | None:
        """The acting user's id from the token (in the caller's session when one is given)."""
        if session is None:
            with session_scope() as own:
                return self._actor_id(own)
        user = self._user(session)
        return user.id if user else None

    def _show_user(self, user: User | None) -> None:
        if user is None:
            self.user_email = self.user_role = self.user_status = self.user_notice = ""
            self.user_verified = True
            self._zone = "UTC"
            return
        self._zone = user.time_zone
        self.user_email, self.user_role, self.user_status = user.email, user.role, user.status
        self.user_notice = status_notice(user)
        self.user_verified = bool(user.email_verified)

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
            user = self._user(session)
            self._show_user(user)
            if user is None:
                if self._token_hash:
                    self._forget_token()
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
    def guard_member(self):
        """Pages of every role (the notifications page): any active account."""
        return self._guard(lambda u: u.status == UserStatus.ACTIVE)

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
            user = self._user(session)
            self._show_user(user)
            if user is not None:
                return rx.redirect(home_route(user))
        return None

    @rx.event
    def logout(self):
        with session_scope() as session:
            auth_service.logout(session, digest=self._token_hash)
        self._forget_token()
        self._show_user(None)
        return rx.redirect("/login")

    @rx.var
    def logged_in(self) -> bool:
        return self.user_role != ""


def _create_parsed_handler(cls, fn, *args, **kwargs):
    """Every handler of every state below AuthState (mixins' too) parses its arguments the same way first.
    Set after the class body: Reflex refuses the name inside one (AuthState's own handlers take none)."""
    return rx.State._create_event_handler.__func__(cls, _parsed_args(fn), *args, **kwargs)


type.__setattr__(AuthState, "_create_event_handler", classmethod(_create_parsed_handler))

