"""Small reads the statistics pages need beside stats.py: deliverables an actor may enter figures for,
the names behind a campaign's requests, cumulative spend or earnings, the admin's "Refresh now".
Role and ownership are checked first (PermissionDenied, NotFound). Design: docs/metrics.md."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from brandifiers.models import AdRequest, Campaign, Deliverable, InfluencerProfile, Role
from brandifiers.services.common import zones
from brandifiers.services.common.rbac import require_owner, require_role
from brandifiers.services.rollups import spend_days
from brandifiers.services.rollups.rollups import run_rollup
from brandifiers.services.stats import anomalies, goals

DELIVERABLE_LIMIT = 200


def my_deliverables(session: Session, actor_id: int | None) -> list[dict]:
    """The acting influencer's deliverables, or the acting sponsor's deliverables of its own
    campaigns (up to 200, newest campaign first): id, campaign, post_url, platform, influencer."""
    actor = require_role(session, actor_id, Role.INFLUENCER, Role.SPONSOR)
    owner = AdRequest.sponsor_id if actor.role == Role.SPONSOR else AdRequest.influencer_id
    rows = session.exec(
        select(Deliverable.id, Deliverable.post_url, Deliverable.platform, Campaign.id, Campaign.name,
               InfluencerProfile.display_name)
        .join(AdRequest, AdRequest.id == Deliverable.ad_request_id)
        .join(Campaign, Campaign.id == AdRequest.campaign_id)
        .join(InfluencerProfile, InfluencerProfile.user_id == AdRequest.influencer_id, isouter=True)
        .where(owner == actor.id)
        .order_by(Campaign.id.desc(), Deliverable.id)
        .limit(DELIVERABLE_LIMIT))
    return [{"id": did, "post_url": url, "platform": platform, "campaign_id": cid, "campaign": name,
             "influencer": influencer or ""} for did, url, platform, cid, name, influencer in rows]


def _bounds(start: date | None, end: date | None) -> tuple[str, str]:
    """The window as ISO day strings that compare with the per-day keys (open ends: extremes)."""
    return (start.isoformat() if start else ""), (end.isoformat() if end else "9999-12-31")


def _timeline(session: Session, where, start: date | None = None, end: date | None = None,
              zone=None) -> list[dict]:
    """[{"day", "cents"}]: the running total of committed payments as of each day in [start, end]
    on which it changed (the reader's local days). With a start, the total accepted before it is
    carried in: the first point is then the start day itself (when that total is not zero), so the
    line starts where it stands."""
    per_day = spend_days.per_day(session, where, zone)
    first, last = _bounds(start, end)
    running = sum(cents for day, cents in per_day.items() if day < first)
    out = [{"day": first, "cents": running}] if running else []
    for day, cents in sorted(per_day.items()):
        if first <= day <= last:
            running += cents
            if out and out[-1]["day"] == day:
                out[-1]["cents"] = running
            else:
                out.append({"day": day, "cents": running})
    return out


def campaign_overview(session: Session, actor_id: int | None, campaign_id: int, start: date | None = None,
                      end: date | None = None) -> dict:
    """One campaign (its sponsor or an admin): name, budget, goals ("targets": {target column: value or
    None}), cumulative spend by day in the window (`_timeline`) and the influencer behind each ad
    request ({ad_request_id: {"influencer", "status"}})."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    campaign = require_owner(session.get(Campaign, campaign_id), "sponsor_id", actor, "campaign")
    rows = session.exec(select(AdRequest.id, AdRequest.status, InfluencerProfile.display_name)
                        .join(InfluencerProfile, InfluencerProfile.user_id == AdRequest.influencer_id, isouter=True)
                        .where(AdRequest.campaign_id == campaign_id)).all()
    return {"campaign_id": campaign.id, "name": campaign.name, "budget_cents": int(campaign.budget_cents),
            "start": campaign.start_date.isoformat(), "end": campaign.end_date.isoformat(),
            "targets": goals.targets_of(campaign),
            "spend": _timeline(session, AdRequest.campaign_id == campaign_id, start, end, zones.user_zone(actor)),
            "requests": {r: {"influencer": name or f"Influencer of request {r}", "status": status}
                         for r, status, name in rows}}


def earnings_timeline(session: Session, actor_id: int | None, start: date | None = None,
                      end: date | None = None) -> list[dict]:
    """The acting influencer's cumulative earnings (agreed payment of requests accepted or later)
    by day in the window (`_timeline`)."""
    actor = require_role(session, actor_id, Role.INFLUENCER)
    return _timeline(session, AdRequest.influencer_id == actor.id, start, end, zones.user_zone(actor))


def platform_spend_by_month(session: Session, actor_id: int | None, start: date | None = None,
                            end: date | None = None) -> dict[str, int]:
    """Admin: {"YYYY-MM": committed payments of the requests accepted in that month}, counting only
    the requests accepted in the window, as the month figures count only its days. From the
    platform's stored spend series (services/spend_days)."""
    require_role(session, actor_id, Role.ADMIN)
    first, last = _bounds(start, end)
    per_month: dict[str, int] = {}
    for day, cents in spend_days.platform(session).items():
        if first <= day <= last:
            per_month[day[:7]] = per_month.get(day[:7], 0) + cents
    return per_month


def refresh_now(session: Session, actor_id: int | None, *, now: datetime | None = None) -> dict:
    """Admin: bring the rollups up to date at once (the job does the same every few minutes), and
    the stored platform anomaly list too when that is quick (otherwise its job does it)."""
    require_role(session, actor_id, Role.ADMIN)
    result = run_rollup(session, now=now)
    flags = anomalies.refresh_if_cheap(session, now=now)
    return {**result, "anomalies_refreshed": flags is not None}


__all__ = ["campaign_overview", "earnings_timeline", "my_deliverables", "platform_spend_by_month", "refresh_now"]
