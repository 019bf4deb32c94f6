"""The funding ledger: every state change of a card payment is one GatewayEvent row keyed by the gateway's
event id (or our own API answer's), applied once; a later state never goes back. Audited, both parties told."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.config import get_settings
from brandifiers.models import AdRequest, Funding, GatewayEvent, User
from brandifiers.services.common import audit
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.notify import notify
from brandifiers.services.payments.gateway import FINAL, RANK, Gateway, GatewayEventIn, gateway_for

TITLES = {"held": "Funds held by card", "released": "Funds released to the influencer",
          "refunded": "Card funds refunded to the sponsor", "failed": "A card payment did not go through"}


def gateway_by_name(name: str) -> Gateway:
    """The gateway a funding row was made with (its own, whatever the site's default is now)."""
    settings = get_settings()
    if name == "stripe":
        from brandifiers.services.payments.stripe_gateway import StripeGateway
        return StripeGateway(settings)
    return gateway_for(settings)


def _claim(session: Session, event_id: str, funding: Funding | None, kind: str, now: datetime) -> GatewayEvent | None:
    """Insert the event row (None: seen before, by us or by a concurrent delivery)."""
    if session.exec(select(GatewayEvent.id).where(GatewayEvent.event_id == event_id)).first() is not None:
        return None
    row = GatewayEvent(event_id=event_id, funding_id=funding.id if funding else None, kind=kind[:60],
                       before=funding.status if funding else None, received_at=now)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row


def apply_change(session: Session, funding: Funding, new_status: str, event_id: str, kind: str, *,
                 now: datetime | None = None, actor: User | None = None) -> bool:
    """Move the funding to new_status once per event id; True when something changed."""
    now = now or utcnow()
    gw_event = _claim(session, event_id, funding, kind, now)
    if gw_event is None:
        return False
    old = funding.status
    if new_status == old or old in FINAL or RANK.get(new_status, -1) <= RANK.get(old, 0):
        return False  # late or reordered: the event is recorded, the state stays
    funding.status, funding.updated_at = new_status, now
    stamp = {"held": "held_at", "released": "released_at", "refunded": "refunded_at"}.get(new_status)
    if stamp:
        setattr(funding, stamp, now)
    gw_event.after = new_status
    session.add_all([funding, gw_event])
    request = session.get(AdRequest, funding.ad_request_id)
    summary = f"card funding {funding.payment_id}: {old} -> {new_status} ({format_cents(funding.amount_cents)})"
    audit.record(session, actor, f"funding.{new_status}", "adrequest", request.id, summary, before=old,
                 after=new_status, now=now)
    title = f"{TITLES.get(new_status, 'Card funding changed')}: {format_cents(funding.amount_cents)}"
    for user_id, side in ((request.sponsor_id, "sponsor"), (request.influencer_id, "influencer")):
        notify(session, user_id, "request.funding", title, "", f"/{side}/requests/{request.id}", now=now)
    return True


def apply_event(session: Session, event: GatewayEventIn, *, now: datetime | None = None) -> bool:
    """A verified webhook event: applied to its funding row once (unknown payments are only recorded,
    for the reconciliation to list)."""
    now = now or utcnow()
    if event.payment is None:
        return _claim(session, event.event_id, None, event.kind, now) is not None and False
    funding = session.exec(select(Funding).where(Funding.payment_id == event.payment.payment_id)
                           .with_for_update()).first()
    if funding is None:
        _claim(session, event.event_id, None, event.kind, now)
        return False
    return apply_change(session, funding, event.payment.status, event.event_id, event.kind, now=now)
