"""Sponsor campaigns: create/edit with validation, status changes, delete vs archive, reads,
and the budget panel. Also the two helpers the budget guard stands on (`lock_campaign`,
`committed_cents`), shared with services.deals.adrequests."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, delete, func, select

from brandifiers.clock import utcnow
from brandifiers.db import lock_row
from brandifiers.models import (
    CATEGORIES,
    COMMITTED,
    LIVE,
    AdRequest,
    Campaign,
    CampaignStatus,
    Deliverable,
    Funding,
    Offer,
    Payment,
    Role,
    User,
    UserStatus,
    Visibility,
    counts_as_paid,
)
from brandifiers.services.common import audit, parse, platform_settings, zones
from brandifiers.services.common.errors import DomainError, NotFound, ValidationFailed, found
from brandifiers.services.common.filters import page_bounds
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.notify import notify
from brandifiers.services.common.rbac import require_owner, require_role
from brandifiers.services.common.validation import CollabForm
from brandifiers.services.deals import campaign_dates

_S = CampaignStatus
# Legal campaign status changes (anything else is refused naming both statuses).
CAMPAIGN_ALLOWED: dict[str, set[str]] = {
    _S.DRAFT.value: {_S.ACTIVE.value, _S.ARCHIVED.value},
    _S.ACTIVE.value: {_S.PAUSED.value, _S.COMPLETED.value, _S.ARCHIVED.value},
    _S.PAUSED.value: {_S.ACTIVE.value, _S.COMPLETED.value, _S.ARCHIVED.value},
    _S.COMPLETED.value: {_S.ARCHIVED.value},
    _S.ARCHIVED.value: set(),
}
_EDITABLE = ("name", "description", "category", "niche", "goals", "target_views", "target_engagements",
             "target_conversions", "start_date", "end_date", "budget_cents", "visibility")


def lock_campaign(session: Session, campaign_id: int) -> Campaign:
    """The campaign row, locked: budget decisions on one campaign are serialized (see lock_row)."""
    return found(lock_row(session, Campaign, campaign_id), "campaign")


def committed_cents(session: Session, campaign_id: int) -> int:
    """Sum of the agreed payment of the campaign's requests at accepted or later, plus card funds still held
    or released on requests that left those statuses (a cancelled deal whose refund has not gone through)."""
    stmt = select(func.coalesce(func.sum(AdRequest.payment_cents), 0)).where(
        AdRequest.campaign_id == campaign_id, AdRequest.status.in_(COMMITTED))
    card = select(func.coalesce(func.sum(Funding.amount_cents), 0)).join(
        AdRequest, AdRequest.id == Funding.ad_request_id).where(
        AdRequest.campaign_id == campaign_id, AdRequest.status.not_in(COMMITTED),
        Funding.status.in_(("held", "released")))
    return int(session.exec(stmt).one()) + int(session.exec(card).one())


def _fields(form: CollabForm) -> dict:
    values = {
        "name": form.text("name", "Name", max_len=120),
        "description": form.text("description", "Description", max_len=4000, required=False),
        "category": form.choice("category", "Category", CATEGORIES),
        "niche": form.text("niche", "Niche", max_len=80, required=False) or None,
        "goals": form.text("goals", "Goals", max_len=2000, required=False),
        "target_views": form.optional_count("target_views", "Target views"),
        "target_engagements": form.optional_count("target_engagements", "Target engagements"),
        "target_conversions": form.optional_count("target_conversions", "Target conversions"),
        "start_date": form.date("start_date", "Start date"),
        "end_date": form.date("end_date", "End date"),
        "budget_cents": form.amount("budget"),
        "visibility": form.choice("visibility", "Visibility", [v.value for v in Visibility]),
    }
    if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
        form.error("end_date", "The end date cannot be before the start date.")
    return values


def _below_committed(committed: int) -> str:
    return f"The budget cannot be less than the {format_cents(committed)} already committed to accepted requests."


def _describe(c: Campaign, keys) -> str:
    return "; ".join(f"{k}={getattr(c, k)}" for k in keys)


def _load(session: Session, actor: User, campaign_id: int) -> Campaign:
    """A campaign the actor owns (admins: any). Foreign and missing ids look the same."""
    return require_owner(session.get(Campaign, campaign_id), "sponsor_id", actor, "campaign")


def _sponsor_for_admin(session: Session, form: CollabForm) -> User | None:
    """The sponsor an admin creates a campaign for: by id (sponsor_id) or e-mail (sponsor_email)."""
    raw = form.raw("sponsor_id", "Sponsor").strip()
    email = form.raw("sponsor_email", "E-mail").strip().lower()
    field = "sponsor_email" if "sponsor_email" in form.data else "sponsor_id"
    if sponsor_id := parse.record_id(raw):
        sponsor = session.get(User, sponsor_id)
    else:
        sponsor = session.exec(select(User).where(User.email == email)).first() if email else None
    if sponsor is None or sponsor.role != Role.SPONSOR.value or sponsor.status != UserStatus.ACTIVE.value:
        form.error(field, "Choose an active sponsor (by e-mail) to create this campaign for.")
        return None
    return sponsor


def _held(session: Session, actor: User, visibility: str | None) -> bool:
    """Does a (newly) public campaign wait for an admin's approval? Admins' own work never waits."""
    return (visibility == Visibility.PUBLIC.value and actor.role != Role.ADMIN.value
            and platform_settings.get_flag(session, platform_settings.HOLD_PUBLIC_CAMPAIGNS))


def create_campaign(session: Session, actor_id: int | None, data: dict, *, now: datetime | None = None) -> Campaign:
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    now = now or utcnow()
    form = CollabForm(data)
    sponsor = _sponsor_for_admin(session, form) if actor.role == Role.ADMIN.value else actor
    values = _fields(form)
    status = str(data.get("status") or _S.DRAFT.value).strip()
    if status not in (_S.DRAFT.value, _S.ACTIVE.value):
        form.error("status", "A new campaign starts as a draft or active.")
    form.check()
    campaign = Campaign(sponsor_id=sponsor.id, status=status, created_by_id=actor.id, created_at=now,
                        updated_at=now, approved=not _held(session, actor, values["visibility"]), **values)
    session.add(campaign)
    session.flush()
    behalf = sponsor.id if sponsor.id != actor.id else None
    audit.record(session, actor, "campaign.create", "campaign", campaign.id,
                 f"created campaign {campaign.name} ({format_cents(campaign.budget_cents)})",
                 after=status, on_behalf_of_id=behalf, now=now)
    if behalf:
        notify(session, sponsor.id, "campaign.created", f"An administrator created the campaign {campaign.name}",
               link=f"/sponsor/campaigns/{campaign.id}", now=now)
    return campaign


def update_campaign(session: Session, actor_id: int | None, campaign_id: int, data: dict, *,
                    now: datetime | None = None) -> Campaign:
    """Edit the fields (not the status: see set_campaign_status; a "status" key is ignored)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    now = now or utcnow()
    campaign = _load(session, actor, campaign_id)
    if campaign.status == _S.ARCHIVED.value:
        raise DomainError("Archived campaigns cannot be edited.")
    form = CollabForm(data)
    values = _fields(form)
    committed = committed_cents(session, campaign.id)
    if values["budget_cents"] is not None and values["budget_cents"] < committed:
        form.error("budget", _below_committed(committed))
    if moved := campaign_dates.check_move(session, campaign, values["start_date"], values["end_date"],
                                          data.get(campaign_dates.CONFIRM_FIELD)):
        form.error("dates", moved)  # nothing saved until the person confirms these dates
    form.check()
    # Checked again under the lock (see lock_campaign): it must hold against a concurrent accept.
    campaign = lock_campaign(session, campaign.id)
    if campaign.status == _S.ARCHIVED.value:
        raise DomainError("Archived campaigns cannot be edited.")
    committed = committed_cents(session, campaign.id)
    if values["budget_cents"] < committed:
        raise ValidationFailed({"budget": _below_committed(committed)})
    changed = [k for k in _EDITABLE if getattr(campaign, k) != values[k]]
    before = _describe(campaign, changed)
    if "visibility" in changed and _held(session, actor, values["visibility"]):
        campaign.approved = False  # made public: held like a new public campaign
    for key in changed:
        setattr(campaign, key, values[key])
    campaign.updated_at = now
    session.add(campaign)
    behalf = campaign.sponsor_id if actor.id != campaign.sponsor_id else None
    audit.record(session, actor, "campaign.update", "campaign", campaign.id,
                 f"edited campaign {campaign.name}: {', '.join(changed) or 'no changes'}",
                 before=before or None, after=_describe(campaign, changed) or None, on_behalf_of_id=behalf, now=now)
    if behalf:
        notify(session, campaign.sponsor_id, "campaign.updated", f"An administrator edited {campaign.name}",
               link=f"/sponsor/campaigns/{campaign.id}", now=now)
    return campaign


def _influencers_with_live_requests(session: Session, campaign_id: int) -> list[int]:
    stmt = select(AdRequest.influencer_id).where(AdRequest.campaign_id == campaign_id,
                                                 AdRequest.status.in_(LIVE)).distinct()
    return list(session.exec(stmt))


def set_campaign_status(session: Session, actor_id: int | None, campaign_id: int, new_status: str, *,
                        now: datetime | None = None) -> Campaign:
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    now = now or utcnow()
    campaign = lock_campaign(session, _load(session, actor, campaign_id).id)  # vs. a concurrent accept
    old = campaign.status
    new_status = parse.text(new_status, "status", "Status").strip()
    if new_status not in CAMPAIGN_ALLOWED.get(old, set()):
        raise DomainError(f"Cannot move this campaign from {old} to {new_status or 'nothing'}.")
    campaign.status, campaign.updated_at = new_status, now
    session.add(campaign)
    behalf = campaign.sponsor_id if actor.id != campaign.sponsor_id else None
    audit.record(session, actor, "campaign.status", "campaign", campaign.id,
                 f"campaign {campaign.name}: {old} -> {new_status}", before=old, after=new_status,
                 on_behalf_of_id=behalf, now=now)
    title = f"Campaign {campaign.name} is now {new_status}"
    for influencer_id in _influencers_with_live_requests(session, campaign.id):
        notify(session, influencer_id, "campaign.status", title, link=f"/influencer/campaigns/{campaign.id}", now=now)
    if behalf:
        notify(session, campaign.sponsor_id, "campaign.status", title, link=f"/sponsor/campaigns/{campaign.id}",
               now=now)
    return campaign


def delete_campaign(session: Session, actor_id: int | None, campaign_id: int, *,
                    now: datetime | None = None) -> None:
    """Delete a campaign no request of which ever reached accepted (else: archive it)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    now = now or utcnow()
    campaign = lock_campaign(session, _load(session, actor, campaign_id).id)  # no accept slips in meanwhile
    reached = select(AdRequest.id).where(AdRequest.campaign_id == campaign.id, sa.or_(
        AdRequest.status.in_(COMMITTED), AdRequest.accepted_at.is_not(None))).limit(1)
    if session.exec(reached).first() is not None:
        raise DomainError("This campaign has accepted requests and cannot be deleted; archive it instead.")
    influencers = _influencers_with_live_requests(session, campaign.id)
    request_ids = select(AdRequest.id).where(AdRequest.campaign_id == campaign.id)
    quiet = {"synchronize_session": False}
    for model in (Offer, Deliverable, Payment):
        session.exec(delete(model).where(model.ad_request_id.in_(request_ids)).execution_options(**quiet))
    session.exec(delete(AdRequest).where(AdRequest.campaign_id == campaign.id).execution_options(**quiet))
    name, sponsor_id, status = campaign.name, campaign.sponsor_id, campaign.status
    session.delete(campaign)
    session.flush()
    behalf = sponsor_id if actor.id != sponsor_id else None
    audit.record(session, actor, "campaign.delete", "campaign", campaign_id, f"deleted campaign {name}",
                 before=status, after="deleted", on_behalf_of_id=behalf, now=now)
    for influencer_id in influencers:
        notify(session, influencer_id, "campaign.deleted", f"The campaign {name} was withdrawn",
               "The sponsor deleted this campaign; its open requests are closed.", now=now)


def sponsor_is_active(session: Session, campaign: Campaign) -> bool:
    """A flagged, deactivated or pending sponsor's campaigns are not listed and take no applications."""
    sponsor = session.get(User, campaign.sponsor_id)
    return sponsor is not None and sponsor.status == UserStatus.ACTIVE.value


def is_listed(session: Session, campaign: Campaign) -> bool:
    """Open to every influencer: public, active, approved, not flagged, its sponsor active (as discovery lists)."""
    return (campaign.visibility == Visibility.PUBLIC.value and campaign.status == _S.ACTIVE.value
            and campaign.approved and not campaign.flagged and sponsor_is_active(session, campaign))


def get_campaign(session: Session, actor_id: int | None, campaign_id: int) -> Campaign:
    """Owner or admin; an influencer sees a listed campaign (is_listed), or one it has a request on,
    flagged or not (its history stays readable). What each role is shown of it: services.deals.campaign_view."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN, Role.INFLUENCER)
    campaign = session.get(Campaign, campaign_id)
    if actor.role != Role.INFLUENCER.value:
        return require_owner(campaign, "sponsor_id", actor, "campaign")
    if campaign is None:
        raise NotFound("campaign")
    if not is_listed(session, campaign):
        addressed = select(AdRequest.id).where(AdRequest.campaign_id == campaign.id,
                                               AdRequest.influencer_id == actor.id).limit(1)
        if session.exec(addressed).first() is None:
            raise NotFound("campaign")
    return campaign


def list_campaigns(session: Session, actor_id: int | None, *, status: str | None = None, page: int = 0,
                   page_size: int = 20) -> tuple[list[Campaign], int]:
    """The sponsor's own campaigns, newest first (admins: everyone's), and the total."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    offset, page_size = page_bounds(page, page_size)
    where = [] if actor.role == Role.ADMIN.value else [Campaign.sponsor_id == actor.id]
    if status:
        if status not in CAMPAIGN_ALLOWED:
            raise DomainError("Choose a status from the list.", "status")
        where.append(Campaign.status == status)
    total = session.exec(select(func.count()).select_from(Campaign).where(*where)).one()
    stmt = (select(Campaign).where(*where).order_by(Campaign.created_at.desc(), Campaign.id.desc())
            .offset(offset).limit(page_size))
    return list(session.exec(stmt)), int(total)


REQUESTABLE = (_S.DRAFT.value, _S.ACTIVE.value, _S.PAUSED.value)


def request_campaigns(session: Session, actor_id: int | None, wanted: int | None = None, *,
                      now: datetime | None = None) -> tuple[list[Campaign], int | None]:
    """The sponsor's campaigns a request can be sent for (draft, active, paused, not on hold; newest first,
    up to 50, plus `wanted`; admins: everyone's) and the one to preset: `wanted` when it is among them,
    else the most recent active campaign running today, a public one first, else None (the sponsor chooses)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    today = zones.local_today(actor, now)
    where = [Campaign.status.in_(REQUESTABLE), Campaign.flagged.is_(False)]
    if actor.role != Role.ADMIN.value:
        where.append(Campaign.sponsor_id == actor.id)
    rows = list(session.exec(select(Campaign).where(*where)
                             .order_by(Campaign.created_at.desc(), Campaign.id.desc()).limit(50)))
    if wanted and all(c.id != wanted for c in rows):
        rows += list(session.exec(select(Campaign).where(Campaign.id == wanted, *where)))
    if wanted and any(c.id == wanted for c in rows):
        return rows, wanted
    running = [c for c in rows if c.status == _S.ACTIVE.value and c.start_date <= today <= c.end_date]
    running.sort(key=lambda c: c.visibility != Visibility.PUBLIC.value)  # stable: newest public, newest other
    return rows, running[0].id if running else None


def budget_panel(session: Session, campaign_id: int) -> dict:
    """Budget, committed (accepted or later), paid and remaining (budget - committed), in cents.

    No role check: callers show it only to whom services.deals.campaign_view allows (owner, admin)."""
    committed = (select(func.coalesce(func.sum(AdRequest.payment_cents), 0))
                 .where(AdRequest.campaign_id == campaign_id, AdRequest.status.in_(COMMITTED)).scalar_subquery())
    paid = (select(func.coalesce(func.sum(Payment.amount_cents), 0))
            .join(AdRequest, AdRequest.id == Payment.ad_request_id)
            .where(AdRequest.campaign_id == campaign_id, counts_as_paid()).scalar_subquery())
    row = session.exec(select(Campaign.budget_cents, committed, paid).where(Campaign.id == campaign_id)).first()
    if row is None:
        raise NotFound("campaign")
    budget, committed_total, paid_total = (int(v) for v in row)
    return {"budget_cents": budget, "committed_cents": committed_total, "paid_cents": paid_total,
            "remaining_cents": budget - committed_total}
