"""The payment gateway interface: create a held payment for an ad request, capture, cancel or refund it,
read it, list recent ones, verify and parse a webhook. `gateway_for(settings)` picks the configured one.
Raises GatewayDown (unreachable), GatewayRefused (declined, invalid) and BadSignature (forged webhook)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from brandifiers.config import Settings, get_settings

# Our funding states; a later state never goes back to an earlier one (RANK).
PENDING, HELD, RELEASED, REFUNDED, FAILED = "pending", "held", "released", "refunded", "failed"
RANK = {PENDING: 0, HELD: 1, RELEASED: 2, REFUNDED: 3, FAILED: 3}
FINAL = {REFUNDED, FAILED}


class GatewayError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class GatewayDown(GatewayError):
    """The gateway could not be reached or answered with a server error: nothing happened, retry later."""


class GatewayRefused(GatewayError):
    """The gateway refused the request (card declined, bad parameters): retrying the same will not help."""


class BadSignature(GatewayError):
    """A webhook whose signature does not verify: ignored."""


@dataclass
class GatewayPayment:
    payment_id: str
    status: str  # one of our states
    amount_cents: int
    refunded_cents: int = 0
    created: datetime | None = None
    ad_request_id: int | None = None
    failure: str = ""


@dataclass
class GatewayEventIn:
    event_id: str
    kind: str
    payment: GatewayPayment | None  # None: an event kind we do not act on


class Gateway(Protocol):
    name: str

    def create_payment(self, *, ad_request_id: int, amount_cents: int, currency: str, idempotency_key: str,
                       payment_method: str | None = None, test_card: str | None = None) -> GatewayPayment: ...

    def capture(self, payment_id: str, *, idempotency_key: str) -> GatewayPayment: ...

    def cancel(self, payment_id: str, *, idempotency_key: str) -> GatewayPayment:
        """Cancel a held payment, refund a captured one."""

    def read(self, payment_id: str) -> GatewayPayment: ...

    def list_payments(self, since: datetime) -> list[GatewayPayment]: ...

    def parse_webhook(self, payload: bytes, signature: str | None) -> GatewayEventIn: ...


def gateway_for(settings: Settings | None = None) -> Gateway:
    """The configured gateway (BRANDIFIERS_PAYMENT_GATEWAY, read per call)."""
    settings = settings or get_settings()
    if settings.payment_gateway == "stripe":
        from brandifiers.services.payments.stripe_gateway import StripeGateway
        return StripeGateway(settings)
    from brandifiers.services.payments.manual import ManualGateway
    return ManualGateway()
