"""What the role states share: RoleState (route arguments, one error path for every service call),
PagedState / FilteredListState (the mixins of every paged list) and WindowState (the date window
of the statistics pages). A service's DomainError becomes a message next to its field."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable
from typing import Any

import reflex as rx

from brandifiers.db import session_scope
from brandifiers.services.common import parse, zones
from brandifiers.services.common.errors import DomainError, ValidationFailed
from brandifiers.services.stats.charts import parse_window
from brandifiers.state.auth import AuthState, in_hashing_thread


def frame_download(url: str):
    """Download a file from the backend's own route (api.py, sent as an attachment) in a hidden frame:
    navigating the page itself to it dropped the event socket, and the reconnection reloaded the page
    (closing a dialog opened meanwhile)."""
    return rx.call_script("(() => { const f = document.createElement('iframe'); f.hidden = true; "
                          f"f.src = {json.dumps(url)}; document.body.appendChild(f); "
                          "setTimeout(() => f.remove(), 120000); })()")


class RoleState(AuthState):
    """Base of the page states: every call resolves the actor from the token, on the server."""

    def _route_text(self, name: str) -> str:
        """A text route argument (/x/[name]); "" when missing."""
        return str(self.router._page.params.get(name, "") or "")

    def _route_id(self, name: str) -> int:
        """An id route argument (/x/[name]); 0 (no row) when missing or not a possible id."""
        return parse.record_id(self._route_text(name))

    def _files_refused(self, field: str, refused: list[str], rule: str) -> None:
        """The browser's drop zone refused a file (its type or size; "name|code,code" texts from
        components.cards.refused_files): say so next to the field, naming the file, instead of a
        generic toast. The file never reached the server."""
        parts = [str(r).rsplit("|", 1) for r in refused or []]
        if any("too-many-files" in p[-1].split(",") for p in parts):
            self.errors = {field: "Choose one file at a time."}
            return
        names = [p[0].removeprefix("./") for p in parts if len(p) == 2 and p[0]]
        self.errors = {field: f"{', '.join(names) or 'That file'} was not accepted: {rule}"}

    async def _off_loop(self, method: Callable[[], Any]) -> Any:
        """Run a state method whose SQL takes more than a few ms in a thread, so the worker's event loop
        keeps serving other tabs meanwhile (SQLite and psycopg release the GIL while the database works).
        The state stays locked for this event until it returns."""
        return await asyncio.to_thread(method)

    def _in_session(self, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """fn(session, actor_id, *args) in one transaction; reads the state, never changes it."""
        with session_scope() as session:
            return fn(session, self._actor_id(session), *args, **kwargs)

    def _call(self, fn: Callable[..., Any], *args, **kwargs) -> tuple[bool, Any]:
        """Run fn(session, actor_id, *args) in one transaction; a refusal goes next to its field.

        Returns (ok, result)."""
        try:
            return True, self._in_session(fn, *args, **kwargs)
        except DomainError as exc:
            self._show_error(exc)
            return False, None

    async def _call_off_loop(self, fn: Callable[..., Any], *args, hashing: bool = False,
                             **kwargs) -> tuple[bool, Any]:
        """_call for a service call that takes more than a few ms (or hashes a password: hashing=True, in
        the one hashing thread): the transaction runs in a thread and the state changes here, on the loop.

        Returns (ok, result)."""
        run = functools.partial(self._in_session, fn, *args, **kwargs)
        try:
            return True, await (in_hashing_thread(run) if hashing else self._off_loop(run))
        except DomainError as exc:
            self._show_error(exc)
            return False, None


class PagedState(rx.State, mixin=True):
    """One page of a list and its total, with Previous / Next. The concrete state sets `total` when
    it loads and implements `_load_page()`: load the current page, or return the event that does."""

    total: int = 0
    page: int = 0
    page_size: int = 20

    def _load_page(self):
        raise NotImplementedError

    def _more(self) -> bool:
        return (self.page + 1) * self.page_size < self.total

    @rx.var
    def has_next(self) -> bool:
        return self._more()

    @rx.event
    def next_page(self):
        if self._more():
            self.page += 1
            return self._load_page()

    @rx.event
    def prev_page(self):
        if self.page > 0:
            self.page -= 1
            return self._load_page()


class FilteredListState(PagedState, mixin=True):
    """A filtered, paginated table: the filters as submitted, the current page of rows and the total.

    The concrete state lists its filter names in `_filter_names()` and loads rows in `load`."""

    filters: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    page_size: int = 25

    def _filter_names(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _filter_args(self) -> dict[str, str]:
        return {k: self.filters.get(k, "") for k in self._filter_names()}

    def _load_page(self):
        return type(self).load

    @rx.event
    def apply_filters(self, form_data: dict):
        self._clear_form()
        self.filters = {k: str(form_data.get(k) or "").strip() for k in self._filter_names()}
        self.page = 0
        return type(self).load

    @rx.event
    def clear_filters(self):
        self._clear_form()
        self.filters, self.page = {}, 0
        return type(self).load


class WindowState(rx.State, mixin=True):
    """A date window (inclusive, "" = open) applied with a button; the state's `load` reads it."""

    start: str = ""
    end: str = ""
    window_version: int = 0

    @rx.event
    def apply_range(self, form_data: dict):
        self._clear_form()
        start, end = (str(form_data.get(k) or "").strip() for k in ("start", "end"))
        try:
            parse_window(start, end)
        except ValidationFailed as exc:
            self._show_error(exc)
            return None
        self.start, self.end = start, end
        return type(self).load

    @rx.event
    def all_time(self):
        self._clear_form()
        self.start, self.end = "", ""
        self.window_version += 1
        return type(self).load

    def _window(self):
        return parse_window(self.start, self.end)


def when(moment, zone) -> str:
    """A stored UTC time as shown in the tables, in the person's zone ("-" when missing)."""
    return zones.fmt_time(moment, zone)
