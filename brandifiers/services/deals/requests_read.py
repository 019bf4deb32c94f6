"""The read side of ad requests: one request as its party sees it (with the actions allowed now) and
the paged lists of the request boxes; re-exported by services.deals.adrequests. Raises DomainError,
NotFound, PermissionDenied."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, func, select

from brandifiers.models import (
    ACTIVE,
    COMMITTED,
    OPEN,
    AdRequest,
    AdRequestStatus,
    Campaign,
    Deliverable,
    InfluencerProfile,
    Offer,
    Payment,
    PaymentState,
    Role,
    SponsorProfile,
    User,
)
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.filters import page_bounds
from brandifiers.services.common.rbac import require_role
from brandifiers.services.deals import submissions
from brandifiers.services.deals.adrequest_machine import (
    INFLUENCER_SIDE,
    deals_closed_reason,
    load_request,
    offer_side,
    opener_side,
    side_of,
)
from brandifiers.services.deals.funding import owed_cents
from brandifiers.services.deals.holds import Hold, holds, party_names
from brandifiers.services.deals.submissions import SubmissionView

_R = AdRequestStatus
BOXES = ("all", "awaiting_me", "open", "active", "closed")


def allowed_actions(actor: User, request: AdRequest, campaign: Campaign, latest: Offer | None,
                    outstanding: int, found_holds: Sequence[Hold] = ()) -> tuple[set[str], dict[str, str]]:
    """What this actor may do now, and what it could do but for a hold: {action: the hold's text}
    (each service checks again whatever the browser sends)."""
    side, status, actions = side_of(actor, request), request.status, set()
    if status in OPEN:
        if offer_side(latest, request) != side:
            actions.add("reject")
            if deals_closed_reason(campaign) is None or campaign.flagged:  # a flag is a hold, explained below
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
        if status in (_R.ACCEPTED.value, _R.IN_PROGRESS.value):
            actions.add("cancel")  # the deal, refunding what is held by card (services.deals.funding)
    held = {}
    for action in sorted(actions):
        if hold := next((h for h in found_holds if h.holds_back(action)), None):
            held[action] = hold.text
    return actions - held.keys(), held


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
    holds: list[Hold] = field(default_factory=list)  # why things wait (services.deals.holds)
    held: dict[str, str] = field(default_factory=dict)  # action -> why it waits
    submissions: list[SubmissionView] = field(default_factory=list)  # newest first
    revision_note: str = ""  # the revision asked for the latest submission, while it is being redone
    answerable: set[int] = field(default_factory=set)  # payment entries the actor may confirm or dispute


@dataclass
class RequestRow:
    id: int
    campaign_name: str
    counterpart_name: str
    status: str
    payment_cents: int
    updated_at: datetime
    awaiting_me: bool


def get_request(session: Session, actor_id: int | None, request_id: int) -> RequestView:
    actor = require_role(session, actor_id, Role.SPONSOR, Role.INFLUENCER, Role.ADMIN)
    request = load_request(session, actor, request_id)
    campaign = session.get(Campaign, request.campaign_id)
    offers = list(session.exec(select(Offer).where(Offer.ad_request_id == request.id).order_by(Offer.id)))
    deliverables = list(session.exec(select(Deliverable).where(Deliverable.ad_request_id == request.id)
                                     .order_by(Deliverable.submitted_at, Deliverable.id)))
    payments = list(session.exec(select(Payment).where(Payment.ad_request_id == request.id)
                                 .order_by(Payment.paid_on, Payment.id)))
    paid = sum(p.amount_cents for p in payments if p.state != PaymentState.VOIDED.value)  # = counts_as_paid
    outstanding = owed_cents(session, request) if request.status in COMMITTED else 0  # card funds count too
    latest = offers[-1] if offers else None
    influencer_name, sponsor_name = party_names(session, request)
    found_holds = holds(session, request, campaign)
    actions, held = allowed_actions(actor, request, campaign, latest, outstanding, found_holds)
    subs = submissions.history(session, request.id)
    mine = actor.role == Role.INFLUENCER.value and actor.id == request.influencer_id
    answerable = {p.id for p in payments if p.state == PaymentState.RECORDED.value} if mine else set()
    return RequestView(request, campaign, influencer_name, sponsor_name, offers, deliverables, payments, paid,
                       outstanding, latest, actions, found_holds, held, subs,
                       submissions.current_revision_note(request, subs), answerable)


def list_requests(session: Session, actor_id: int | None, *, box: str = "all", page: int = 0,
                  page_size: int = 20, campaign_id: int | None = None,
                  with_total: bool = True) -> tuple[list[RequestRow], int]:
    """One page of the actor's requests (admins: all), most recently updated first, and the total
    (-1 when with_total is False: a dashboard's short list does not count).

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
    total = session.exec(select(func.count()).select_from(AdRequest).where(*where)).one() if with_total else -1
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
