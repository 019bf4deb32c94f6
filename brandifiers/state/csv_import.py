"""The CSV import of daily figures (influencer: its posts; sponsor: its campaigns' posts): the
uploaded file goes to services.metrics.metrics_csv.import_csv, which checks role and ownership;
the accepted and rejected rows are listed (the first 50 of each), every rejected row downloadable."""

from __future__ import annotations

import csv
import io

import reflex as rx

from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.uploads import read_capped
from brandifiers.services.metrics import metrics_csv
from brandifiers.services.metrics.metric_defs import format_money
from brandifiers.state.base import RoleState


def _accepted_text(r: dict) -> str:
    f = r["figures"]
    text = (f"Deliverable {r['deliverable_id']}, {r['day']}: {f['views']:,} views, {f['likes']:,} likes, "
            f"{f['clicks']:,} clicks, revenue {format_money(f['revenue_cents'])}")
    return text + ("".join(f" ⚠ {w}" for w in r["warnings"]))


SHOWN_ROWS = 50


class CsvImportState(RoleState):
    """Upload a CSV of daily figures (influencer: its posts; sponsor: its campaigns' posts)."""

    mode: str = "valid_only"
    accepted: list[dict[str, str]] = []
    rejected: list[dict[str, str]] = []
    summary: str = ""
    more: str = ""
    has_result: bool = False
    _all_rejected: list[dict] = []

    @rx.event
    def set_mode(self, mode: str):
        self.mode = mode if mode in metrics_csv.MODES else "valid_only"

    @rx.event
    def clear(self):
        """On page load: no result of another page's import lingers."""
        self.mode = "valid_only"
        self._clear_result()

    @rx.event
    def download_template(self):
        return rx.download(data=metrics_csv.csv_template().decode(), filename="brandifiers-figures-template.csv")

    @rx.event
    def download_rejected(self):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["row", "reason"])
        writer.writerows([r["row"], r["reason"]] for r in self._all_rejected)
        return rx.download(data=out.getvalue(), filename="brandifiers-rejected-rows.csv")

    def _clear_result(self) -> None:
        self.accepted, self.rejected, self._all_rejected = [], [], []
        self.summary, self.more, self.has_result = "", "", False

    @rx.event
    def file_refused(self, rejected: list[dict]):
        self._clear_form()
        self._files_refused("file", rejected, "choose a .csv file (the template is one) of at most "
                                              f"{metrics_csv.MAX_BYTES // (1024 * 1024)} MB.")

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        self._clear_form()
        self._clear_result()
        if not files:
            self.errors = {"file": "Choose a CSV file first."}
            return None
        try:  # Starlette spooled the body to a temporary file; only up to the cap of it is read
            content = read_capped(files[0].file, files[0].size, metrics_csv.MAX_BYTES, "file", "The file")
        except DomainError as exc:
            self._show_error(exc)
            return None
        ok, result = await self._call_off_loop(metrics_csv.import_csv, content, mode=self.mode)
        if not ok:
            return None
        self._show_result(result)
        return rx.toast.success(self.summary) if result.written else rx.toast.warning(self.summary)

    def _show_result(self, result) -> None:
        self._all_rejected = list(result.rejected)
        self.accepted = [{"row": str(r["row"]), "text": _accepted_text(r)} for r in result.accepted[:SHOWN_ROWS]]
        self.rejected = [{"row": str(r["row"]), "reason": r["reason"]} for r in result.rejected[:SHOWN_ROWS]]
        n_ok, n_bad = len(result.accepted), len(result.rejected)
        if result.mode == "all_or_nothing" and n_bad:
            self.summary = (f"Nothing was written: {n_bad:,} row(s) rejected, so none of the {n_ok:,} valid "
                            "row(s) were applied (all or nothing).")
        else:
            self.summary = (f"{result.written:,} row(s) written ({result.replaced:,} replaced earlier figures), "
                            f"{n_bad:,} rejected.")
        hidden = [f"{n - SHOWN_ROWS:,} more {what}" for n, what in ((n_ok, "accepted"), (n_bad, "rejected"))
                  if n > SHOWN_ROWS]
        self.more = ("Showing the first 50 of each list; " + " and ".join(hidden) + " row(s) not listed here"
                     + (": download every rejected row below." if n_bad > SHOWN_ROWS else ".")) if hidden else ""
        self.has_result = True
