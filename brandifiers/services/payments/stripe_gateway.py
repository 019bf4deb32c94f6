"""Stripe through the official `stripe` package: a manual-capture PaymentIntent per funding (authorised = held,
captured = released, cancelled or refunded = refunded), a StripeClient per call, an idempotency key on every
create, capture and refund. Raises GatewayDown, GatewayRefused, BadSignature. Design: docs/payments.md."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import stripe

from brandifiers.config import Settings
from brandifiers.services.common.parse import is_digits
from brandifiers.services.payments.gateway import (
    FAILED,
    HELD,
    PENDING,
    REFUNDED,
    RELEASED,
    BadSignature,
    GatewayDown,
    GatewayEventIn,
    GatewayPayment,
    GatewayRefused,
)

DOWN = "The card payment service cannot be reached right now; nothing was charged. Please try again in a minute."
PI_EVENTS = ("payment_intent.", "charge.refunded")


def _call(fn, *args, **kwargs):
    """Run one Stripe call, turning its errors into ours (the message a person can act on)."""
    try:
        return fn(*args, **kwargs)
    except stripe.CardError as exc:
        raise GatewayRefused(f"The card was declined: {(exc.user_message or 'no reason given').rstrip('.')}.") from exc
    except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
        raise GatewayDown(DOWN) from exc
    except stripe.InvalidRequestError as exc:
        raise GatewayRefused(f"The payment service refused this: {exc.user_message or 'invalid request'}.") from exc
    except stripe.AuthenticationError as exc:
        raise GatewayRefused("The card payment service is misconfigured on this site; tell the administrator.") \
            from exc
    except stripe.StripeError as exc:  # 5xx and anything else: the service failed, not the request
        raise GatewayDown(DOWN) from exc


def _refunded_cents(pi: dict) -> int:
    charges = (pi.get("charges") or {}).get("data") or []
    charge = charges[0] if charges else pi.get("latest_charge")
    return int(charge.get("amount_refunded") or 0) if isinstance(charge, dict) else 0


def to_payment(pi: dict) -> GatewayPayment:
    """Our view of a PaymentIntent (a plain dict)."""
    amount, refunded, status = int(pi.get("amount") or 0), _refunded_cents(pi), pi.get("status")
    error = pi.get("last_payment_error") or {}
    if status == "requires_capture":
        ours = HELD
    elif status == "succeeded":
        ours = REFUNDED if amount and refunded >= amount else RELEASED
    elif status == "canceled":
        ours = REFUNDED
    elif status == "requires_payment_method" and error:
        ours = FAILED
    else:
        ours = PENDING
    request_id = (pi.get("metadata") or {}).get("ad_request_id")
    created = datetime.fromtimestamp(pi["created"], UTC) if pi.get("created") else None
    return GatewayPayment(pi["id"], ours, amount, refunded, created,
                          int(request_id) if is_digits(str(request_id or "")) else None,
                          str(error.get("message") or "")[:500])


class StripeGateway:
    name = "stripe"

    def __init__(self, settings: Settings):
        self.settings = settings

    def _client(self) -> stripe.StripeClient:
        base = {"api": self.settings.stripe_api_base} if self.settings.stripe_api_base else None
        return stripe.StripeClient(self.settings.stripe_secret_key or "", base_addresses=base,
                                   max_network_retries=0)

    @property
    def test_mode(self) -> bool:
        return self.settings.stripe_test_cards and (self.settings.stripe_secret_key or "").startswith("sk_test_")

    def create_payment(self, *, ad_request_id: int, amount_cents: int, currency: str, idempotency_key: str,
                       payment_method: str | None = None, test_card: str | None = None) -> GatewayPayment:
        client = self._client()
        if test_card is not None:  # test mode only: the server makes the payment method from a test card
            if not self.test_mode:
                raise GatewayRefused("Card numbers are only taken in test mode.")
            card = {"number": test_card, "exp_month": 12, "exp_year": datetime.now(UTC).year + 3, "cvc": "123"}
            payment_method = _call(client.v1.payment_methods.create, params={"type": "card", "card": card},
                                   options={"idempotency_key": idempotency_key + ":pm"}).id
        if not payment_method:
            raise GatewayRefused("No card was given.")
        params = {"amount": amount_cents, "currency": currency.lower(), "payment_method": payment_method,
                  "confirm": True, "capture_method": "manual", "payment_method_types": ["card"],
                  "metadata": {"ad_request_id": str(ad_request_id)}}
        pi = _call(client.v1.payment_intents.create, params=params, options={"idempotency_key": idempotency_key})
        return to_payment(pi.to_dict())

    def capture(self, payment_id: str, *, idempotency_key: str) -> GatewayPayment:
        pi = _call(self._client().v1.payment_intents.capture, payment_id, options={"idempotency_key": idempotency_key})
        return to_payment(pi.to_dict())

    def cancel(self, payment_id: str, *, idempotency_key: str) -> GatewayPayment:
        client = self._client()
        current = self.read(payment_id)
        if current.status == HELD:
            pi = _call(client.v1.payment_intents.cancel, payment_id, options={"idempotency_key": idempotency_key})
            return to_payment(pi.to_dict())
        if current.status == RELEASED:
            _call(client.v1.refunds.create, params={"payment_intent": payment_id},
                  options={"idempotency_key": idempotency_key})
            return self.read(payment_id)
        return current

    def read(self, payment_id: str) -> GatewayPayment:
        pi = _call(self._client().v1.payment_intents.retrieve, payment_id, params={"expand": ["latest_charge"]})
        return to_payment(pi.to_dict())

    def list_payments(self, since: datetime) -> list[GatewayPayment]:
        """Every PaymentIntent created since `since`: Stripe filters by `created`; localstripe refuses that
        filter ("Unexpected created"), so then every page is read and filtered here."""
        try:
            return self._list_since(since, {"created": {"gte": int(since.timestamp())}})
        except GatewayRefused as exc:
            if "created" not in exc.message:
                raise
            return self._list_since(since, {})

    def _list_since(self, since: datetime, where: dict) -> list[GatewayPayment]:
        client, out, after = self._client(), [], None
        while True:
            params = {"limit": 100, "expand": ["data.latest_charge"]} | where | (
                {"starting_after": after} if after else {})
            page = _call(client.v1.payment_intents.list, params=params).to_dict()
            rows = [to_payment(pi) for pi in page.get("data") or []]
            out += [p for p in rows if p.created is None or p.created >= since]
            if not page.get("has_more") or not rows:
                return out
            after = rows[-1].payment_id

    def parse_webhook(self, payload: bytes, signature: str | None) -> GatewayEventIn:
        secret = self.settings.stripe_webhook_secret
        if not secret or not signature:
            raise BadSignature("Unsigned webhook.")
        try:
            stripe.WebhookSignature.verify_header(payload.decode("utf-8"), signature, secret, 300)
            event = json.loads(payload)
        except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as exc:
            raise BadSignature("The webhook signature does not verify.") from exc
        if not isinstance(event, dict) or not isinstance(event.get("id"), str):
            raise BadSignature("Not a Stripe event.")
        kind = str(event.get("type") or "")
        obj = (event.get("data") or {}).get("object") or {}
        if not kind.startswith(PI_EVENTS) or not isinstance(obj, dict):
            return GatewayEventIn(event["id"], kind, None)
        if obj.get("object") == "charge":  # charge.refunded: the PaymentIntent as it is now
            pi_id = obj.get("payment_intent")
            return GatewayEventIn(event["id"], kind, self.read(pi_id) if isinstance(pi_id, str) else None)
        return GatewayEventIn(event["id"], kind, to_payment(obj) if isinstance(obj.get("id"), str) else None)
