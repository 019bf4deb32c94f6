"""Payment receipts: one template (templates/payment_receipt.html) rendered to HTML, and to PDF through the
monthly report's path (reports.html_to_pdf); a single-use link token, minted for a party of the payment
and valid RECEIPT_TTL. Raises DomainError, NotFound, PermissionDenied."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.config import get_settings
from brandifiers.models import (
    AdRequest,
    Campaign,
    InfluencerProfile,
    Payment,
    PaymentState,
    ReceiptToken,
    Role,
    SponsorProfile,
    User,
)
from brandifiers.services.common import parse, zones
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.rbac import require_role
from brandifiers.services.deals.payment_disputes import load_payment
from brandifiers.services.messaging.reports import TEMPLATES, html_to_pdf

RECEIPT_TTL = timedelta(minutes=10)
FORMATS = ("html", "pdf")
STATE_WORDS = {"recorded": "Recorded by the sponsor, not yet confirmed by the influencer",
               "confirmed": "Confirmed by the influencer", "disputed": "Disputed by the influencer",
               "voided": "Voided"}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def number(payment: Payment) -> str:
    return f"R-{payment.id:06d}"


def context(session: Session, payment: Payment, request: AdRequest, zone, *, now: datetime) -> dict:
    """Everything the receipt shows, as display strings."""
    campaign = session.get(Campaign, request.campaign_id)
    sponsor = session.exec(select(SponsorProfile.company_name).where(SponsorProfile.user_id == request.sponsor_id)
                           ).first()
    influencer = session.exec(select(InfluencerProfile.display_name)
                              .where(InfluencerProfile.user_id == request.influencer_id)).first()
    amount = format_cents(payment.amount_cents)
    lines = [("Paid by", sponsor or "-"), ("Paid to", influencer or "-"),
             ("Campaign", campaign.name if campaign else "-"), ("Ad request", f"#{request.id}"),
             ("Amount", amount), ("Paid on", payment.paid_on.isoformat()),
             ("Reference", payment.reference or "-"), ("Recorded", zones.fmt_time(payment.created_at, zone)),
             ("State", STATE_WORDS.get(payment.state, payment.state))]
    if payment.state == PaymentState.CONFIRMED.value and not payment.resolution:
        lines.append(("Confirmed", zones.fmt_time(payment.answered_at, zone)))
    dispute = resolution = ""
    if payment.dispute_reason:
        dispute = f"Disputed {zones.fmt_time(payment.answered_at, zone)}: {payment.dispute_reason}"
    if payment.resolution:
        outcome = "upheld (entry voided)" if payment.resolution == "upheld" else "rejected (entry confirmed)"
        resolution = (f"An administrator {outcome} the dispute {zones.fmt_time(payment.resolved_at, zone)}: "
                      f"{payment.resolution_reason}")
    return {"number": number(payment), "amount": amount, "influencer": influencer or "-", "lines": lines,
            "dispute": dispute, "resolution": resolution, "currency": get_settings().currency,
            "issued": zones.fmt_time(now, zone)}


def render(ctx: dict) -> str:
    return TEMPLATES.get_template("payment_receipt.html").render(r=ctx)


def _receivable(session: Session, actor: User, payment_id) -> tuple[Payment, AdRequest]:
    payment, request = load_payment(session, actor, payment_id)
    if payment.state == PaymentState.VOIDED.value:
        raise DomainError("This entry was voided after a dispute: it has no receipt.")
    return payment, request


def issue_token(session: Session, actor_id: int | None, payment_id, *, now: datetime | None = None) -> str:
    """A new single-use token for the receipt of a payment the actor is a party of (admins: any)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.INFLUENCER, Role.ADMIN)
    payment, _request = _receivable(session, actor, payment_id)
    token = secrets.token_urlsafe(32)
    session.add(ReceiptToken(token_hash=_hash(token), payment_id=payment.id, user_id=actor.id,
                             expires_at=(now or utcnow()) + RECEIPT_TTL, created_at=now or utcnow()))
    return token


def redeem(session: Session, payment_id, token, fmt, *, now: datetime | None = None) -> tuple[str, bytes, str]:
    """(filename, content, media type) of a receipt for a valid token; the token is used up. The holder must
    still be a party of the payment, and the entry not voided meanwhile."""
    now = now or utcnow()
    token, fmt, pid = parse.text(token), parse.text(fmt) or "html", parse.record_id(payment_id)
    if fmt not in FORMATS:
        raise DomainError("Ask for format=html or format=pdf.")
    if not token or not pid:
        raise NotFound("receipt")
    # One conditional UPDATE checks and spends the token: of parallel uses, only one gets the row.
    row = session.execute(sa.update(ReceiptToken).where(
        ReceiptToken.token_hash == _hash(token), ReceiptToken.payment_id == pid, ReceiptToken.used_at.is_(None),
        ReceiptToken.expires_at >= now).values(used_at=now).returning(ReceiptToken.user_id)
        .execution_options(synchronize_session=False)).first()
    if row is None:
        raise NotFound("receipt")
    holder = session.get(User, row[0])
    if holder is None:
        raise NotFound("receipt")
    payment, request = _receivable(session, holder, pid)
    html = render(context(session, payment, request, zones.user_zone(holder), now=now))
    name = f"brandifiers-receipt-{number(payment)}"
    if fmt == "pdf":
        return f"{name}.pdf", html_to_pdf(html), "application/pdf"
    return f"{name}.html", html.encode(), "text/html; charset=utf-8"


def receipts_html(session: Session, user_id: int, *, now: datetime | None = None) -> list[tuple[str, str]]:
    """[(filename, html)] of every receipt of a person's deals (the personal data export)."""
    now = now or utcnow()
    user = session.get(User, user_id)
    if user is None:
        return []
    party = sa.or_(AdRequest.sponsor_id == user_id, AdRequest.influencer_id == user_id)
    found = session.exec(select(Payment, AdRequest).join(AdRequest, AdRequest.id == Payment.ad_request_id)
                         .where(party, Payment.state != PaymentState.VOIDED.value).order_by(Payment.id)).all()
    zone = zones.user_zone(user)
    return [(f"receipts/{number(p)}.html", render(context(session, p, r, zone, now=now))) for p, r in found]
