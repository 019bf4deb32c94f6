"""The manual gateway (the default): no card payments; sponsors record payments by hand in the ledger
(services.deals.payments). Every card operation says so."""

from __future__ import annotations

from datetime import datetime

from brandifiers.services.payments.gateway import BadSignature, GatewayEventIn, GatewayPayment, GatewayRefused

NO_CARDS = "Card payments are not set up on this site; record payments by hand."


class ManualGateway:
    name = "manual"

    def create_payment(self, **_kwargs) -> GatewayPayment:
        raise GatewayRefused(NO_CARDS)

    def capture(self, payment_id: str, *, idempotency_key: str) -> GatewayPayment:
        raise GatewayRefused(NO_CARDS)

    def cancel(self, payment_id: str, *, idempotency_key: str) -> GatewayPayment:
        raise GatewayRefused(NO_CARDS)

    def read(self, payment_id: str) -> GatewayPayment:
        raise GatewayRefused(NO_CARDS)

    def list_payments(self, since: datetime) -> list[GatewayPayment]:
        return []

    def parse_webhook(self, payload: bytes, signature: str | None) -> GatewayEventIn:
        raise BadSignature("No payment gateway is configured.")
