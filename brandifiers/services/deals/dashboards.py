"""Small per-role overviews for the dashboard shells (aggregate queries, a page at most).
Each takes the acting user's id and raises PermissionDenied for any other role."""

from __future__ import annotations

from sqlmodel import Session, func, select

from brandifiers.models import (
    ACTIVE,
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
    counts_as_paid,
)
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.rbac import require_role

_COMMITTED = [s.value for s in COMMITTED_STATUSES]
_OPEN = [AdRequestStatus.PENDING.value, AdRequestStatus.NEGOTIATING.value]


def _sum(session: Session, stmt) -> int:
    return int(session.exec(stmt).one() or 0)


def sponsor_overview(session: Session, actor_id: int | None) -> dict:
    """The sponsor's figures in one statement (scalar subqueries over indexed columns)."""
    user = require_role(session, actor_id, Role.SPONSOR)
    mine, req = Campaign.sponsor_id == user.id, AdRequest.sponsor_id == user.id
    count = select(func.count()).select_from(Campaign)
    row = session.exec(select(
        SponsorProfile.company_name,
        count.where(mine).scalar_subquery(),
        count.where(mine, Campaign.status == CampaignStatus.ACTIVE.value).scalar_subquery(),
        select(func.count()).select_from(AdRequest).where(req, AdRequest.status.in_(_OPEN)).scalar_subquery(),
        select(func.count()).select_from(AdRequest).where(req, AdRequest.status.in_(ACTIVE)).scalar_subquery(),
        select(func.coalesce(func.sum(Campaign.budget_cents), 0)).where(
            mine, Campaign.status != CampaignStatus.ARCHIVED.value).scalar_subquery(),
        select(func.coalesce(func.sum(AdRequest.payment_cents), 0)).where(
            req, AdRequest.status.in_(_COMMITTED)).scalar_subquery(),
        select(func.coalesce(func.sum(Payment.amount_cents), 0)).join(
            AdRequest, AdRequest.id == Payment.ad_request_id).where(req, counts_as_paid()).scalar_subquery(),
    ).where(SponsorProfile.user_id == user.id)).one()
    name, total, active, open_, running, budget, committed, paid = row
    return {"company_name": name, "campaigns_total": int(total), "campaigns_active": int(active),
            "requests_open": int(open_), "requests_running": int(running), "budget_cents": int(budget or 0),
            "committed_cents": int(committed or 0), "paid_cents": int(paid or 0)}


def active_campaign_budgets(session: Session, actor_id: int | None, limit: int = 5) -> list[dict]:
    """The sponsor's newest active campaigns with what is committed of each budget, in one statement:
    [{"campaign_id", "name", "spend": "$x of $y", "pct": 0..100}] (pct 0 for a budget of 0)."""
    user = require_role(session, actor_id, Role.SPONSOR)
    committed = (select(func.coalesce(func.sum(AdRequest.payment_cents), 0))
                 .where(AdRequest.campaign_id == Campaign.id, AdRequest.status.in_(_COMMITTED))
                 .correlate(Campaign).scalar_subquery())
    found = session.exec(select(Campaign.id, Campaign.name, Campaign.budget_cents, committed)
                         .where(Campaign.sponsor_id == user.id, Campaign.status == CampaignStatus.ACTIVE.value)
                         .order_by(Campaign.created_at.desc(), Campaign.id.desc()).limit(limit)).all()
    rows = []
    for campaign_id, name, budget, spent in found:
        budget, spent = int(budget), int(spent or 0)
        rows.append({"campaign_id": campaign_id, "name": name,
                     "spend": f"{format_cents(spent)} of {format_cents(budget)}",
                     "pct": min(100, round(100 * spent / budget)) if budget else 0})
    return rows


def influencer_overview(session: Session, actor_id: int | None) -> dict:
    """The profile, platforms and request counts of the influencer's dashboard."""
    user = require_role(session, actor_id, Role.INFLUENCER)
    profile = session.exec(select(InfluencerProfile).where(InfluencerProfile.user_id == user.id)).one()
    platforms = session.exec(select(SocialAccount).where(SocialAccount.influencer_id == profile.id)
                             .order_by(SocialAccount.followers.desc())).all()
    req = AdRequest.influencer_id == user.id
    return {
        "display_name": profile.display_name,
        "category": profile.category,
        "niche": profile.niche or "",
        "total_followers": profile.total_followers,
        "platforms": [{"platform": p.platform, "handle": p.handle, "followers": p.followers} for p in platforms],
        "requests_open": _sum(session, select(func.count()).where(req, AdRequest.status.in_(_OPEN))),
        "requests_running": _sum(session, select(func.count()).where(req, AdRequest.status.in_(ACTIVE))),
    }  # the money: services.deals.payments.earnings (the dashboard's Balances)
