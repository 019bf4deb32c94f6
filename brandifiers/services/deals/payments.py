"""Payments recorded by sponsors against accepted requests, and an influencer's earnings.
(Re-exported by services.deals.adrequests, which is where callers import them from.)"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case
from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.db import lock_row
from brandifiers.models import COMMITTED, AdRequest, Payment, PaymentState, Role, counts_as_paid
from brandifiers.services.common import zones
from brandifiers.services.common.errors import DomainError, ValidationFailed, found
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.validation import CollabForm
from brandifiers.services.deals.adrequest_machine import (
    check_not_frozen,
    load_request,
    record_change,
    tell_other_side,
)
from brandifiers.services.deals.funding import gateway_totals, owed_cents


def _check_payable(request: AdRequest) -> None:
    check_not_frozen(request)
    if request.status not in COMMITTED:
        raise DomainError("Payments can be recorded once the request has been accepted.")


def record_payment(session: Session, actor_id: int | None, request_id: int, data: dict, *,
                   now: datetime | None = None) -> Payment:
    """Record a payment (fields amount, paid_on, reference). The total paid never exceeds the
    agreed payment: checked under the request's row lock (db.lock_row). A second payment
    with the same non-empty reference is refused (a double submit)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    now = now or utcnow()
    request = load_request(session, actor, request_id)
    _check_payable(request)
    form = CollabForm(data)
    amount = form.amount("amount")
    paid_on = form.date("paid_on", "Payment date")
    reference = form.text("reference", "Reference", max_len=120, required=False)
    if paid_on and paid_on > zones.local_today(actor, now):
        form.error("paid_on", "The payment date cannot be in the future.")
    form.check()
    request = found(lock_row(session, AdRequest, request.id), "ad request")
    _check_payable(request)
    outstanding = owed_cents(session, request)  # what card funds already cover is not owed twice
    if amount > outstanding:
        raise ValidationFailed({"amount": f"That is more than the {format_cents(max(outstanding, 0))} still "
                                          f"outstanding on this request."})
    if reference and session.exec(select(Payment.id).where(Payment.ad_request_id == request.id,
                                                           Payment.reference == reference)).first() is not None:
        raise ValidationFailed({"reference": "A payment with this reference is already recorded."})
    payment = Payment(ad_request_id=request.id, amount_cents=amount, paid_on=paid_on, reference=reference,
                      recorded_by_id=actor.id, created_at=now)
    request.updated_at = now
    session.add_all([payment, request])
    session.flush()
    summary = f"payment of {format_cents(amount)} recorded ({format_cents(outstanding - amount)} outstanding)"
    record_change(session, actor, request, "adrequest.payment", summary, before=request.status,
                  after=request.status, now=now)
    tell_other_side(session, actor, request, "request.payment", f"Payment recorded: {format_cents(amount)}",
                    f"Paid on {paid_on.isoformat()}" + (f", reference {reference}" if reference else ""), now=now)
    return payment


def earnings(session: Session, actor_id: int | None) -> dict:
    """The influencer's balances in cents: agreed (requests accepted or later), funded and released by card
    (services.deals.funding), paid (manual entries recorded or confirmed), disputed (manual entries awaiting
    an admin) and outstanding = agreed - released - paid - disputed (never below 0). Voided entries count nowhere."""
    actor = require_role(session, actor_id, Role.INFLUENCER)
    mine = AdRequest.influencer_id == actor.id
    agreed = session.exec(select(func.coalesce(func.sum(AdRequest.payment_cents), 0))
                          .where(mine, AdRequest.status.in_(COMMITTED))).one()
    disputed_sum = func.sum(case((Payment.state == PaymentState.DISPUTED.value, Payment.amount_cents), else_=0))
    paid, disputed = session.exec(select(func.coalesce(func.sum(Payment.amount_cents), 0) - func.coalesce(
        disputed_sum, 0), func.coalesce(disputed_sum, 0)).join(AdRequest, AdRequest.id == Payment.ad_request_id)
        .where(mine, counts_as_paid())).one()
    gateway = gateway_totals(session, actor.id)
    agreed, paid, disputed = int(agreed), int(paid), int(disputed)
    released = int(gateway["released_cents"])
    return {"agreed_cents": agreed, "funded_cents": int(gateway["funded_cents"]), "released_cents": released,
            "paid_cents": paid, "disputed_cents": disputed,
            "outstanding_cents": max(agreed - released - paid - disputed, 0)}
