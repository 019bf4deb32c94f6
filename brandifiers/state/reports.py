"""The sponsor's monthly reports: the list, one report's HTML and its PDF download. Takes the month
from the route; services.messaging.reports checks that the report is the actor's own (NotFound
otherwise, shown above the page)."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.messaging import reports
from brandifiers.state.base import RoleState


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
