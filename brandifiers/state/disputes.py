"""Admin: the open payment disputes (/admin/disputes), one page at a time, each resolved with a reason
(upheld: the entry is voided; rejected: it stands as confirmed). The service checks the admin role."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.common import parse
from brandifiers.services.common.money import format_cents
from brandifiers.services.deals import payment_disputes as svc
from brandifiers.state.base import PagedState, RoleState, when


class DisputeState(PagedState, RoleState):
    rows: list[dict[str, str]] = []
    resolve_payment_id: int = 0  # the dispute whose dialog is open (0: closed)
    resolve_outcome: str = ""
    resolve_title: str = ""

    def _load_page(self):
        return DisputeState.load

    @rx.event
    def load(self):
        ok, result = self._call(svc.open_disputes, page=self.page, page_size=self.page_size)
        if not ok:
            self.rows, self.total = [], 0
            return
        rows, self.total = result
        if not rows and self.page > 0:  # the last one of a later page was resolved: show the page before
            self.page -= 1
            return DisputeState.load
        self.rows = [{"id": str(r.payment_id), "request_id": str(r.request_id), "campaign": r.campaign,
                      "sponsor": r.sponsor, "influencer": r.influencer, "amount": format_cents(r.amount_cents),
                      "paid_on": r.paid_on.isoformat(), "reference": r.reference, "reason": r.reason,
                      "when": when(r.disputed_at, self._zone)} for r in rows]

    @rx.event
    def open_resolve(self, payment_id: str, outcome: str, title: str):
        self._clear_form()
        if outcome in svc.OUTCOMES:
            self.resolve_payment_id, self.resolve_outcome = parse.record_id(payment_id), outcome
            self.resolve_title = parse.text(title)[:200]

    @rx.event
    def close_resolve(self):
        self.resolve_payment_id, self.resolve_outcome, self.resolve_title = 0, "", ""
        self._clear_form()

    @rx.event
    def submit_resolve(self, form_data: dict):
        self._clear_form()
        if not self.resolve_payment_id:
            return None
        ok, _ = self._call(svc.resolve_dispute, self.resolve_payment_id, self.resolve_outcome,
                           form_data.get("reason", ""))
        if not ok:
            return None
        done = svc.OUTCOMES[self.resolve_outcome]
        self.resolve_payment_id, self.resolve_outcome, self.resolve_title = 0, "", ""
        return [DisputeState.load, rx.toast.success(done + ".")]
