"""Campaign goals against results: each target the sponsor set (views, engagements, conversions) with the
campaign's all-time rollup totals, the figures the statistics page shows. Raises PermissionDenied, NotFound."""

from __future__ import annotations

from sqlmodel import Session, select

from brandifiers.models import Campaign, CampaignStatus, Role
from brandifiers.services.common.rbac import require_role
from brandifiers.services.rollups import rollup_read

# (figure of the totals, campaign column, label)
GOALS = (("views", "target_views", "Views"), ("engagements", "target_engagements", "Engagements"),
         ("conversions", "target_conversions", "Conversions"))
TARGET_COLUMNS = tuple(column for _f, column, _l in GOALS)


def targets_of(campaign: Campaign) -> dict[str, int | None]:
    """{target column: value} of one campaign (None: no goal)."""
    return {column: getattr(campaign, column) for column in TARGET_COLUMNS}


def progress(targets: dict, totals: dict) -> list[dict]:
    """The goals that are set (a target above 0), in GOALS order: [{key, label, figure, target, pct,
    bar, text}]. pct is the whole percent reached, rounded down (100 only when the target is met; it
    may exceed 100); bar is pct capped at 100, for a progress bar; text reads "450 of 1,000 (45%)"."""
    rows = []
    for figure, column, label in GOALS:
        target = int(targets.get(column) or 0)
        if target <= 0:
            continue
        value = int(totals.get(figure) or 0)
        pct = value * 100 // target  # integers: exact, no float rounding
        rows.append({"key": figure, "label": label, "figure": value, "target": target, "pct": pct,
                     "bar": min(pct, 100), "text": f"{value:,} of {target:,} ({pct}%)"})
    return rows


def for_campaigns(session: Session, campaigns: list[Campaign]) -> dict[int, list[dict]]:
    """{campaign id: progress rows} for the given campaigns (those without goals map to []), from the
    campaign rollup totals in one read. The caller has checked who may see them."""
    keyed = {str(c.id): c for c in campaigns if any(targets_of(c).values())}
    totals = rollup_read.totals(session, "campaign", list(keyed)) if keyed else {}
    out = {c.id: [] for c in campaigns}
    for key, campaign in keyed.items():
        out[campaign.id] = progress(targets_of(campaign), totals.get(key, {}))
    return out


def active_goals(session: Session, actor_id: int | None, limit: int = 5) -> list[dict]:
    """The acting sponsor's newest active campaigns that have goals (as the dashboard lists its
    active campaigns): [{"campaign_id", "name", "goals": progress rows}]."""
    user = require_role(session, actor_id, Role.SPONSOR)
    mine = (Campaign.sponsor_id == user.id, Campaign.status == CampaignStatus.ACTIVE.value)
    found = list(session.exec(select(Campaign).where(*mine)
                              .order_by(Campaign.created_at.desc(), Campaign.id.desc()).limit(limit)))
    rows = for_campaigns(session, found)
    return [{"campaign_id": c.id, "name": c.name, "goals": rows[c.id]} for c in found if rows[c.id]]
