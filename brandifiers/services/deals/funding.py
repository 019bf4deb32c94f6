"""Card funding of accepted deals through the payment gateway: fund (held), release on approval, refund
when the deal is cancelled, and the webhook events, each applied once per gateway event id (funding_ledger).
Raises DomainError, ValidationFailed, NotFound, PermissionDenied. Design: docs/payments.md."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.config import get_settings
from brandifiers.db import lock_row
from brandifiers.models import AdRequest, AdRequestStatus, Funding, Role, User
from brandifiers.services.common.errors import DomainError, ValidationFailed, found
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.validation import CollabForm
from brandifiers.services.deals.adrequest_machine import (
    check_not_frozen,
    load_request,
    move,
    paid_cents,
)
from brandifiers.services.deals.funding_ledger import apply_change, apply_event, gateway_by_name
from brandifiers.services.payments.gateway import HELD, PENDING, RELEASED, GatewayError, GatewayRefused, gateway_for

__all__ = ["apply_event", "cancel_deal", "fund_request", "funding_summary", "funding_view", "gateway_totals",
           "owed_cents", "refund_held", "release_held"]
_R = AdRequestStatus
FUNDABLE = (_R.ACCEPTED.value, _R.IN_PROGRESS.value)
LIVE_FUNDS = (PENDING, HELD, RELEASED)


def gateway_totals(session: Session, influencer_id: int) -> dict[str, int]:
    """Cents funded (held now) and released to this influencer through the gateway."""
    stmt = (select(Funding.status, func.coalesce(func.sum(Funding.amount_cents), 0))
            .join(AdRequest, AdRequest.id == Funding.ad_request_id)
            .where(AdRequest.influencer_id == influencer_id, Funding.status.in_((HELD, RELEASED)))
            .group_by(Funding.status))
    sums = {status: int(total) for status, total in session.exec(stmt)}
    return {"funded_cents": sums.get(HELD, 0), "released_cents": sums.get(RELEASED, 0)}


def _card_cents(session: Session, request_id: int, statuses=LIVE_FUNDS) -> int:
    stmt = select(func.coalesce(func.sum(Funding.amount_cents), 0)).where(
        Funding.ad_request_id == request_id, Funding.status.in_(statuses))
    return int(session.exec(stmt).one())


def owed_cents(session: Session, request: AdRequest) -> int:
    """The agreed payment not yet paid by hand nor funded by card (held, released or being authorised)."""
    return max(request.payment_cents - paid_cents(session, request.id) - _card_cents(session, request.id), 0)


def funding_summary(session: Session, request_id: int) -> dict:
    """Held, released and refunded cents of one request and a status line a person reads."""
    rows = session.exec(select(Funding.status, func.sum(Funding.amount_cents))
                        .where(Funding.ad_request_id == request_id).group_by(Funding.status)).all()
    sums = {status: int(total or 0) for status, total in rows}
    held, released, refunded = sums.get(HELD, 0), sums.get(RELEASED, 0), sums.get("refunded", 0)
    if not sums:
        line = "Not funded by card."
    elif held:
        line = f"{format_cents(held)} held by card: released to the influencer when the delivery is approved."
    elif released:
        line = f"{format_cents(released)} released to the influencer."
    elif refunded:
        line = f"{format_cents(refunded)} refunded to the sponsor."
    else:
        line = "The card payment did not go through."
    return {"held_cents": held, "released_cents": released, "refunded_cents": refunded, "status_line": line}


def funding_view(session: Session, actor_id: int | None, request_id: int) -> dict:
    """What a party of the request sees of its card funding, and whether (and how) it can fund now:
    card_mode "test" (a test card number field), "element" (Stripe's Payment Element) or "" (no form)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.INFLUENCER, Role.ADMIN)
    request = load_request(session, actor, request_id)
    view = funding_summary(session, request.id)
    settings = get_settings()
    gateway = gateway_for(settings)
    owed = owed_cents(session, request)
    mode = ""
    if (gateway.name != "manual" and actor.role != Role.INFLUENCER.value and request.status in FUNDABLE
            and owed > 0 and not request.flagged):
        mode = "test" if getattr(gateway, "test_mode", False) else "element"
    rows = session.exec(select(Funding).where(Funding.ad_request_id == request.id).order_by(Funding.id)).all()
    return view | {"owed_cents": owed, "card_mode": mode, "publishable_key": settings.stripe_publishable_key or "",
                   "currency": settings.currency.lower(), "rows": rows}


def _down(exc: GatewayError, field: str | None = None) -> DomainError:
    if isinstance(exc, GatewayRefused) and field:
        return ValidationFailed({field: exc.message})
    return DomainError(exc.message)


def fund_request(session: Session, actor_id: int | None, request_id: int, data: dict, *,
                 now: datetime | None = None) -> Funding:
    """The sponsor (or an admin for it) funds an accepted or in-progress deal by card (fields fund_amount and
    card: a test card number in test mode, else payment_method from Stripe's Payment Element). The
    gateway is asked first: when it is down or refuses, nothing is written."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    now = now or utcnow()
    request = load_request(session, actor, request_id)
    gateway = gateway_for()
    if gateway.name == "manual":
        raise DomainError("Card payments are not set up on this site; record payments by hand.")
    form = CollabForm(data)
    amount = form.amount("fund_amount")
    card = form.text("card", "The card", max_len=255, required=False)
    method = form.text("payment_method", "The card", max_len=255, required=False)
    if not card and not method:
        form.error("card", "Enter the card to charge.")
    form.check()
    request = found(lock_row(session, AdRequest, request.id), "ad request")
    check_not_frozen(request)
    if request.status not in FUNDABLE:
        raise DomainError("A deal can be funded once it is accepted and until the delivery is submitted.")
    owed = owed_cents(session, request)
    if amount > owed:
        raise ValidationFailed({"fund_amount": f"That is more than the {format_cents(owed)} still owed on this deal."})
    count = session.exec(select(func.count()).select_from(Funding).where(Funding.ad_request_id == request.id)).one()
    key = f"fund:{request.id}:{count}:{amount}"  # a retry after a lost answer is the same payment
    digits = "".join(ch for ch in card if ch != " ")
    try:
        payment = gateway.create_payment(ad_request_id=request.id, amount_cents=amount,
                                         currency=get_settings().currency, idempotency_key=key,
                                         payment_method=method or None, test_card=digits or None)
    except GatewayError as exc:
        raise _down(exc, "card") from exc
    if payment.status not in (HELD, PENDING):
        raise ValidationFailed({"card": payment.failure or "The card payment did not go through."})
    funding = Funding(ad_request_id=request.id, amount_cents=amount, currency=get_settings().currency.lower(),
                      gateway=gateway.name, payment_id=payment.payment_id, status=PENDING, funded_by_id=actor.id,
                      created_at=now, updated_at=now)
    session.add(funding)
    session.flush()
    apply_change(session, funding, payment.status, f"api:{payment.payment_id}:{payment.status}", "api.create",
                 now=now, actor=actor)
    return funding


def _settle(session: Session, actor: User, request: AdRequest, capture: bool, now: datetime) -> None:
    """Capture (capture=True) or cancel/refund every held card payment of the request."""
    for funding in session.exec(select(Funding).where(Funding.ad_request_id == request.id,
                                                      Funding.status.in_((PENDING, HELD)))).all():
        gateway = gateway_by_name(funding.gateway)
        try:
            if capture:
                payment = gateway.capture(funding.payment_id, idempotency_key=f"capture:{funding.id}")
            else:
                payment = gateway.cancel(funding.payment_id, idempotency_key=f"refund:{funding.id}")
        except GatewayError as exc:
            raise _down(exc) from exc
        apply_change(session, funding, payment.status, f"api:{payment.payment_id}:{payment.status}",
                     "api.capture" if capture else "api.cancel", now=now, actor=actor)


def release_held(session: Session, actor: User, request: AdRequest, now: datetime) -> None:
    """On approval of the delivery: the held funds go to the influencer (PaymentIntent captured)."""
    _settle(session, actor, request, True, now)


def refund_held(session: Session, actor: User, request: AdRequest, now: datetime) -> None:
    """On cancellation: the held funds go back to the sponsor (PaymentIntent cancelled)."""
    _settle(session, actor, request, False, now)


def cancel_deal(session: Session, actor_id: int | None, request_id: int, reason: str = "", *,
                now: datetime | None = None) -> AdRequest:
    """The sponsor (or an admin, with a reason) cancels an accepted or in-progress deal: what is held by
    card is refunded first (a gateway that is down refuses the whole move), then the deal is withdrawn."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    now = now or utcnow()
    request = load_request(session, actor, request_id)
    form = CollabForm({"cancel_reason": reason})
    reason = form.text("cancel_reason", "The reason", max_len=500, required=actor.role == Role.ADMIN.value)
    form.check()
    request = found(lock_row(session, AdRequest, request.id), "ad request")
    check_not_frozen(request)
    if request.status not in FUNDABLE:
        raise DomainError("Only an accepted or in-progress deal can be cancelled.")
    refund_held(session, actor, request, now)
    return move(session, actor, request, _R.WITHDRAWN.value, "adrequest.cancel",
                f"deal cancelled{': ' + reason if reason else ''}", "request.withdrawn", "The deal was cancelled",
                reason, now=now)
