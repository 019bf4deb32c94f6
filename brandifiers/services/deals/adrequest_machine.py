"""The ad request status machine: `transition` is the only code that changes AdRequest.status, plus the
checks every move shares; callers import it from services.deals.adrequests. Raises DomainError,
NotFound, PermissionDenied. Design: docs/deals.md."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, func, select

from brandifiers.models import (
    AdRequest,
    AdRequestStatus,
    Campaign,
    CampaignStatus,
    Offer,
    Payment,
    Role,
    User,
    UserStatus,
    counts_as_paid,
)
from brandifiers.services.common import audit
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.common.labels import status_label
from brandifiers.services.common.notify import notify
from brandifiers.services.deals.holds import campaign_hold

_R = AdRequestStatus
ALLOWED: dict[str, set[str]] = {
    _R.PENDING.value: {_R.NEGOTIATING.value, _R.ACCEPTED.value, _R.REJECTED.value, _R.WITHDRAWN.value},
    _R.NEGOTIATING.value: {_R.ACCEPTED.value, _R.REJECTED.value, _R.WITHDRAWN.value},
    _R.ACCEPTED.value: {_R.IN_PROGRESS.value, _R.WITHDRAWN.value},  # withdrawn: the deal cancelled (funding.py)
    _R.IN_PROGRESS.value: {_R.SUBMITTED.value, _R.WITHDRAWN.value},
    _R.SUBMITTED.value: {_R.COMPLETED.value, _R.IN_PROGRESS.value},  # in_progress: revision requested
    _R.REJECTED.value: set(),
    _R.WITHDRAWN.value: set(),
    _R.COMPLETED.value: set(),
}
FROZEN = "This request is frozen by an administrator."
SPONSOR_SIDE, INFLUENCER_SIDE = "sponsor", "influencer"


def check_move(request: AdRequest, new_status: str) -> None:
    """Refuse (without changing anything) unless old -> new is in ALLOWED."""
    if new_status not in ALLOWED.get(request.status, set()):
        raise DomainError(f"Cannot move this request from {status_label(request.status)} "
                          f"to {status_label(new_status)}.")


def transition(request: AdRequest, new_status: str) -> str:
    """Move the request to new_status; returns the old status."""
    check_move(request, new_status)
    old, request.status = request.status, str(new_status)
    return old


def new_request(**fields) -> AdRequest:
    return AdRequest(status=_R.PENDING.value, **fields)


def side_of(actor: User, request: AdRequest) -> str:
    """Admins act for the sponsor."""
    if actor.role == Role.INFLUENCER.value and actor.id == request.influencer_id:
        return INFLUENCER_SIDE
    return SPONSOR_SIDE


def offer_side(offer: Offer | None, request: AdRequest) -> str:
    role = offer.author_role if offer else request.initiated_by
    return INFLUENCER_SIDE if role == Role.INFLUENCER.value else SPONSOR_SIDE


def opener_side(request: AdRequest) -> str:
    return INFLUENCER_SIDE if request.initiated_by == Role.INFLUENCER.value else SPONSOR_SIDE


def load_request(session: Session, actor: User, request_id: int) -> AdRequest:
    """A request the actor is a party of (admins: any); foreign and missing ids look the same."""
    try:
        request = session.get(AdRequest, int(request_id))
    except (TypeError, ValueError):
        request = None
    if request is None:
        raise NotFound("ad request")
    owner = {Role.SPONSOR.value: request.sponsor_id, Role.INFLUENCER.value: request.influencer_id}.get(actor.role)
    if actor.role != Role.ADMIN.value and owner != actor.id:
        raise NotFound("ad request")
    return request


def check_not_frozen(request: AdRequest) -> None:
    if request.flagged:
        raise DomainError(FROZEN)


def check_parties_active(session: Session, request: AdRequest) -> None:
    """Terms are offered or agreed only while both parties' accounts are active (flagged, deactivated:
    refused); the request can still be rejected or withdrawn."""
    for user_id, who in ((request.sponsor_id, "sponsor"), (request.influencer_id, "influencer")):
        user = session.get(User, user_id)
        if user is None or user.status != UserStatus.ACTIVE.value:
            raise DomainError(f"The {who}'s account is not active right now, so this request cannot go ahead; "
                              "you can still reject or withdraw it.")


def latest_offer(session: Session, request_id: int) -> Offer | None:
    stmt = select(Offer).where(Offer.ad_request_id == request_id).order_by(Offer.id.desc()).limit(1)
    return session.exec(stmt).first()


def deals_closed_reason(campaign: Campaign) -> str | None:
    """Why the campaign takes no new requests or agreements (None: it does)."""
    if hold := campaign_hold(campaign):  # the admin's reason, as the pages show it
        return hold.text
    if campaign.status in (CampaignStatus.ARCHIVED.value, CampaignStatus.COMPLETED.value):
        return f"This campaign is {campaign.status} and takes no new agreements."
    return None


def paid_cents(session: Session, request_id: int) -> int:
    stmt = select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(Payment.ad_request_id == request_id,
                                                                          counts_as_paid())
    return int(session.exec(stmt).one())


def record_change(session: Session, actor: User, request: AdRequest, action: str, summary: str, *,
                  before: str | None, after: str | None, now: datetime) -> None:
    behalf = request.sponsor_id if actor.role == Role.ADMIN.value else None
    audit.record(session, actor, action, "adrequest", request.id, summary, before=before, after=after,
                 on_behalf_of_id=behalf, now=now)


def tell_other_side(session: Session, actor: User, request: AdRequest, kind: str, title: str, body: str = "", *,
                    now: datetime) -> None:
    """Notify the other party (and the sponsor too when an admin acted for it)."""
    if side_of(actor, request) == SPONSOR_SIDE:
        notify(session, request.influencer_id, kind, title, body, f"/influencer/requests/{request.id}", now=now)
    if side_of(actor, request) == INFLUENCER_SIDE or actor.role == Role.ADMIN.value:
        notify(session, request.sponsor_id, kind, title, body, f"/sponsor/requests/{request.id}", now=now)


def move(session: Session, actor: User, request: AdRequest, new_status: str, action: str, summary: str, kind: str,
         title: str, body: str = "", *, now: datetime) -> AdRequest:
    """Write a checked, locked status change: the status, updated_at, the audit entry and the other side's note."""
    before = transition(request, new_status)
    request.updated_at = now
    session.add(request)
    record_change(session, actor, request, action, summary, before=before, after=request.status, now=now)
    tell_other_side(session, actor, request, kind, title, body, now=now)
    return request
