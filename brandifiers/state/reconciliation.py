"""The admin's reconciliation page: the differences the daily job found between our card funding ledger
and the gateway's records (services.payments.reconcile, admin-only there), and marking one resolved."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.payments import reconcile
from brandifiers.state.base import RoleState, when

KIND_WORDS = {"missing_here": "At the gateway, not in our ledger", "missing_there": "In our ledger, not at the gateway",
              "amount": "Amounts differ", "status": "States differ", "stale_hold": "Held for more than 5 days"}


class ReconciliationState(RoleState):
    rows: list[dict[str, str]] = []
    show_resolved: bool = False

    @rx.event
    def load(self):
        ok, rows = self._call(reconcile.differences, include_resolved=self.show_resolved)
        self.rows = [{"id": str(d.id), "kind": KIND_WORDS.get(d.kind, d.kind), "payment": d.payment_id or "-",
                      "ours": d.ours, "theirs": d.theirs, "found": when(d.found_at, self._zone),
                      "resolution": d.resolution if d.resolved_at else ""} for d in rows] if ok else []

    @rx.event
    def toggle_resolved(self, value: bool):
        self.show_resolved = bool(value)
        return ReconciliationState.load

    @rx.event
    def resolve(self, form_data: dict):
        self._clear_form()
        note = form_data.get("resolution", "") if isinstance(form_data, dict) else ""
        ok, _ = self._call(reconcile.resolve, form_data.get("id", "") if isinstance(form_data, dict) else "",
                           note if isinstance(note, str) else "")
        if ok:
            return [ReconciliationState.load, rx.toast.success("Marked resolved.")]
        return None
