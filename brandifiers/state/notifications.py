"""The notification bell and live updates: each page load records which tab shows which user; one listener
per worker (services.common.live) wakes only the concerned users' tabs, which re-read the bell and re-run
the page's loaders. No polling. Design: docs/live-updates.md."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time

import reflex as rx
from reflex.event import Event

from brandifiers.db import session_scope
from brandifiers.services.common import live, notify, zones
from brandifiers.state.auth import AuthState

log = logging.getLogger(__name__)

# route pattern -> the page's loaders (filled by components.layout.template)
LOADERS: dict[str, list] = {}
PRUNE_SECONDS = 300  # how often tabs that have closed are forgotten

# user id -> {client token: when its page was last loaded}; this worker's tabs only
_tabs: dict[int, dict[str, float]] = {}
_tabs_lock = threading.Lock()


def _remember(user_id: int, token: str) -> None:
    with _tabs_lock:
        for tokens in _tabs.values():  # a tab shows one user: a log-out/log-in moves it
            tokens.pop(token, None)
        _tabs.setdefault(user_id, {})[token] = time.monotonic()


def tabs_of(user_ids) -> list[str]:
    with _tabs_lock:
        return [t for u in user_ids for t in _tabs.get(u, {})]


def _forget(tokens: set[str]) -> None:
    with _tabs_lock:
        for uid in list(_tabs):
            for t in tokens & _tabs[uid].keys():
                del _tabs[uid][t]
            if not _tabs[uid]:
                del _tabs[uid]


class NotificationState(AuthState):
    unread: int = 0
    items: list[dict[str, str]] = []

    def _read_bell(self, session, actor: int, with_items: bool) -> None:
        unread = notify.unread_count(session, actor)
        if unread != self.unread:  # an assigned var is sent even when unchanged
            self.unread = unread
        if with_items:
            self.items = [
                {"id": str(n.id), "title": n.title, "body": n.body, "link": notify.link_for(n, self.user_role),
                 "when": zones.fmt_time(n.created_at, self._zone), "unread": "1" if n.read_at is None else ""}
                for n in notify.recent(session, actor, 10)
            ]

    @rx.event
    def track(self):
        """On every page load of a logged-in page: this tab shows this user (for live updates); the bell."""
        with session_scope() as session:
            actor = self._actor_id(session)
            if actor is None:
                return
            _remember(actor, self.router.session.client_token)
            self._read_bell(session, actor, False)

    @rx.event
    def refresh(self):
        """Sent by the worker's listener when this tab's user has news: the bell and the page's loaders."""
        with session_scope() as session:
            actor = self._actor_id(session)
            if actor is None:
                return
            self._read_bell(session, actor, bool(self.items))
        return LOADERS.get((self.router.route_id or "").strip("/"), [])

    @rx.event
    def load_items(self):
        with session_scope() as session:
            actor = self._actor_id(session)
            if actor is None:
                return
            self._read_bell(session, actor, True)

    @rx.event
    def mark_all_read(self):
        with session_scope() as session:
            actor = self._actor_id(session)
            if actor is None:
                return
            notify.mark_all_read(session, actor)
        self.unread = 0
        self.items = [{**i, "unread": ""} for i in self.items]
        return LOADERS.get((self.router.route_id or "").strip("/"), [])  # e.g. /notifications shows them read


@contextlib.asynccontextmanager
async def live_updates(app):
    """The worker's one listener (a lifespan task): a user's news becomes a `refresh` event in each of
    that user's tabs connected to this worker; tabs that have gone are forgotten."""
    loop = asyncio.get_running_loop()
    woken: asyncio.Queue[list[int]] = asyncio.Queue()
    stop = threading.Event()
    live.listen(lambda ids: loop.call_soon_threadsafe(woken.put_nowait, ids), stop)
    refresh = f"{NotificationState.get_full_name()}.refresh"

    async def wake() -> None:
        while True:
            ids = await woken.get()
            manager = app.event_namespace._token_manager
            gone = set()
            for token in tabs_of(ids):
                # connected to any worker: this one processes the event, Reflex forwards the delta
                if not await manager.is_token_connected(token):
                    gone.add(token)
                    continue
                try:
                    with app.set_contexts():
                        await app.event_processor.enqueue(token, Event(name=refresh, payload={}))
                except Exception:
                    log.exception("live update for a tab not sent")
            _forget(gone)

    async def prune() -> None:
        while True:
            await asyncio.sleep(PRUNE_SECONDS)
            manager = app.event_namespace._token_manager
            _forget({t for t in tabs_of(list(_tabs)) if not await manager.is_token_connected(t)})

    tasks = [asyncio.create_task(wake()), asyncio.create_task(prune())]
    try:
        yield
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
