"""The request page's payment entry handlers (a mixin of RequestState): the influencer confirms or disputes
an entry (a reason dialog), either party opens a receipt through a single-use link. The services check role
and ownership again; a refusal shows next to the field (the dialog's) or above the actions."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.common import parse
from brandifiers.services.deals import payment_disputes
from brandifiers.services.messaging import receipts
from brandifiers.state.base import frame_download


def receipt_url(payment_id: int, token: str, fmt: str) -> str:
    api = rx.config.get_config().api_url.rstrip("/")
    return f"{api}/api/receipts/{payment_id}?token={token}&format={fmt}"


class PaymentEntriesState(rx.State, mixin=True):
    dispute_payment_id: int = 0  # the entry whose dispute dialog is open (0: closed)
    dispute_title: str = ""

    def _reload_entries(self):
        return type(self).load_detail

    @rx.event
    def confirm_entry(self, payment_id: str):
        self._clear_form()
        ok, _ = self._call(payment_disputes.confirm_payment, parse.record_id(payment_id))
        if ok:
            return [self._reload_entries(), rx.toast.success("Payment confirmed.")]
        return None

    @rx.event
    def open_dispute(self, payment_id: str, title: str):
        self._clear_form()
        self.dispute_payment_id, self.dispute_title = parse.record_id(payment_id), parse.text(title)[:200]

    @rx.event
    def close_dispute(self):
        self.dispute_payment_id, self.dispute_title = 0, ""
        self._clear_form()

    @rx.event
    def submit_dispute(self, form_data: dict):
        self._clear_form()
        if not self.dispute_payment_id:
            return None
        ok, _ = self._call(payment_disputes.dispute_payment, self.dispute_payment_id, form_data.get("reason", ""))
        if not ok:
            return None
        self.dispute_payment_id, self.dispute_title = 0, ""
        return [self._reload_entries(), rx.toast.success("Payment disputed: the sponsor and an administrator "
                                                         "are told.")]

    @rx.event
    def open_receipt(self, payment_id: str, fmt: str):
        """HTML opens in a new tab; the PDF downloads in a hidden frame (as the exports do)."""
        self._clear_form()
        pid = parse.record_id(payment_id)
        fmt = "pdf" if fmt == "pdf" else "html"
        ok, token = self._call(receipts.issue_token, pid)
        if not ok:
            return None
        url = receipt_url(pid, token, fmt)
        if fmt == "html":
            return rx.redirect(url, is_external=True)
        return frame_download(url)
