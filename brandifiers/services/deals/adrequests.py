"""Ad requests: sending and applying, the offer ledger, the budget-guarded accept, the work steps, payments
and the read side, each mutation under row locks (campaign -> request). Raises DomainError,
ValidationFailed, NotFound, PermissionDenied. Design: docs/deals.md, docs/concurrency.md."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.db import lock_row
from brandifiers.models import (
    OPEN,
    AdRequest,
    AdRequestStatus,
    Campaign,
    CampaignStatus,
    Deliverable,
    Offer,
    Role,
    User,
    UserStatus,
    Visibility,
)
from brandifiers.services.common import parse, zones
from brandifiers.services.common.errors import DomainError, NotFound, ValidationFailed, found
from brandifiers.services.common.labels import status_label
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.rbac import require_owner, require_role
from brandifiers.services.common.validation import CollabForm, Form
from brandifiers.services.deals import submissions
from brandifiers.services.deals.adrequest_machine import (
    ALLOWED,
    FROZEN,
    INFLUENCER_SIDE,
    SPONSOR_SIDE,
    check_move,
    check_not_frozen,
    check_parties_active,
    deals_closed_reason,
    latest_offer,
    load_request,
    move,
    new_request,
    offer_side,
    opener_side,
    record_change,
    side_of,
    tell_other_side,
    transition,
)
from brandifiers.services.deals.campaigns import committed_cents, lock_campaign, sponsor_is_active
from brandifiers.services.deals.funding import release_held
from brandifiers.services.deals.holds import check_holds
from brandifiers.services.deals.payments import earnings, record_payment
from brandifiers.services.deals.requests_read import BOXES, RequestRow, RequestView, get_request, list_requests

__all__ = [  # the API the state layer uses (the machine and payments live in their own modules)
    "ALLOWED", "BOXES", "FROZEN", "STALE", "RequestRow", "RequestView", "accept_offer", "apply_to_campaign",
    "approve_deliverables", "counter_offer", "earnings", "get_request", "list_requests", "record_payment",
    "reject_request", "request_revision", "send_request", "start_work", "submit_deliverables", "transition",
    "withdraw_request",
]
_R = AdRequestStatus
PARTIES = (Role.SPONSOR, Role.INFLUENCER, Role.ADMIN)
STALE = "This offer has changed; reload to see the latest terms."


def _relock(session: Session, request: AdRequest) -> AdRequest:
    """The request re-read under a row lock (the state may have changed since it was loaded)."""
    request = found(lock_row(session, AdRequest, request.id), "ad request")
    check_not_frozen(request)
    return request


def _refuse_open_pair(session: Session, actor: User, campaign_id: int, influencer_id: int) -> None:
    stmt = select(AdRequest.id).where(AdRequest.campaign_id == campaign_id,
                                      AdRequest.influencer_id == influencer_id, AdRequest.status.in_(OPEN))
    if session.exec(stmt.limit(1)).first() is not None:
        raise DomainError("You already have an open request on this campaign; answer it under My requests."
                          if actor.id == influencer_id else
                          "There is already an open request for this influencer on this campaign.")


def _open(session: Session, actor: User, request: AdRequest, campaign: Campaign, offer: Offer, summary: str,
          now: datetime) -> AdRequest:
    """Insert a new request and its first offer (campaign locked by the caller), audit and notify."""
    _refuse_open_pair(session, actor, campaign.id, request.influencer_id)
    session.add(request)
    session.flush()
    offer.ad_request_id = request.id
    session.add(offer)
    session.flush()
    record_change(session, actor, request, "adrequest.create", summary, before=None, after=request.status, now=now)
    tell_other_side(session, actor, request, "request.new", f"New ad request for {campaign.name}",
                    f"Offer: {format_cents(offer.amount_cents)}", now=now)
    return request


def _remaining(session: Session, campaign: Campaign) -> int:
    return campaign.budget_cents - committed_cents(session, campaign.id)


def _within_budget(form: CollabForm, field: str, amount: int | None, campaign: Campaign) -> None:
    """An influencer's price above the campaign's whole (advertised) budget could never be accepted:
    refused next to the field, naming the budget (what is left of it stays the sponsor's business)."""
    if amount and amount > campaign.budget_cents:
        form.error(field, f"Your price is more than the campaign's whole budget of "
                          f"{format_cents(campaign.budget_cents)}.")


def send_request(session: Session, actor_id: int | None, campaign_id: int, influencer_id: int, data: dict, *,
                 now: datetime | None = None) -> AdRequest:
    """A sponsor (or an admin for the campaign's sponsor) asks an influencer to join a campaign."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    now = now or utcnow()
    campaign = require_owner(session.get(Campaign, campaign_id), "sponsor_id", actor, "campaign")
    if reason := deals_closed_reason(campaign):
        raise DomainError(reason)
    if not sponsor_is_active(session, campaign):  # an admin acting for a flagged or deactivated sponsor
        raise DomainError("This campaign's sponsor is not active right now, so it cannot send requests.")
    influencer = session.get(User, influencer_id)
    if influencer is None or influencer.role != Role.INFLUENCER.value:
        raise NotFound("influencer")
    if influencer.status != UserStatus.ACTIVE.value:
        raise DomainError("This influencer cannot take requests right now.", "influencer_id")
    _refuse_open_pair(session, actor, campaign.id, influencer.id)
    form = CollabForm(data)
    requirements = form.text("requirements", "Requirements", max_len=4000, required=False)
    deliverables = form.text("deliverables", "Deliverables", max_len=2000, required=False)
    payment = form.amount("payment")
    due = form.date("due_date", "Due date", required=False)
    if due and due < zones.local_today(actor, now):
        form.error("due_date", "The due date cannot be in the past.")
    elif due and due > campaign.end_date:
        form.error("due_date", f"The due date cannot be after the campaign ends ({campaign.end_date}).")
    message = form.text("message", "Message", max_len=2000, required=False)
    terms = form.text("terms", "Terms", max_len=4000, required=False)
    if payment and payment > (left := _remaining(session, campaign)):
        form.error("payment", f"Your offer is more than the {format_cents(max(left, 0))} left in the campaign budget.")
    form.check()
    campaign = lock_campaign(session, campaign.id)  # one open request per pair, even on a double submit
    request = new_request(campaign_id=campaign.id, influencer_id=influencer.id, sponsor_id=campaign.sponsor_id,
                          initiated_by="admin" if actor.role == Role.ADMIN.value else "sponsor",
                          created_by_id=actor.id, requirements=requirements, deliverables=deliverables,
                          message=message, payment_cents=payment, due_date=due, created_at=now, updated_at=now)
    offer = Offer(ad_request_id=0, author_id=actor.id, author_role=actor.role, amount_cents=payment, terms=terms,
                  message=message, created_at=now)
    return _open(session, actor, request, campaign, offer, f"request sent for {campaign.name} at "
                 f"{format_cents(payment)}", now)


def apply_to_campaign(session: Session, actor_id: int | None, campaign_id: int, data: dict, *,
                      now: datetime | None = None) -> AdRequest:
    """An influencer applies to a public, active, approved campaign with an asking price."""
    actor = require_role(session, actor_id, Role.INFLUENCER)
    now = now or utcnow()
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.flagged or not campaign.approved or campaign.visibility != Visibility.PUBLIC.value:
        raise NotFound("campaign")
    if campaign.status != CampaignStatus.ACTIVE.value or not sponsor_is_active(session, campaign):
        raise DomainError("This campaign is not taking applications right now.")
    _refuse_open_pair(session, actor, campaign.id, actor.id)
    form = CollabForm(data)
    payment = form.amount("payment")
    message = form.text("message", "Message", max_len=2000, required=False)
    terms = form.text("terms", "Terms", max_len=4000, required=False)
    _within_budget(form, "payment", payment, campaign)
    form.check()
    campaign = lock_campaign(session, campaign.id)
    request = new_request(campaign_id=campaign.id, influencer_id=actor.id, sponsor_id=campaign.sponsor_id,
                          initiated_by=Role.INFLUENCER.value, created_by_id=actor.id, message=message,
                          payment_cents=payment, created_at=now, updated_at=now)
    offer = Offer(ad_request_id=0, author_id=actor.id, author_role=actor.role, amount_cents=payment, terms=terms,
                  message=message, created_at=now)
    return _open(session, actor, request, campaign, offer, f"applied to {campaign.name} at "
                 f"{format_cents(payment)}", now)


def _check_answer(session: Session, actor: User, request: AdRequest, expected_offer_id: int | None) -> Offer | None:
    """May the actor answer the latest offer now? Returns it."""
    check_not_frozen(request)
    if request.status not in OPEN:
        raise DomainError(f"This request is already {status_label(request.status)}.")
    latest = latest_offer(session, request.id)
    if expected_offer_id is not None and (latest is None or latest.id != expected_offer_id):
        raise DomainError(STALE)
    if offer_side(latest, request) == side_of(actor, request):
        raise DomainError("Wait for the other side's answer: the latest offer is yours.")
    return latest


def counter_offer(session: Session, actor_id: int | None, request_id: int, data: dict, *,
                  expected_offer_id: int | None = None, now: datetime | None = None) -> Offer:
    """Answer the latest offer with new terms (pending -> negotiating)."""
    actor = require_role(session, actor_id, *PARTIES)
    now = now or utcnow()
    request = load_request(session, actor, request_id)
    _check_answer(session, actor, request, expected_offer_id)
    campaign = session.get(Campaign, request.campaign_id)
    if reason := deals_closed_reason(campaign):
        raise DomainError(reason)
    form = CollabForm(data)
    amount = form.amount("amount")
    terms = form.text("terms", "Terms", max_len=4000, required=False)
    message = form.text("message", "Message", max_len=2000, required=False)
    if amount and side_of(actor, request) == SPONSOR_SIDE and amount > (left := _remaining(session, campaign)):
        form.error("amount", f"Your offer is more than the {format_cents(max(left, 0))} left in the campaign budget.")
    elif side_of(actor, request) == INFLUENCER_SIDE:
        _within_budget(form, "amount", amount, campaign)
    form.check()
    request = _relock(session, request)
    previous = _check_answer(session, actor, request, expected_offer_id)
    check_parties_active(session, request)
    before = request.status
    if request.status == _R.PENDING.value:
        transition(request, _R.NEGOTIATING.value)
    offer = Offer(ad_request_id=request.id, author_id=actor.id, author_role=actor.role, amount_cents=amount,
                  terms=terms, message=message, created_at=now)
    request.payment_cents, request.updated_at = amount, now
    session.add_all([offer, request])
    session.flush()
    was = previous.amount_cents if previous else request.payment_cents
    record_change(session, actor, request, "adrequest.counter", f"counter-offer {format_cents(was)} -> "
                  f"{format_cents(amount)}", before=before, after=request.status, now=now)
    tell_other_side(session, actor, request, "request.counter", f"New counter-offer: {format_cents(amount)}",
                    message, now=now)
    return offer


def _budget_refusal(actor: User, request: AdRequest, amount: int, remaining: int) -> DomainError:
    if side_of(actor, request) == INFLUENCER_SIDE:  # the sponsor's budget is not the influencer's business
        return DomainError("The sponsor's remaining campaign budget no longer covers this offer; "
                           "ask the sponsor for new terms.")
    return DomainError(f"Not enough budget left: this offer is {format_cents(amount)} but only "
                       f"{format_cents(max(remaining, 0))} of the campaign budget remains.")


def accept_offer(session: Session, actor_id: int | None, request_id: int, *, expected_offer_id: int | None = None,
                 now: datetime | None = None) -> AdRequest:
    """Accept the latest offer. Budget guard: committed + amount <= budget, decided under the
    campaign row lock (db.lock_row) so two concurrent accepts cannot both pass."""
    actor = require_role(session, actor_id, *PARTIES)
    now = now or utcnow()
    request = load_request(session, actor, request_id)
    _check_answer(session, actor, request, expected_offer_id)  # refuse early without taking the lock
    campaign = lock_campaign(session, request.campaign_id)
    request = _relock(session, request)
    latest = _check_answer(session, actor, request, expected_offer_id)
    if reason := deals_closed_reason(campaign):
        raise DomainError(reason)
    check_parties_active(session, request)
    amount = latest.amount_cents if latest else request.payment_cents
    remaining = _remaining(session, campaign)
    if amount > remaining:
        raise _budget_refusal(actor, request, amount, remaining)
    before = transition(request, _R.ACCEPTED.value)
    request.payment_cents, request.accepted_at, request.updated_at = amount, now, now
    session.add(request)
    session.flush()
    record_change(session, actor, request, "adrequest.accept", f"accepted at {format_cents(amount)}",
                  before=before, after=request.status, now=now)
    tell_other_side(session, actor, request, "request.accepted", f"Offer accepted: {campaign.name}",
                    f"Agreed payment {format_cents(amount)}", now=now)
    return request


def reject_request(session: Session, actor_id: int | None, request_id: int, *, expected_offer_id: int | None = None,
                   message: str = "", now: datetime | None = None) -> AdRequest:
    actor = require_role(session, actor_id, *PARTIES)
    now = now or utcnow()
    request = load_request(session, actor, request_id)
    _check_answer(session, actor, request, expected_offer_id)
    message = parse.text(message, "message", "The message").strip()
    if len(message) > 2000:
        raise ValidationFailed({"message": f"Message must be at most 2000 characters (it has {len(message)})."})
    request = _relock(session, request)
    _check_answer(session, actor, request, expected_offer_id)
    return move(session, actor, request, _R.REJECTED.value, "adrequest.reject",
                f"rejected{': ' + message if message else ''}", "request.rejected", "Your offer was declined",
                message, now=now)


def withdraw_request(session: Session, actor_id: int | None, request_id: int, *,
                     now: datetime | None = None) -> AdRequest:
    """The side that opened the request takes it back (pending/negotiating only)."""
    actor = require_role(session, actor_id, *PARTIES)
    now = now or utcnow()
    request = load_request(session, actor, request_id)
    for step in range(2):  # checked, then checked again under the row lock
        if step:
            request = _relock(session, request)
        check_not_frozen(request)
        if request.status not in OPEN:  # an agreed deal is cancelled instead (funding.cancel_deal refunds)
            raise DomainError("This deal is agreed: cancel the deal instead of withdrawing the request.")
        if opener_side(request) != side_of(actor, request):
            raise DomainError("You did not open this request, so you cannot withdraw it; you can reject it instead.")
        check_move(request, _R.WITHDRAWN.value)
    return move(session, actor, request, _R.WITHDRAWN.value, "adrequest.withdraw", "withdrawn", "request.withdrawn",
                "A request was withdrawn", now=now)


def _step(session: Session, actor: User, request_id: int, source: str, target: str) -> AdRequest:
    """Load and check a work step (source -> target); call again with the request to re-check it locked."""
    request = request_id if isinstance(request_id, AdRequest) else load_request(session, actor, request_id)
    check_not_frozen(request)
    if request.status != source:  # e.g. submitted -> in_progress is a revision, not start_work
        raise DomainError(f"Cannot move this request from {status_label(request.status)} to {status_label(target)}.")
    check_move(request, target)
    if actor.role == Role.INFLUENCER.value:  # new work waits while the campaign or an account is on hold
        check_holds(session, request, "start" if source == _R.ACCEPTED.value else "submit")
    return request


def _apply_step(session: Session, actor: User, request: AdRequest, new_status: str, action: str, title: str,
                body: str, now: datetime) -> AdRequest:
    """Write a checked, locked work step: status, timestamps, audit, notification."""
    if new_status == _R.COMPLETED.value:
        request.completed_at = now
    return move(session, actor, request, new_status, action, title, action.replace("adrequest.", "request."), title,
                body, now=now)


def _locked_step(session: Session, actor: User, request_id: int, source: str, target: str) -> AdRequest:
    request = _step(session, actor, request_id, source, target)
    return _step(session, actor, _relock(session, request), source, target)


def start_work(session: Session, actor_id: int | None, request_id: int, *, now: datetime | None = None) -> AdRequest:
    actor = require_role(session, actor_id, Role.INFLUENCER)
    request = _locked_step(session, actor, request_id, _R.ACCEPTED.value, _R.IN_PROGRESS.value)
    return _apply_step(session, actor, request, _R.IN_PROGRESS.value, "adrequest.start", "Work has started", "",
                       now or utcnow())


def approve_deliverables(session: Session, actor_id: int | None, request_id: int, *,
                         now: datetime | None = None) -> AdRequest:
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    request = _locked_step(session, actor, request_id, _R.SUBMITTED.value, _R.COMPLETED.value)
    release_held(session, actor, request, now := now or utcnow())  # the gateway first: down, nothing written
    return _apply_step(session, actor, request, _R.COMPLETED.value, "adrequest.approve", "Your delivery was approved",
                       "", now)


def request_revision(session: Session, actor_id: int | None, request_id: int, note: str, *,
                     now: datetime | None = None) -> AdRequest:
    """Send a submitted delivery back (submitted -> in_progress); the note is required (field revision_note)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    request = _step(session, actor, request_id, _R.SUBMITTED.value, _R.IN_PROGRESS.value)
    form = Form({"revision_note": note})
    note = form.text("revision_note", "The revision note", max_len=2000)
    form.check()
    request = _step(session, actor, _relock(session, request), _R.SUBMITTED.value, _R.IN_PROGRESS.value)
    submissions.send_back(session, request, note, now := now or utcnow())
    return _apply_step(session, actor, request, _R.IN_PROGRESS.value, "adrequest.revise", "A revision was requested",
                       note, now)


def submit_deliverables(session: Session, actor_id: int | None, request_id: int, posts: list[dict], *,
                        now: datetime | None = None) -> list[Deliverable]:
    """The influencer submits one or more posts as one submission (in_progress -> submitted); after a
    revision it replaces the earlier one (services.deals.submissions)."""
    actor = require_role(session, actor_id, Role.INFLUENCER)
    now = now or utcnow()
    request = _step(session, actor, request_id, _R.IN_PROGRESS.value, _R.SUBMITTED.value)
    valid = submissions.valid_posts(posts)
    request = _step(session, actor, _relock(session, request), _R.IN_PROGRESS.value, _R.SUBMITTED.value)
    rows = submissions.record_submission(session, request, valid, now)
    _apply_step(session, actor, request, _R.SUBMITTED.value, "adrequest.submit", "Posts submitted for approval",
                "\n".join(url for _, url, _ in valid), now)
    return rows
