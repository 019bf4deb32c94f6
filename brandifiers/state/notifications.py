"""The notification bell and live updates: a background watcher per open tab polls the user's newest
notification id and, when it changed, refreshes the bell and re-runs the current page's loaders."""

from __future__ import annotations

import asyncio
import time

import reflex as rx
from sqlmodel import func, select

from brandifiers.db import session_scope
from brandifiers.models import Notification
from brandifiers.services.accounts import auth as auth_service
from brandifiers.services.common import notify
from brandifiers.state.auth import AuthState

POLL_SECONDS = 2.0
WATCH_MINUTES = 30  # a watcher ends after this long without a page load in its tab

# route pattern -> the page's loaders (filled by components.layout.template)
LOADERS: dict[str, list] = {}


def _latest(session, user_id: int) -> tuple[int, int]:
    newest = session.exec(select(func.max(Notification.id)).where(Notification.user_id == user_id)).one() or 0
    return int(newest), notify.unread_count(session, user_id)


class NotificationState(AuthState):
    unread: int = 0
    items: list[dict[str, str]] = []
    _last_id: int = -1
    _watching: bool = False
    _watch_until: float = 0.0

    @rx.event
    def load_items(self):
        with session_scope() as session:
            actor = self._actor_id(session)
            if actor is None:
                return
            self.items = [
                {"id": str(n.id), "title": n.title, "body": n.body, "link": n.link or "",
                 "when": n.created_at.strftime("%Y-%m-%d %H:%M UTC"), "unread": "1" if n.read_at is None else ""}
                for n in notify.recent(session, actor, 10)
            ]
            self._last_id, self.unread = _latest(session, actor)

    @rx.event
    def mark_all_read(self):
        with session_scope() as session:
            actor = self._actor_id(session)
            if actor is None:
                return
            notify.mark_all_read(session, actor)
        self.unread = 0
        self.items = [{**i, "unread": ""} for i in self.items]

    @rx.event(background=True)
    async def watch(self):
        async with self:
            self._watch_until = time.monotonic() + WATCH_MINUTES * 60
            if self._watching:
                return
            self._watching = True
        try:
            while True:
                async with self:
                    if time.monotonic() > self._watch_until:
                        break
                    token, route, last = self.auth_token, self.router.route_id, self._last_id
                with session_scope() as session:
                    user = auth_service.resolve_session(session, token)
                    if user is None:
                        break
                    newest, unread = _latest(session, user.id)
                async with self:
                    self._last_id, self.unread = newest, unread
                if last >= 0 and newest != last:
                    for event in LOADERS.get((route or "").strip("/"), []):
                        yield event
                await asyncio.sleep(POLL_SECONDS)
        finally:
            async with self:
                self._watching = False
