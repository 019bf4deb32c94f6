"""The influencer's answer to a manual payment entry (confirm, or dispute with a reason) and the admin's
resolution of a dispute (upheld: the entry is voided; rejected: it stands as confirmed). Raises DomainError,
NotFound, PermissionDenied. Design: docs/payment-disputes.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.models import (
    AdRequest,
    Campaign,
    InfluencerProfile,
    Payment,
    PaymentState,
    Role,
    SponsorProfile,
    User,
    UserStatus,
)
from brandifiers.services.common import audit, parse
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.common.filters import page_bounds
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.notify import notify
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.validation import clean_reason
from brandifiers.services.deals.adrequest_machine import load_request

UPHELD, REJECTED = "upheld", "rejected"
OUTCOMES = {UPHELD: "Dispute upheld: the entry is voided", REJECTED: "Dispute rejected: the entry stands"}
_P = PaymentState
ADMIN_PAGE = "/admin/disputes"


def load_payment(session: Session, actor: User, payment_id) -> tuple[Payment, AdRequest]:
    """A payment of a request the actor is a party of (admins: any); foreign and missing ids look the same."""
    pid = parse.record_id(payment_id)
    payment = session.get(Payment, pid) if pid else None
    if payment is None:
        raise NotFound("payment")
    try:
        request = load_request(session, actor, payment.ad_request_id)
    except NotFound:
        raise NotFound("payment") from None
    return payment, request


def _move(session: Session, payment: Payment, from_state: str, refusal: str, **values) -> str:
    """Change the entry only if it is still in from_state (one conditional UPDATE: of two answers sent at
    once, one wins and the other is refused); returns the old state."""
    done = session.execute(sa.update(Payment).where(Payment.id == payment.id, Payment.state == from_state)
                           .values(**values).returning(Payment.id)
                           .execution_options(synchronize_session=False)).first()
    if done is None:
        raise DomainError(refusal)
    session.refresh(payment)
    return from_state


def _influencer_entry(session: Session, actor_id: int | None, payment_id) -> tuple[User, Payment, AdRequest]:
    actor = require_role(session, actor_id, Role.INFLUENCER)
    payment, request = load_payment(session, actor, payment_id)
    return actor, payment, request


def _answer(session: Session, payment: Payment, **values) -> str:
    return _move(session, payment, _P.RECORDED.value, "This payment was answered already: it can be confirmed or "
                 "disputed only once.", **values)


def _what(payment: Payment) -> str:
    return f"{format_cents(payment.amount_cents)} paid on {payment.paid_on.isoformat()}"


def _tell_parties(session: Session, request: AdRequest, kind: str, title: str, body: str, now: datetime) -> None:
    notify(session, request.sponsor_id, kind, title, body, f"/sponsor/requests/{request.id}", now=now)
    notify(session, request.influencer_id, kind, title, body, f"/influencer/requests/{request.id}", now=now)


def _record(session: Session, actor: User, payment: Payment, request: AdRequest, action: str, summary: str,
            before: str, now: datetime) -> None:
    audit.record(session, actor, action, "payment", payment.id, f"request #{request.id}: {summary}",
                 before=before, after=payment.state, now=now)


def confirm_payment(session: Session, actor_id: int | None, payment_id, *, now: datetime | None = None) -> Payment:
    """The request's influencer confirms a recorded entry."""
    now = now or utcnow()
    actor, payment, request = _influencer_entry(session, actor_id, payment_id)
    before = _answer(session, payment, state=_P.CONFIRMED.value, answered_by_id=actor.id, answered_at=now)
    _record(session, actor, payment, request, "payment.confirm", f"confirmed {_what(payment)}", before, now)
    _tell_parties(session, request, "request.payment_confirmed",
                  f"Payment confirmed: {format_cents(payment.amount_cents)}",
                  f"The influencer confirmed receiving {_what(payment)}.", now)
    return payment


def dispute_payment(session: Session, actor_id: int | None, payment_id, reason, *,
                    now: datetime | None = None) -> Payment:
    """The request's influencer disputes a recorded entry with a reason; both parties and the admins are told."""
    now = now or utcnow()
    reason = clean_reason(reason, "the other side will read it", what="dispute")
    actor, payment, request = _influencer_entry(session, actor_id, payment_id)
    before = _answer(session, payment, state=_P.DISPUTED.value, dispute_reason=reason, answered_by_id=actor.id,
                     answered_at=now)
    _record(session, actor, payment, request, "payment.dispute", f"disputed {_what(payment)}: {reason}", before, now)
    title = f"Payment disputed: {format_cents(payment.amount_cents)}"
    _tell_parties(session, request, "request.payment_disputed", title, reason, now)
    admins = session.exec(select(User.id).where(User.role == Role.ADMIN.value,
                                                User.status == UserStatus.ACTIVE.value)).all()
    for admin_id in admins:
        notify(session, admin_id, "request.payment_disputed", f"{title} on request #{request.id}", reason,
               ADMIN_PAGE, now=now)
    return payment


def resolve_dispute(session: Session, actor_id: int | None, payment_id, outcome, reason, *,
                    now: datetime | None = None) -> Payment:
    """An admin resolves a disputed entry: upheld (voided, no longer counts as paid) or rejected (confirmed)."""
    now = now or utcnow()
    admin = require_role(session, actor_id, Role.ADMIN)
    outcome = parse.text(outcome, "outcome", "The outcome")
    if outcome not in OUTCOMES:
        raise DomainError("Choose whether the dispute is upheld or rejected.", "outcome")
    reason = clean_reason(reason, "the other side will read it", what="decision")
    payment, request = load_payment(session, admin, payment_id)
    before = _move(session, payment, _P.DISPUTED.value, "This payment is not disputed (any more): it was "
                   "resolved already.", state=_P.VOIDED.value if outcome == UPHELD else _P.CONFIRMED.value,
                   resolution=outcome, resolution_reason=reason, resolved_by_id=admin.id, resolved_at=now)
    _record(session, admin, payment, request, "payment.resolve", f"dispute of {_what(payment)} {outcome}: {reason}",
            before, now)
    _tell_parties(session, request, "request.payment_resolved",
                  f"{OUTCOMES[outcome]} ({format_cents(payment.amount_cents)})", reason, now)
    return payment


@dataclass
class DisputeRow:
    payment_id: int
    request_id: int
    campaign: str
    sponsor: str
    influencer: str
    amount_cents: int
    paid_on: date
    reference: str
    reason: str
    disputed_at: datetime | None


def open_disputes(session: Session, actor_id: int | None, *, page: int = 0,
                  page_size: int = 20) -> tuple[list[DisputeRow], int]:
    """Admin: one page of the disputed entries, oldest dispute first, and their count."""
    require_role(session, actor_id, Role.ADMIN)
    offset, limit = page_bounds(page, page_size)
    disputed = Payment.state == _P.DISPUTED.value
    total = int(session.exec(select(func.count()).select_from(Payment).where(disputed)).one())
    rows = session.exec(
        select(Payment, AdRequest.id, Campaign.name, SponsorProfile.company_name, InfluencerProfile.display_name)
        .join(AdRequest, AdRequest.id == Payment.ad_request_id).join(Campaign, Campaign.id == AdRequest.campaign_id)
        .outerjoin(SponsorProfile, SponsorProfile.user_id == AdRequest.sponsor_id)
        .outerjoin(InfluencerProfile, InfluencerProfile.user_id == AdRequest.influencer_id)
        .where(disputed).order_by(Payment.answered_at, Payment.id).offset(offset).limit(limit)).all()
    return [DisputeRow(p.id, rid, name, sponsor or "", influencer or "", p.amount_cents, p.paid_on, p.reference,
                       p.dispute_reason or "", p.answered_at) for p, rid, name, sponsor, influencer in rows], total
