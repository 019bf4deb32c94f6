"""The ad request status machine (`transition` is the only code that changes AdRequest.status), who may
do what, and the read side; callers import it from services.deals.adrequests. Raises DomainError,
NotFound, PermissionDenied. Design: docs/deals.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, func, select

from brandifiers.models import (
    ACTIVE, COMMITTED, OPEN, AdRequest, AdRequestStatus, Campaign, CampaignStatus, Deliverable, InfluencerProfile, Offer, Payment, Role,
    SponsorProfile, User,
)
from brandifiers.services.common import audit
from brandifiers.services.common.filters import page_bounds
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.common.notify import notify
from brandifiers.services.common.rbac import require_role

_R = AdRequestStatus
ALLOWED: dict[str, set[str]] = {
    _R.PENDING.value: {_R.NEGOTIATING.value, _R.ACCEPTED.value, _R.REJECTED.value, _R.WITHDRAWN.value},
    _R.NEGOTIATING.value: {_R.ACCEPTED.value, _R.REJECTED.value, _R.WITHDRAWN.value},
    _R.ACCEPTED.value: {_R.IN_PROGRESS.value},
    _R.IN_PROGRESS.value: {_R.SUBMITTED.value},
    _R.SUBMITTED.value: {_R.COMPLETED.value, _R.IN_PROGRESS.value},  # in_progress: revision requested
    _R.REJECTED.value: set(),
    _R.WITHDRAWN.value: set(),
    _R.COMPLETED.value: set(),
}
FROZEN = "This request is frozen by an administrator."
SPONSOR_SIDE, INFLUENCER_SIDE = "sponsor", "influencer"
BOXES = ("all", "awaiting_me", "open", "active", "closed")


def check_move(request: AdRequest, new_status: str) -> None:
    """Refuse (without changing anything) unless old -> new is in ALLOWED."""
    if new_status not in ALLOWED.get(request.status, set()):
        raise DomainError(f"Cannot move this request from {request.status} to {new_status}.")


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


def latest_offer(session: Session, request_id: int) -> Offer | None:
    stmt = select(Offer).where(Offer.ad_request_id == request_id).order_by(Offer.id.desc()).limit(1)
    return session.exec(stmt).first()


def deals_closed_reason(campaign: Campaign) -> str | None:
    """Why the campaign takes no new requests or agreements (None: it does)."""
    if campaign.flagged:
        return "This campaign is on hold by an administrator."
    if campaign.status in (CampaignStatus.ARCHIVED.value, CampaignStatus.COMPLETED.value):
        return f"This campaign is {campaign.status} and takes no new agreements."
    return None


def paid_cents(session: Session, request_id: int) -> int:
    stmt = select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(Payment.ad_request_id == request_id)
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


def allowed_actions(actor: User, request: AdRequest, campaign: Campaign, latest: Offer | None,
                    outstanding: int) -> set[str]:
    """What this actor may do now (each service checks again whatever the browser sends)."""
    if request.flagged:
        return set()
    side, status, actions = side_of(actor, request), request.status, set()
    if status in OPEN:
        if offer_side(latest, request) != side:
            actions.add("reject")
            if deals_closed_reason(campaign) is None:
                actions |= {"counter", "accept"}
        if opener_side(request) == side:
            actions.add("withdraw")
    elif side == INFLUENCER_SIDE:
        actions |= {_R.ACCEPTED.value: {"start"}, _R.IN_PROGRESS.value: {"submit"}}.get(status, set())
    else:
        if status == _R.SUBMITTED.value:
            actions |= {"approve", "revise"}
        if status in COMMITTED and outstanding > 0:
            actions.add("pay")
    return actions


@dataclass
class RequestView:
    request: AdRequest
    campaign: Campaign
    influencer_name: str
    sponsor_name: str
    offers: list[Offer]  # oldest first; the last one is the current terms
    deliverables: list[Deliverable]
    payments: list[Payment]
    paid_cents: int
    outstanding_cents: int
    latest_offer: Offer | None
    actions: set[str] = field(default_factory=set)


@dataclass
class RequestRow:
    id: int
    campaign_name: str
    counterpart_name: str
    status: str
    payment_cents: int
    updated_at: datetime
    awaiting_me: bool


def _names(session: Session, request: AdRequest) -> tuple[str, str]:
    influencer = session.exec(select(InfluencerProfile.display_name)
                              .where(InfluencerProfile.user_id == request.influencer_id)).first()
    sponsor = session.exec(select(SponsorProfile.company_name)
                           .where(SponsorProfile.user_id == request.sponsor_id)).first()
    return influencer or "(unknown influencer)", sponsor or "(unknown sponsor)"


def get_request(session: Session, actor_id: int | None, request_id: int) -> RequestView:
    actor = require_role(session, actor_id, Role.SPONSOR, Role.INFLUENCER, Role.ADMIN)
    request = load_request(session, actor, request_id)
    campaign = session.get(Campaign, request.campaign_id)
    offers = list(session.exec(select(Offer).where(Offer.ad_request_id == request.id).order_by(Offer.id)))
    deliverables = list(session.exec(select(Deliverable).where(Deliverable.ad_request_id == request.id)
                                     .order_by(Deliverable.submitted_at, Deliverable.id)))
    payments = list(session.exec(select(Payment).where(Payment.ad_request_id == request.id)
                                 .order_by(Payment.paid_on, Payment.id)))
    paid = sum(p.amount_cents for p in payments)
    outstanding = max(request.payment_cents - paid, 0) if request.status in COMMITTED else 0
    latest = offers[-1] if offers else None
    influencer_name, sponsor_name = _names(session, request)
    return RequestView(request, campaign, influencer_name, sponsor_name, offers, deliverables, payments, paid,
                       outstanding, latest, allowed_actions(actor, request, campaign, latest, outstanding))


def list_requests(session: Session, actor_id: int | None, *, box: str = "all", page: int = 0,
                  page_size: int = 20, campaign_id: int | None = None) -> tuple[list[RequestRow], int]:
    """One page of the actor's requests (admins: all), most recently updated first, and the total.

    box: all | awaiting_me (open, latest offer by the other side) | open | active | closed.
    campaign_id narrows to one campaign (still only the actor's own requests)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.INFLUENCER, Role.ADMIN)
    if box not in BOXES:
        raise DomainError("Choose a list from the menu.", "box")
    offset, page_size = page_bounds(page, page_size)
    latest_role = (select(Offer.author_role).where(Offer.ad_request_id == AdRequest.id)
                   .order_by(Offer.id.desc()).limit(1).correlate(AdRequest).scalar_subquery())
    influencer = actor.role == Role.INFLUENCER.value
    other_side_spoke = (latest_role.in_([Role.SPONSOR.value, Role.ADMIN.value]) if influencer
                        else latest_role == Role.INFLUENCER.value)
    awaiting = AdRequest.status.in_(OPEN) & other_side_spoke
    where = {Role.INFLUENCER.value: [AdRequest.influencer_id == actor.id],
             Role.SPONSOR.value: [AdRequest.sponsor_id == actor.id]}.get(actor.role, [])
    where += {"awaiting_me": [awaiting], "open": [AdRequest.status.in_(OPEN)],
              "active": [AdRequest.status.in_(ACTIVE)],
              "closed": [AdRequest.status.in_([_R.REJECTED.value, _R.WITHDRAWN.value, _R.COMPLETED.value])],
              }.get(box, [])
    if campaign_id is not None:
        where.append(AdRequest.campaign_id == int(campaign_id))
    total = session.exec(select(func.count()).select_from(AdRequest).where(*where)).one()
    stmt = (select(AdRequest.id, Campaign.name, InfluencerProfile.display_name, SponsorProfile.company_name,
                   AdRequest.status, AdRequest.payment_cents, AdRequest.updated_at, awaiting)
            .join(Campaign, Campaign.id == AdRequest.campaign_id)
            .outerjoin(InfluencerProfile, InfluencerProfile.user_id == AdRequest.influencer_id)
            .outerjoin(SponsorProfile, SponsorProfile.user_id == AdRequest.sponsor_id)
            .where(*where).order_by(AdRequest.updated_at.desc(), AdRequest.id.desc())
            .offset(offset).limit(page_size))
    rows = []
    for rid, campaign_name, influencer_name, company, status, cents, updated, waiting in session.exec(stmt):
        counterpart = {Role.INFLUENCER.value: company, Role.SPONSOR.value: influencer_name}.get(
            actor.role, f"{company} / {influencer_name}")
        rows.append(RequestRow(rid, campaign_name, counterpart or "-", status, cents, updated, bool(waiting)))
    return rows, int(total)
