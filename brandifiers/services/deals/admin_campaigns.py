"""The admin's view of every campaign, and acting for a sponsor (campaigns created or edited for it,
influencers assigned, audited with both names); admins only (PermissionDenied), DomainError, NotFound.
Design: docs/deals.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, func, select

from brandifiers.models import AdRequest, Campaign, CampaignStatus, InfluencerProfile, Role, SponsorProfile, User
from brandifiers.services.common import parse
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.common.filters import like_pattern, page_bounds
from brandifiers.services.common.rbac import require_role
from brandifiers.services.deals import adrequests, campaigns
from brandifiers.services.deals.campaigns import budget_panel

PAGE_SIZE = 25
REVIEW = ("flagged", "held")  # the list's review filter values


@dataclass
class CampaignLine:
    id: int
    name: str
    company: str
    sponsor_email: str
    category: str
    status: str
    visibility: str
    budget_cents: int
    flagged: bool
    flag_reason: str
    approved: bool
    created_at: datetime


@dataclass
class RequestLine:
    id: int
    influencer: str
    influencer_email: str
    status: str
    payment_cents: int
    initiated_by: str
    flagged: bool
    flag_reason: str


def list_all(session: Session, actor_id: int | None, *, text: str = "", status: str = "", review: str = "",
             page: int = 0, page_size: int = PAGE_SIZE) -> tuple[list[CampaignLine], int]:
    """Every sponsor's campaigns, newest first: text matches the campaign name or the company."""
    require_role(session, actor_id, Role.ADMIN)
    text = parse.text(text, "text", "Search text").strip()
    if status and status not in {s.value for s in CampaignStatus}:
        raise DomainError("Choose a status from the list.", "status")
    if review and review not in REVIEW:
        raise DomainError("Choose a filter from the list.", "review")
    offset, limit = page_bounds(page, page_size)
    where = []
    if text:
        pattern = like_pattern(text.lower())
        where.append(sa.or_(func.lower(Campaign.name).like(pattern, escape="\\"),
                            func.lower(SponsorProfile.company_name).like(pattern, escape="\\")))
    if status:
        where.append(Campaign.status == status)
    if review == "flagged":
        where.append(Campaign.flagged.is_(True))
    elif review == "held":
        where += [Campaign.approved.is_(False), Campaign.flagged.is_(False)]
    base = (select(Campaign, SponsorProfile.company_name, User.email)
            .join(SponsorProfile, SponsorProfile.user_id == Campaign.sponsor_id)
            .join(User, User.id == Campaign.sponsor_id).where(*where))
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    stmt = base.order_by(Campaign.created_at.desc(), Campaign.id.desc()).offset(offset).limit(limit)
    rows = [CampaignLine(c.id, c.name, company, email, c.category, c.status, c.visibility, c.budget_cents,
                         c.flagged, c.flag_reason or "", c.approved, c.created_at)
            for c, company, email in session.exec(stmt)]
    return rows, int(total)


def campaign_overview(session: Session, actor_id: int | None, campaign_id: int) -> dict:
    """One campaign for the admin: the campaign, its sponsor, budget panel and every request."""
    require_role(session, actor_id, Role.ADMIN)
    campaign = session.get(Campaign, int(campaign_id or 0))
    if campaign is None:
        raise NotFound("campaign")
    company, email = session.exec(select(SponsorProfile.company_name, User.email)
                                  .join(User, User.id == SponsorProfile.user_id)
                                  .where(SponsorProfile.user_id == campaign.sponsor_id)).one()
    stmt = (select(AdRequest, InfluencerProfile.display_name, User.email)
            .join(User, User.id == AdRequest.influencer_id)
            .outerjoin(InfluencerProfile, InfluencerProfile.user_id == AdRequest.influencer_id)
            .where(AdRequest.campaign_id == campaign.id).order_by(AdRequest.id.desc()).limit(100))
    requests = [RequestLine(r.id, name or "-", mail, r.status, r.payment_cents, r.initiated_by, r.flagged,
                            r.flag_reason or "") for r, name, mail in session.exec(stmt)]
    return {"campaign": campaign, "company": company, "sponsor_email": email,
            "panel": budget_panel(session, campaign.id), "requests": requests}


def assign_influencer(session: Session, actor_id: int | None, campaign_id: int, data: dict, *,
                      now: datetime | None = None) -> AdRequest:
    """Send the influencer named by e-mail an ad request on the sponsor's behalf."""
    require_role(session, actor_id, Role.ADMIN)
    email = parse.text(data.get("influencer_email"), "influencer_email", "E-mail").strip().lower()
    if not email:
        raise DomainError("Enter the influencer's e-mail address.", "influencer_email")
    influencer = session.exec(select(User).where(User.email == email)).first()
    if influencer is None or influencer.role != Role.INFLUENCER.value:
        raise DomainError("No influencer has this e-mail address.", "influencer_email")
    try:
        return adrequests.send_request(session, actor_id, campaign_id, influencer.id, data, now=now)
    except DomainError as exc:
        if exc.field == "influencer_id":
            exc.field = "influencer_email"
        raise


def set_status(session: Session, actor_id: int | None, campaign_id: int, new_status: str, *,
               now: datetime | None = None) -> Campaign:
    """The admin console's status change: admins only (services.deals.campaigns also lets the owner)."""
    require_role(session, actor_id, Role.ADMIN)
    return campaigns.set_campaign_status(session, actor_id, campaign_id, new_status, now=now)
