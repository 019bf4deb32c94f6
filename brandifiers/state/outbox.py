"""The admin's outbox: every queued message by status (paged), its preview, resending a failed or held
one, and resending every failed one of a period. services.messaging.outbox refuses every other role
(the message is shown above the page; a bad period next to its field)."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.common import parse
from brandifiers.services.messaging import outbox
from brandifiers.state.base import PagedState, RoleState, when


class OutboxState(PagedState, RoleState):
    page_size: int = outbox.PAGE_SIZE
    rows: list[dict[str, str]] = []
    counts: dict[str, int] = {}
    status: str = ""
    preview: dict[str, str] = {}

    def _load_page(self):
        return OutboxState.load

    @rx.event
    def load(self):
        ok, result = self._call(outbox.list_messages, status=self.status, page=self.page, page_size=self.page_size)
        if not ok:
            self.rows, self.counts, self.total = [], {}, 0
            return
        rows, self.total, self.counts = result
        self.rows = [{"id": str(m.id), "kind": m.kind, "channel": m.channel, "recipient": m.recipient,
                      "period": m.period, "subject": m.subject, "status": m.status, "attempts": str(m.attempts),
                      "error": m.last_error, "created": when(m.created_at, self._zone)} for m in rows]

    @rx.event
    def filter(self, status: str):
        self.status, self.page = ("" if status == "all" else status), 0
        return OutboxState.load

    @rx.event
    def open_preview(self, message_id: str):
        ok, result = self._call(outbox.get_message, parse.record_id(message_id))
        if ok:
            m, files = result
            self.preview = {"id": str(m.id), "subject": m.subject, "recipient": m.recipient, "text": m.text_body,
                            "html": m.html_body or "", "files": ", ".join(files), "status": m.status}

    @rx.event
    def close_preview(self):
        self.preview = {}

    @rx.event
    def resend(self, message_id: str):
        self._clear_form()
        ok, _ = self._call(outbox.resend, parse.record_id(message_id))
        if ok:
            self.preview = {}
            return [OutboxState.load, rx.toast.success("Queued again: the next delivery run sends it.")]
        return None

    @rx.event
    def resend_failed(self, form_data: dict):
        self._clear_form()
        ok, count = self._call(outbox.resend_failed, form_data)
        if ok:
            return [OutboxState.load, rx.toast.success(f"{count} failed message{'s' if count != 1 else ''} "
                                                       "queued again: the next delivery run sends them.")]
        return None
