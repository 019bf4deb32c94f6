"""Monthly reports: the list, one report's HTML and its PDF, for the sponsor (its own) and an admin (any sponsor's,
read-only). Takes the month (and on the admin's routes the sponsor id) from the route; services.messaging.reports
checks role and ownership: a month not among the reader's reports is "No such report", with no download."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.common import zones
from brandifiers.services.messaging import reports
from brandifiers.state.base import RoleState


class ReportState(RoleState):
    rows: list[dict[str, str]] = []
    month: str = ""
    html: str = ""
    missing: bool = False
    sponsor_id: int = 0  # the admin's routes: whose reports; 0 on the sponsor's own pages

    def _sponsor(self) -> int | None:
        """The sponsor named by the admin's route (None on the sponsor's own pages; 0: no such sponsor)."""
        return self._route_id("user_id") if "user_id" in self.router._page.params else None

    @rx.event
    def load_list(self):
        self._clear_form()
        sponsor = self._sponsor()
        self.sponsor_id = sponsor or 0
        ok, result = self._call(reports.list_reports, sponsor)
        self.rows = [{"month": r.month, "label": r.label, "created": zones.fmt_date(r.created_at, self._zone)}
                     for r in result] if ok else []

    @rx.event
    def load_one(self):
        self._clear_form()
        month, sponsor = self._route_text("month"), self._sponsor()
        self.sponsor_id = sponsor or 0
        ok, report = self._call(reports.get_report, month, sponsor)
        self.month, self.html = (month, report.html) if ok else ("", "")
        self.missing = not ok
        if not ok:  # the page says "No such report" itself
            self._clear_form()

    @rx.event
    async def download_pdf(self):
        if not self.month:
            return None
        ok, result = await self._call_off_loop(reports.report_pdf, self.month, self.sponsor_id or None)
        if ok:
            name, data = result
            return rx.download(data=data, filename=name, mime_type="application/pdf")
        return None
