"""Admin: the audit log with filters, pages and a CSV export."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.common.labels import leading_status_label
from brandifiers.services.records import audit_log as svc
from brandifiers.state.base import FilteredListState, RoleState, when

FILTERS = ("actor", "target_type", "target_id", "action", "date_from", "date_to")


def _change(before: str, after: str) -> str:
    """Before → after, a leading status in words (the stored row keeps its code)."""
    return f"{leading_status_label(before)} → {leading_status_label(after)}" if before or after else ""


class AuditLogState(FilteredListState, RoleState):
    page_size: int = svc.PAGE_SIZE

    def _filter_names(self) -> tuple[str, ...]:
        return FILTERS

    @rx.event
    def load(self):
        ok, result = self._call(svc.query, **self._filter_args(), page=self.page)
        if ok:
            rows, self.total = result
            self.rows = [{"id": str(r.id), "when": when(r.created_at, self._zone),
                          "actor": (r.actor_email or r.actor_role or "system")
                          + (f" for {r.on_behalf_of_email}" if r.on_behalf_of_email else ""),
                          "role": r.actor_role, "action": r.action,
                          "target": f"{r.target_type} #{r.target_id}" if r.target_id is not None else r.target_type,
                          "summary": r.summary, "change": _change(r.before, r.after)}
                         for r in rows]
        else:
            self.rows, self.total = [], 0

    @rx.event
    def export_csv(self):
        self._clear_form()
        ok, result = self._call(svc.export_csv, **self._filter_args())
        if not ok:
            return None
        filename, data = result
        return rx.download(data=data, filename=filename)
