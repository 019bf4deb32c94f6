"""The influencer's figures page: every stored day of its posts with its source, a page at a time, and
the correction of a day it entered. Reads and writes go through services.metrics.sources, which checks
role and ownership (refusals next to the fields, nothing written)."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.common import parse
from brandifiers.services.metrics import sources
from brandifiers.services.metrics.metric_defs import format_money
from brandifiers.services.metrics.metrics import LABELS
from brandifiers.state.base import PagedState, RoleState

COUNTS = tuple(name for name in LABELS if name != "revenue")


def _row(r: dict) -> dict[str, str]:
    cents = int(r["revenue_cents"])
    return {"id": str(r["id"]), "day": r["day"], "post": f"{r['campaign']} · {r['post_url']}",
            **{name: f"{int(r[name]):,}" for name in COUNTS}, "engagements": f"{int(r['engagements']):,}",
            "revenue": format_money(cents), "source": r["source"], "correctable": "yes" if r["correctable"] else "",
            # the correction form's defaults, as one types them
            **{f"raw_{name}": str(int(r[name])) for name in COUNTS}, "raw_revenue": f"{cents // 100}.{cents % 100:02d}"}


class FiguresState(PagedState, RoleState):
    rows: list[dict[str, str]] = []
    editing: dict[str, str] = {}  # the row being corrected ({} none)
    saved: str = ""
    warnings: list[str] = []
    form_version: int = 0
    page_size: int = sources.PAGE_SIZE

    def _load_page(self):
        return FiguresState.load

    @rx.event
    def load(self):
        ok, found = self._call(sources.my_days, self.page, self.page_size)
        if not ok:
            self.rows, self.total = [], 0
            return
        rows, self.total = found
        self.rows = [_row(r) for r in rows]

    @rx.event
    def start_edit(self, snapshot_id: str):
        self._clear_form()
        self.saved, self.warnings = "", []
        wanted = str(parse.record_id(snapshot_id))
        self.editing = next((r for r in self.rows if r["id"] == wanted and r["correctable"]), {})
        self.form_version += 1

    @rx.event
    def cancel_edit(self):
        self._clear_form()
        self.editing = {}

    @rx.event
    def save_correction(self, form_data: dict):
        self._clear_form()
        self.saved, self.warnings = "", []
        snapshot_id = parse.record_id(self.editing.get("id"))
        if not snapshot_id:
            self.form_error = "Choose a day to correct in the table."
            return None
        ok, result = self._call(sources.correct_day, snapshot_id, form_data)
        if not ok:
            return None
        self.warnings = list(result.warnings)
        self.saved = (f"Corrected the figures of {self.editing.get('day', '')} for {self.editing.get('post', '')} "
                      "(the previous ones are kept in the audit log). The charts show them after the next refresh.")
        self.editing = {}
        self.load()
        return rx.toast.success("Figures corrected.")
