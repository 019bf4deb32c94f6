"""The notifications page (every role): the actor's own history, paged, filtered by unread and kind,
marked read one by one or all at once; Open marks one read and goes to its server-side link."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.common import notify, parse
from brandifiers.state.base import PagedState, RoleState, when
from brandifiers.state.notifications import NotificationState

ALL_KINDS = "all"


class NotificationPageState(PagedState, RoleState):
    page_size: int = notify.PAGE_SIZE
    rows: list[dict[str, str]] = []
    unread_only: bool = False
    kind: str = ALL_KINDS

    def _load_page(self):
        return NotificationPageState.load

    @rx.event
    def load(self):
        kind = "" if self.kind == ALL_KINDS else self.kind
        ok, result = self._call(notify.history, unread_only=self.unread_only, kind=kind, page=self.page,
                                page_size=self.page_size)
        if not ok:
            self.rows, self.total = [], 0
            return
        rows, self.total = result
        self.rows = [{"id": str(n.id), "title": n.title, "body": n.body, "link": n.link, "kind": n.kind_label,
                      "when": when(n.created_at, self._zone), "unread": "1" if n.unread else ""}
                     for n in rows]

    @rx.event
    def set_unread_only(self, value: bool):
        self._clear_form()
        self.unread_only, self.page = bool(value), 0
        return NotificationPageState.load

    @rx.event
    def set_kind(self, kind: str):
        self._clear_form()
        self.kind, self.page = (kind if kind in notify.KINDS else ALL_KINDS), 0
        return NotificationPageState.load

    @rx.event
    def mark_read(self, note_id: str):
        self._clear_form()
        ok, _ = self._call(notify.mark_read, parse.record_id(note_id))
        if ok:
            return [NotificationPageState.load, NotificationState.load_items]
        return None

    @rx.event
    def mark_all_read(self):
        self._clear_form()
        ok, count = self._call(notify.mark_all_mine_read)
        if ok:
            return [NotificationPageState.load, NotificationState.load_items,
                    rx.toast.success(f"{count} notification{'s' if count != 1 else ''} marked read.")]
        return None

    @rx.event
    def open(self, note_id: str):
        """Mark it read and go where it leads (the link is the server's, never the browser's)."""
        self._clear_form()
        ok, note = self._call(notify.mark_read, parse.record_id(note_id))
        if ok and note.link:
            return rx.redirect(note.link)
        return [NotificationPageState.load, NotificationState.load_items] if ok else None
