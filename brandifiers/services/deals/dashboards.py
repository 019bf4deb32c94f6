"""Small per-role overviews for the dashboard shells (aggregate queries, a page at most).
Each takes the acting user's id and raises PermissionDenied for any other role."""

from __future__ import annotations

from sqlmodel import Session, func, select

from brandifiers.models import (
    COMMITTED_STATUSES,
    AdRequest,
    AdRequestStatus,
    Campaign,
    CampaignStatus,
    InfluencerProfile,
    Payment,
    Role,
    SocialAccount,
    SponsorProfile,
)
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.rbac import require_role
from brandifiers.services.deals import campaigns

_COMMITTED = [s.value for s in COMMITTED_STATUSES]
_OPEN = [AdRequestStatus.PENDING.value, AdRequestStatus.NEGOTIATING.value]


def _sum(session: Session, stmt) -> int:
    return int(session.exec(stmt).one() or 0)


def sponsor_overview(session: Session, actor_id: int | None) -> dict:
    user = require_role(session, actor_id, Role.SPONSOR)
    profile = session.exec(select(SponsorProfile).where(SponsorProfile.user_id == user.id)).one()
    by_status = dict(session.exec(select(Campaign.status, func.count()).where(
        Campaign.sponsor_id == user.id).group_by(Campaign.status)).all())
    req = AdRequest.sponsor_id == user.id
    return {
        "company_name": profile.company_name,
        "campaigns_total": sum(by_status.values()),
        "campaigns_active": by_status.get(CampaignStatus.ACTIVE.value, 0),
        "requests_open": _sum(session, select(func.count()).where(req, AdRequest.status.in_(_OPEN))),
        "requests_running": _sum(session, select(func.count()).where(req, AdRequest.status.in_(_COMMITTED))),
        "budget_cents": _sum(session, select(func.coalesce(func.sum(Campaign.budget_cents), 0)).where(
            Campaign.sponsor_id == user.id, Campaign.status != CampaignStatus.ARCHIVED.value)),
        "committed_cents": _sum(session, select(func.coalesce(func.sum(AdRequest.payment_cents), 0)).where(
            req, AdRequest.status.in_(_COMMITTED))),
        "paid_cents": _sum(session, select(func.coalesce(func.sum(Payment.amount_cents), 0)).join(
            AdRequest, AdRequest.id == Payment.ad_request_id).where(req)),
    }


def active_campaign_budgets(session: Session, actor_id: int | None, limit: int = 5) -> list[dict]:
    """The sponsor's newest active campaigns with what is committed of each budget:
    [{"campaign_id", "name", "spend": "$x of $y", "pct": 0..100}] (pct 0 for a budget of 0)."""
    require_role(session, actor_id, Role.SPONSOR)
    active, _total = campaigns.list_campaigns(session, actor_id, status="active", page=0, page_size=limit)
    rows = []
    for c in active:
        panel = campaigns.budget_panel(session, c.id)
        committed, budget = panel["committed_cents"], panel["budget_cents"]
        rows.append({"campaign_id": c.id, "name": c.name,
                     "spend": f"{format_cents(committed)} of {format_cents(budget)}",
                     "pct": min(100, round(100 * committed / budget)) if budget else 0})
    return rows


def influencer_overview(session: Session, actor_id: int | None) -> dict:
    user = require_role(session, actor_id, Role.INFLUENCER)
    profile = session.exec(select(InfluencerProfile).where(InfluencerProfile.user_id == user.id)).one()
    platforms = session.exec(select(SocialAccount).where(SocialAccount.influencer_id == profile.id)
                             .order_by(SocialAccount.followers.desc())).all()
    req = AdRequest.influencer_id == user.id
    agreed = _sum(session, select(func.coalesce(func.sum(AdRequest.payment_cents), 0)).where(
        req, AdRequest.status.in_(_COMMITTED)))
    paid = _sum(session, select(func.coalesce(func.sum(Payment.amount_cents), 0)).join(
        AdRequest, AdRequest.id == Payment.ad_request_id).where(req))
    return {
        "display_name": profile.display_name,
        "category": profile.category,
        "niche": profile.niche or "",
        "total_followers": profile.total_followers,
        "platforms": [{"platform": p.platform, "handle": p.handle, "followers": p.followers} for p in platforms],
        "requests_open": _sum(session, select(func.count()).where(req, AdRequest.status.in_(_OPEN))),
        "requests_running": _sum(session, select(func.count()).where(req, AdRequest.status.in_(_COMMITTED))),
        "agreed_cents": agreed,
        "paid_cents": paid,
        "outstanding_cents": max(agreed - paid, 0),
    }
