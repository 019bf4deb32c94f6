"""Admin moderation: flag and unflag users, campaigns and ad requests (always with a reason), and the
queue of public campaigns held for approval; a flag is enforced where the thing is used. Admins only
(PermissionDenied); DomainError, NotFound. Design: docs/deals.md, "Moderation"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.db import lock_row
from brandifiers.models import LIVE, AdRequest, Campaign, Role, SponsorProfile, User, UserStatus, Visibility
from brandifiers.services.common import audit
from brandifiers.services.common.errors import DomainError, NotFound, found
from brandifiers.services.common.filters import page_bounds
from brandifiers.services.common.notify import notify
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.validation import REASON_MAX, clean_reason
from brandifiers.services.deals.holds import account_hold, campaign_hold, display_name

PAGE_SIZE = 20


def _reason(reason: str | None, what: str = "flag") -> str:
    return clean_reason(reason, "the owner will see it", what=what)


# ---- users --------------------------------------------------------------------------------------

def _user(session: Session, user_id: int) -> User:
    user = session.get(User, int(user_id or 0))
    if user is None:
        raise NotFound("user")
    return user


def flag_user(session: Session, actor_id: int | None, user_id: int, reason: str, *,
              now: datetime | None = None) -> User:
    admin = require_role(session, actor_id, Role.ADMIN)
    reason = _reason(reason)
    user = _user(session, user_id)
    if user.role == Role.ADMIN.value:
        raise DomainError("Administrators cannot be flagged.")
    if user.status == UserStatus.FLAGGED.value:
        raise DomainError("This user is already flagged.")
    if user.status != UserStatus.ACTIVE.value:
        raise DomainError(f"Only active users can be flagged (this one is {user.status}).")
    user.status, user.status_reason = UserStatus.FLAGGED.value, reason
    session.add(user)
    audit.record(session, admin, "user.flag", "user", user.id, f"flagged {user.email}",
                 before=UserStatus.ACTIVE.value, after=f"{UserStatus.FLAGGED.value}: {reason}", now=now)
    notify(session, user.id, "account.flagged", "Your account was flagged by an administrator", reason, now=now)
    _tell_counterparts(session, user, "account.flagged", "was put on hold by an administrator", now)
    return user


def unflag_user(session: Session, actor_id: int | None, user_id: int, reason: str, *,
                now: datetime | None = None) -> User:
    admin = require_role(session, actor_id, Role.ADMIN)
    reason = _reason(reason, "unflag")
    user = _user(session, user_id)
    if user.status != UserStatus.FLAGGED.value:
        raise DomainError("This user is not flagged.")
    old = user.status_reason or ""
    user.status, user.status_reason = UserStatus.ACTIVE.value, None
    session.add(user)
    audit.record(session, admin, "user.unflag", "user", user.id, f"unflagged {user.email}: {reason}",
                 before=f"{UserStatus.FLAGGED.value}: {old}", after=UserStatus.ACTIVE.value, now=now)
    notify(session, user.id, "account.unflagged", "The flag on your account was lifted", reason, now=now)
    _tell_counterparts(session, user, "account.unflagged", "is active again", now)
    return user


def _tell_counterparts(session: Session, user: User, kind: str, what: str, now: datetime | None) -> None:
    """A flag on (or lifted from) an account: the other party of each of its open or running requests
    is told once, with what it means for them (services.deals.holds)."""
    mine, theirs, box = ((AdRequest.sponsor_id, AdRequest.influencer_id, "/influencer/requests")
                         if user.role == Role.SPONSOR.value else
                         (AdRequest.influencer_id, AdRequest.sponsor_id, "/sponsor/requests"))
    others = session.exec(select(theirs).where(mine == user.id, AdRequest.status.in_(LIVE)).distinct()).all()
    if not others:
        return
    name = display_name(session, user)
    hold = account_hold(session, user)
    body = hold.text if hold else "New offers, counters and submissions can go on."
    for other in sorted(others):
        notify(session, other, kind, f"{name}'s account {what}", body, box, now=now)


def _lift(session: Session, actor_id: int | None, model, row_id: int, reason: str, what: str,
          now: datetime | None):
    """Clear the flag of a campaign or request: (admin, row, reason, the old flag reason)."""
    admin = require_role(session, actor_id, Role.ADMIN)
    reason = _reason(reason, "unflag")
    row = found(lock_row(session, model, int(row_id or 0)), what)
    if not row.flagged:
        raise DomainError(f"This {what} is not flagged.")
    old = row.flag_reason or ""
    row.flagged, row.flag_reason, row.updated_at = False, None, now or utcnow()
    session.add(row)
    return admin, row, reason, old


# ---- campaigns ----------------------------------------------------------------------------------

def flag_campaign(session: Session, actor_id: int | None, campaign_id: int, reason: str, *,
                  now: datetime | None = None, action: str = "campaign.flag") -> Campaign:
    admin = require_role(session, actor_id, Role.ADMIN)
    rejecting = action == "campaign.reject"
    reason = _reason(reason, "rejection" if rejecting else "flag")
    campaign = found(lock_row(session, Campaign, int(campaign_id or 0)), "campaign")
    if rejecting and (campaign.approved or campaign.flagged):
        raise DomainError("This campaign is no longer waiting for approval (already handled).")
    if campaign.flagged:
        raise DomainError("This campaign is already flagged.")
    stored = f"Not approved: {reason}"[:REASON_MAX] if rejecting else reason
    campaign.flagged, campaign.flag_reason, campaign.updated_at = True, stored, now or utcnow()
    session.add(campaign)
    audit.record(session, admin, action, "campaign", campaign.id, f"{action.split('.')[1]} {campaign.name}",
                 before="held for approval" if rejecting else "visible", after=f"flagged: {stored}", now=now)
    title = (f"Your campaign {campaign.name} was not approved" if rejecting
             else f"Your campaign {campaign.name} was flagged")
    notify(session, campaign.sponsor_id, action, title, reason, f"/sponsor/campaigns/{campaign.id}", now=now)
    _tell_influencers(session, campaign, action, f"{campaign.name} was paused by an administrator",
                      campaign_hold(campaign).text, now)
    return campaign


def _tell_influencers(session: Session, campaign: Campaign, kind: str, title: str, body: str,
                      now: datetime | None) -> None:
    """Every influencer with a request on the campaign (whatever its status: its history is theirs)."""
    influencers = session.exec(select(AdRequest.influencer_id).where(AdRequest.campaign_id == campaign.id)
                               .distinct()).all()
    for influencer_id in sorted(influencers):
        notify(session, influencer_id, kind, title, body, f"/influencer/campaigns/{campaign.id}", now=now)


def unflag_campaign(session: Session, actor_id: int | None, campaign_id: int, reason: str, *,
                    now: datetime | None = None) -> Campaign:
    admin, campaign, reason, old = _lift(session, actor_id, Campaign, campaign_id, reason, "campaign", now)
    audit.record(session, admin, "campaign.unflag", "campaign", campaign.id, f"unflagged {campaign.name}: {reason}",
                 before=f"flagged: {old}", after="visible", now=now)
    notify(session, campaign.sponsor_id, "campaign.unflag", f"The flag on {campaign.name} was lifted", reason,
           f"/sponsor/campaigns/{campaign.id}", now=now)
    _tell_influencers(session, campaign, "campaign.unflag", f"The flag on {campaign.name} was lifted",
                      f"{reason.rstrip('.')}. New offers, counters and submissions can go on.", now)
    return campaign


# ---- ad requests --------------------------------------------------------------------------------

def _tell_parties(session: Session, request: AdRequest, kind: str, title: str, body: str,
                  now: datetime | None) -> None:
    notify(session, request.sponsor_id, kind, title, body, f"/sponsor/requests/{request.id}", now=now)
    notify(session, request.influencer_id, kind, title, body, f"/influencer/requests/{request.id}", now=now)


def flag_request(session: Session, actor_id: int | None, request_id: int, reason: str, *,
                 now: datetime | None = None) -> AdRequest:
    admin = require_role(session, actor_id, Role.ADMIN)
    reason = _reason(reason)
    request = found(lock_row(session, AdRequest, int(request_id or 0)), "ad request")
    if request.flagged:
        raise DomainError("This request is already flagged.")
    request.flagged, request.flag_reason, request.updated_at = True, reason, now or utcnow()
    session.add(request)
    audit.record(session, admin, "adrequest.flag", "adrequest", request.id, f"froze request #{request.id}",
                 before=request.status, after=f"{request.status}, flagged: {reason}", now=now)
    _tell_parties(session, request, "adrequest.flag", f"Ad request #{request.id} was frozen by an administrator",
                  reason, now)
    return request


def unflag_request(session: Session, actor_id: int | None, request_id: int, reason: str, *,
                   now: datetime | None = None) -> AdRequest:
    admin, request, reason, old = _lift(session, actor_id, AdRequest, request_id, reason, "ad request", now)
    audit.record(session, admin, "adrequest.unflag", "adrequest", request.id,
                 f"unfroze request #{request.id}: {reason}", before=f"flagged: {old}", after=request.status, now=now)
    _tell_parties(session, request, "adrequest.unflag", f"Ad request #{request.id} is no longer frozen", reason, now)
    return request


# ---- the campaign approval queue ----------------------------------------------------------------

@dataclass
class HeldCampaign:
    id: int
    name: str
    company: str
    category: str
    budget_cents: int
    created_at: datetime


def held_campaigns(session: Session, actor_id: int | None, *, page: int = 0,
                   page_size: int = PAGE_SIZE) -> tuple[list[HeldCampaign], int]:
    """Public campaigns waiting for approval (not flagged), oldest first, and their number."""
    require_role(session, actor_id, Role.ADMIN)
    offset, limit = page_bounds(page, page_size)
    where = (Campaign.approved.is_(False), Campaign.flagged.is_(False),
             Campaign.visibility == Visibility.PUBLIC.value)
    total = session.exec(select(func.count()).select_from(Campaign).where(*where)).one()
    stmt = (select(Campaign, SponsorProfile.company_name)
            .join(SponsorProfile, SponsorProfile.user_id == Campaign.sponsor_id)
            .where(*where).order_by(Campaign.created_at, Campaign.id)
            .offset(offset).limit(limit))
    rows = [HeldCampaign(c.id, c.name, company, c.category, c.budget_cents, c.created_at)
            for c, company in session.exec(stmt)]
    return rows, int(total)


def _held(session: Session, campaign_id: int) -> Campaign:
    campaign = found(lock_row(session, Campaign, int(campaign_id or 0)), "campaign")
    if campaign.approved or campaign.flagged:
        raise DomainError("This campaign is no longer waiting for approval (already handled).")
    return campaign


def approve_campaign(session: Session, actor_id: int | None, campaign_id: int, *,
                     now: datetime | None = None) -> Campaign:
    admin = require_role(session, actor_id, Role.ADMIN)
    campaign = _held(session, campaign_id)
    campaign.approved, campaign.updated_at = True, now or utcnow()
    session.add(campaign)
    audit.record(session, admin, "campaign.approve", "campaign", campaign.id, f"approved campaign {campaign.name}",
                 before="held for approval", after="approved", now=now)
    notify(session, campaign.sponsor_id, "campaign.approve", f"Your campaign {campaign.name} was approved",
           "Influencers can now find it.", f"/sponsor/campaigns/{campaign.id}", now=now)
    return campaign


def reject_campaign(session: Session, actor_id: int | None, campaign_id: int, reason: str, *,
                    now: datetime | None = None) -> Campaign:
    """Not approved: the campaign is flagged with the reason (the sponsor sees it); unflagging
    it later puts it back in the queue, as it was."""
    return flag_campaign(session, actor_id, campaign_id, reason, now=now, action="campaign.reject")
