"""Dashboard reads of the statistics from the rollup summary tables only, cached 60 s: plain JSON-ready
dicts (series, period, totals); role and ownership are checked first (PermissionDenied, NotFound).
Design: docs/metrics.md, "Statistics reads"."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from brandifiers.models import AdRequest, Campaign, InfluencerProfile, Role
from brandifiers.services.common import cache
from brandifiers.services.common.errors import NotFound
from brandifiers.services.common.rbac import require_owner, require_role
from brandifiers.services.metrics.metric_defs import derived
from brandifiers.services.metrics.metrics import STATS_CACHE_PREFIX
from brandifiers.services.rollups import rollup_read
from brandifiers.services.rollups.rollups import METRICS, last_refreshed

LIST_LIMIT = 50


def _zero() -> dict:
    return dict.fromkeys(METRICS, 0)


def _series(session: Session, scope: str, key: str, start: date | None, end: date | None) -> tuple[list, dict]:
    series, period = [], _zero()
    for day, figures in rollup_read.day_series(session, scope, key, start, end):
        for m in METRICS:
            period[m] += figures[m]
        series.append({"day": day.isoformat(), **figures, "er_views": derived(figures)["er_views"]})
    return series, period


def _totals(session: Session, scope: str, keys: list[str]) -> dict[str, dict]:
    """{key: totals with derived ratios} for the keys that have a total row (others: zeros)."""
    out = {k: {**_zero(), "spend_cents": 0, "followers": 0} for k in keys}
    out.update(rollup_read.totals(session, scope, keys))
    for values in out.values():
        values.update(derived(values, spend_cents=values["spend_cents"], followers=values["followers"]))
    return out


def _scope(session: Session, scope: str, key: str, start, end, *, followers: int | None = None) -> dict:
    series, period = _series(session, scope, key, start, end)
    totals = _totals(session, scope, [key])[key]
    base = totals["followers"] if followers is None else followers
    period.update(derived(period, followers=base))
    refreshed = last_refreshed(session)
    return {"series": series, "period": period, "totals": totals,
            "last_refreshed": refreshed.isoformat() if refreshed else None}


def _cached(key: str, compute):
    return cache.get_or_compute(STATS_CACHE_PREFIX + key, compute)


def _window(start, end) -> str:
    return f"{start or ''}:{end or ''}"


def campaign_stats(session: Session, actor_id: int | None, campaign_id: int, start: date | None = None,
                   end: date | None = None) -> dict:
    """One campaign (its sponsor or an admin): series, period, totals, and its ad requests' totals
    ("requests": up to 50, most viewed first, each with ad_request_id and influencer_id)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    require_owner(session.get(Campaign, campaign_id), "sponsor_id", actor, "campaign")

    def compute():
        out = _scope(session, "campaign", str(campaign_id), start, end)
        reqs = session.exec(select(AdRequest.id, AdRequest.influencer_id)
                            .where(AdRequest.campaign_id == campaign_id)).all()
        totals = _totals(session, "adrequest", [str(r) for r, _ in reqs])
        rows = [{"ad_request_id": r, "influencer_id": i, **totals[str(r)]} for r, i in reqs]
        out["requests"] = sorted(rows, key=lambda r: (-r["views"], r["ad_request_id"]))[:LIST_LIMIT]
        out["campaign_id"] = campaign_id
        return out

    return _cached(f"campaign:{campaign_id}:{_window(start, end)}", compute)


def sponsor_portfolio(session: Session, actor_id: int | None, start: date | None = None, end: date | None = None,
                      *, sponsor_id: int | None = None) -> dict:
    """All campaigns of the acting sponsor (an admin passes sponsor_id): series, period, totals,
    and "campaigns": each campaign's totals (up to 50, highest spend first)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    owner = actor.id if actor.role == Role.SPONSOR else sponsor_id
    if owner is None:
        raise NotFound("sponsor")

    def compute():
        out = _scope(session, "sponsor", str(owner), start, end)
        camps = session.exec(select(Campaign.id, Campaign.name).where(Campaign.sponsor_id == owner)).all()
        totals = _totals(session, "campaign", [str(c) for c, _ in camps])
        rows = [{"campaign_id": c, "name": name, **totals[str(c)]} for c, name in camps]
        out["campaigns"] = sorted(rows, key=lambda r: (-r["spend_cents"], -r["views"], r["campaign_id"]))[:LIST_LIMIT]
        out["sponsor_id"] = owner
        return out

    return _cached(f"sponsor:{owner}:{_window(start, end)}", compute)


def influencer_stats(session: Session, actor_id: int | None, start: date | None = None, end: date | None = None,
                     *, influencer_id: int | None = None) -> dict:
    """The acting influencer's figures over all its requests (an admin passes influencer_id).
    The period's engagement rate by followers uses the profile's current total followers."""
    actor = require_role(session, actor_id, Role.INFLUENCER, Role.ADMIN)
    owner = actor.id if actor.role == Role.INFLUENCER else influencer_id
    if owner is None:
        raise NotFound("influencer")

    def compute():
        followers = session.exec(select(InfluencerProfile.total_followers)
                                 .where(InfluencerProfile.user_id == owner)).first() or 0
        out = _scope(session, "influencer", str(owner), start, end, followers=followers)
        out["influencer_id"], out["profile_followers"] = owner, int(followers)
        return out

    return _cached(f"influencer:{owner}:{_window(start, end)}", compute)


def platform_stats(session: Session, actor_id: int | None, start: date | None = None,
                   end: date | None = None) -> dict:
    """Admin: the whole platform, plus "by_category" (all-time totals per campaign category) and
    "by_month" (the series summed per calendar month "YYYY-MM", with er_views)."""
    require_role(session, actor_id, Role.ADMIN)

    def compute():
        out = _scope(session, "platform", "", start, end)
        cats = rollup_read.total_keys(session, "category")
        totals = _totals(session, "category", cats)
        out["by_category"] = [{"category": c, **totals[c]} for c in cats]
        months: dict[str, dict] = {}
        for day in out["series"]:
            month = months.setdefault(day["day"][:7], _zero())
            for m in METRICS:
                month[m] += day[m]
        out["by_month"] = [{"month": k, **v, "er_views": derived(v)["er_views"]} for k, v in sorted(months.items())]
        return out

    return _cached(f"platform:{_window(start, end)}", compute)


__all__ = ["campaign_stats", "influencer_stats", "last_refreshed", "platform_stats", "sponsor_portfolio"]
