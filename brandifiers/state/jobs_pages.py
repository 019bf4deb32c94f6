"""Thin states of the job-related pages: the sponsor's monthly reports, the admin's outbox,
and every user's delivery preferences."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.accounts import preferences
from brandifiers.services.messaging import outbox, reports
from brandifiers.state.base import PagedState, RoleState


class ReportState(RoleState):
    rows: list[dict[str, str]] = []
    month: str = ""
    html: str = ""

    @rx.event
    def load_list(self):
        ok, rows = self._call(reports.list_reports)
        self.rows = [{"month": r.month, "label": r.label, "created": r.created_at.strftime("%Y-%m-%d")}
                     for r in rows] if ok else []

    @rx.event
    def load_one(self):
        self._clear_form()
        month = self._route_text("month")
        ok, report = self._call(reports.get_report, month)
        self.month, self.html = (month, report.html) if ok else ("", "")

    @rx.event
    def download_pdf(self):
        ok, result = self._call(reports.report_pdf, self.month)
        if ok:
            name, data = result
            return rx.download(data=data, filename=name, mime_type="application/pdf")
        return None


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
                      "error": m.last_error, "created": m.created_at.strftime("%Y-%m-%d %H:%M")} for m in rows]

    @rx.event
    def filter(self, status: str):
        self.status, self.page = ("" if status == "all" else status), 0
        return OutboxState.load

    @rx.event
    def open_preview(self, message_id: str):
        ok, result = self._call(outbox.get_message, int(message_id))
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
        ok, _ = self._call(outbox.resend, int(message_id))
        if ok:
            self.preview = {}
            return [OutboxState.load, rx.toast.success("Queued again: the next delivery run sends it.")]
        return None


NO_PREFS = {"email_opt_out": "", "chat_opt_out": "", "chat_webhook_url": ""}


class PreferencesState(RoleState):
    prefs: dict[str, str] = dict(NO_PREFS)
    saved: bool = False

    @rx.event
    def load(self):
        ok, p = self._call(preferences.get_mine)
        self.prefs = {"email_opt_out": "1" if p.email_opt_out else "", "chat_opt_out": "1" if p.chat_opt_out else "",
                      "chat_webhook_url": p.chat_webhook_url or ""} if ok else dict(NO_PREFS)
        self.saved = False

    @rx.event
    def save(self, form_data: dict):
        self._clear_form()
        ok, _ = self._call(preferences.save_mine, form_data)
        self.saved = ok
        if ok:
            return [PreferencesState.load, rx.toast.success("Notification settings saved.")]
        return None
