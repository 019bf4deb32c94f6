"""Card funding on the request page (a mixin of RequestState): the deal's held, released and refunded
amounts for both parties, the sponsor's "Fund this deal" form and "Cancel deal". Every call is checked
again by services.deals.funding (role, ownership, amount owed)."""

from __future__ import annotations

import json

import reflex as rx

from brandifiers.services.common import zones
from brandifiers.services.common.money import format_cents
from brandifiers.services.deals import funding as funding_svc

STATUS_WORDS = {"pending": "being authorised", "held": "held", "released": "released to the influencer",
                "refunded": "refunded", "failed": "did not go through"}


def _text(form_data: dict, name: str) -> str:
    value = form_data.get(name, "") if isinstance(form_data, dict) else ""
    return value if isinstance(value, str) else ""


class FundingMixin(rx.State, mixin=True):
    funding: dict[str, str] = {}  # held, released, refunded, owed, status_line
    funding_rows: list[dict[str, str]] = []
    card_mode: str = ""  # "test" | "element" | "" (no form)
    stripe_key: str = ""
    fund_amount_cents: int = 0  # what the Payment Element is set up for (the amount still owed)
    fund_currency: str = "usd"

    def _load_funding(self, request_id: int) -> None:
        ok, v = self._call(funding_svc.funding_view, request_id)
        if not ok:
            self.funding, self.funding_rows, self.card_mode = {}, [], ""
            return
        self.funding = {"held": format_cents(v["held_cents"]), "released": format_cents(v["released_cents"]),
                        "refunded": format_cents(v["refunded_cents"]), "owed": format_cents(v["owed_cents"]),
                        "status_line": v["status_line"]}
        self.funding_rows = [{"amount": format_cents(f.amount_cents), "status": STATUS_WORDS.get(f.status, f.status),
                              "when": zones.fmt_date(f.created_at, self._zone)} for f in v["rows"]]
        self.card_mode, self.stripe_key = v["card_mode"], v["publishable_key"]
        self.fund_amount_cents, self.fund_currency = v["owed_cents"], v["currency"]

    def _fund(self, form_data: dict):
        self._clear_form()
        data = {name: _text(form_data, name) for name in ("fund_amount", "card", "payment_method")}
        ok, _ = self._call(funding_svc.fund_request, self.request_id, data)
        if ok:
            return [type(self).load_detail, rx.toast.success("Funds held by card.")]
        return None

    @rx.event
    def fund(self, form_data: dict):
        return self._fund(form_data)

    @rx.event
    def fund_with_element(self, result: str):
        """The Payment Element's answer (JSON: {pm, amount} or {error}) from the browser."""
        try:
            answer = json.loads(result) if isinstance(result, str) else {}
        except ValueError:
            answer = {}
        if not isinstance(answer, dict) or not isinstance(answer.get("pm"), str):
            self._clear_form()
            message = answer.get("error") if isinstance(answer, dict) else None
            self.errors = {"card": message if isinstance(message, str) else "The card could not be read."}
            return None
        return self._fund({"fund_amount": answer.get("amount"), "payment_method": answer["pm"]})

    @rx.event
    def cancel_deal(self, form_data: dict):
        self._clear_form()
        ok, _ = self._call(funding_svc.cancel_deal, self.request_id, _text(form_data, "cancel_reason"))
        if ok:
            return [type(self).load_detail, rx.toast.success("Deal cancelled; anything held by card was refunded.")]
        return None
