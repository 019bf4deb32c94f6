"""One influencer's public profile page for sponsors, admins and the influencer (split from search.py):
profile, self-reported platform figures, latest collaborations, completion record; raises NotFound
or PermissionDenied. Design: docs/discovery.md."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from brandifiers.models import (
    COMMITTED_STATUSES,
    AdRequest,
    Campaign,
    InfluencerProfile,
    Role,
    SocialAccount,
    SponsorProfile,
    User,
    UserStatus,
    Visibility,
)
from brandifiers.services.common.errors import NotFound, PermissionDenied
from brandifiers.services.common.rbac import require_role
from brandifiers.services.discovery import fit as fitmod

COLLABORATIONS = 20
_COMMITTED = tuple(s.value for s in COMMITTED_STATUSES)


def influencer_profile(session: Session, actor_id: int | None, influencer_id: int) -> dict:
    """The public profile of an influencer (by user id) for sponsors, admins and the influencer.

    Non-active influencers are NotFound except for admins. Follower figures are self-reported.
    Collaborations are the latest 20 requests that reached accepted or later; a private campaign
    of another sponsor is shown as "Private campaign", and what another sponsor agreed to pay is
    not shown to a sponsor (amount_cents None): that is the other sponsor's money.
    """
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN, Role.INFLUENCER)
    is_admin = actor.role == Role.ADMIN.value
    if actor.role == Role.INFLUENCER.value and actor.id != influencer_id:
        raise PermissionDenied()
    row = session.exec(select(InfluencerProfile, User.status).join(User, User.id == InfluencerProfile.user_id)
                       .where(InfluencerProfile.user_id == influencer_id)).first()
    if row is None or (row[1] != UserStatus.ACTIVE.value and not is_admin):
        raise NotFound("influencer")
    p, status = row
    accounts = session.exec(select(SocialAccount).where(SocialAccount.influencer_id == p.id)
                            .order_by(SocialAccount.followers.desc())).all()
    history = session.exec(
        select(AdRequest.id, AdRequest.status, AdRequest.payment_cents, AdRequest.accepted_at, AdRequest.created_at,
               Campaign.id.label("campaign_id"), Campaign.name, Campaign.visibility, Campaign.sponsor_id,
               SponsorProfile.company_name)
        .join(Campaign, Campaign.id == AdRequest.campaign_id)
        .join(SponsorProfile, SponsorProfile.user_id == AdRequest.sponsor_id, isouter=True)
        .where(AdRequest.influencer_id == influencer_id, AdRequest.status.in_(_COMMITTED))
        .order_by(sa.func.coalesce(AdRequest.accepted_at, AdRequest.created_at).desc(), AdRequest.id.desc())
        .limit(COLLABORATIONS)).all()
    accepted, completed = fitmod.completion_records(session, [influencer_id]).get(influencer_id, (0, 0))
    def party(h) -> bool:  # admins, the influencer itself and the deal's sponsor see the whole row
        return is_admin or actor.id in (influencer_id, h.sponsor_id)

    def shown(h) -> bool:  # another sponsor's private campaign stays anonymous
        return party(h) or h.visibility == Visibility.PUBLIC.value

    return {
        "user_id": influencer_id, "display_name": p.display_name, "bio": p.bio or "", "category": p.category,
        "niche": p.niche or "", "location": p.location or "", "asking_price_cents": p.asking_price_cents,
        "total_followers": int(p.total_followers), "engagement_rate": float(p.avg_engagement_rate),
        "status": status, "self_reported_note": "Followers and engagement rates are self-reported by the creator.",
        "platforms": [{"platform": a.platform, "handle": a.handle, "followers": int(a.followers),
                       "engagement_rate": float(a.avg_engagement_rate), "self_reported": True} for a in accounts],
        "collaborations": [{
            "request_id": h.id, "campaign_id": h.campaign_id if shown(h) else None,
            "campaign_name": h.name if shown(h) else "Private campaign",
            "sponsor_name": h.company_name or "", "status": h.status,
            "amount_cents": int(h.payment_cents) if party(h) else None,
            "date": h.accepted_at or h.created_at} for h in history],
        "completion": {"accepted": accepted, "completed": completed,
                       "rate": fitmod.completion_rate((accepted, completed))},
    }
