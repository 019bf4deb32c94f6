"""Metric ingestion: one day's figures for one deliverable (the creator's form), and the validation, day
rule and audited upsert the CSV import and the connectors share; the caller commits. Raises
ValidationFailed, DomainError, PermissionDenied, NotFound. Design: docs/metrics.md."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.models import AdRequest, Campaign, Deliverable, MetricSnapshot, Provenance, Role, User
from brandifiers.services.common import audit, cache, parse, zones
from brandifiers.services.common.errors import DomainError, ValidationFailed
from brandifiers.services.common.money import parse_cents
from brandifiers.services.common.rbac import require_owner, require_role
from brandifiers.services.metrics.metric_defs import ENGAGEMENT_PARTS, FIGURES

COUNT_MAX = 10**12
LABELS = {"views": "Views", "likes": "Likes", "comments": "Comments", "shares": "Shares", "saves": "Saves",
          "clicks": "Clicks", "conversions": "Conversions", "revenue": "Revenue"}
# Input names: the counts, then "revenue" in currency units (stored as revenue_cents).
INPUT_FIELDS = tuple(LABELS)
ENGAGEMENTS_OVER_VIEWS = ("Engagements (likes + comments + shares + saves) are higher than views: please check "
                          "the figures (they were saved, and the anomaly list flags them).")
STATS_CACHE_PREFIX = "stats:"


@dataclass
class EntryResult:
    """What `enter_day` did: the stored snapshot, whether it replaced one, and warnings to show."""

    snapshot: MetricSnapshot
    replaced: bool
    warnings: list[str] = field(default_factory=list)


def parse_figures(data: dict) -> tuple[dict[str, int], dict[str, str]]:
    """Input fields (strings or ints) -> ({figure: int}, {field: error}). Empty means 0."""
    figures: dict[str, int] = {}
    errors: dict[str, str] = {}
    for name in INPUT_FIELDS[:-1]:
        value = data.get(name)
        try:
            empty = not isinstance(value, int | float) and not parse.text(value, name, LABELS[name]).strip()
            figures[name] = 0 if empty else parse.integer(value, name, LABELS[name], minimum=0, maximum=COUNT_MAX)
        except DomainError as err:
            errors[name] = err.message
    try:
        figures["revenue_cents"] = parse_cents(data.get("revenue"), "revenue", required=False) or 0
    except DomainError as err:
        errors["revenue"] = err.message
    return figures, errors


def parse_day(raw) -> date:
    """A date or an ISO 'YYYY-MM-DD' string; DomainError on the field 'day' otherwise."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    return parse.day(raw, "day", "The day")


def day_problem(day: date, campaign: Campaign, today: date) -> str | None:
    """Why `day` cannot carry figures for a deliverable of `campaign` (None: it can)."""
    if day > today:
        return "The day cannot be in the future."
    if not campaign.start_date <= day <= campaign.end_date:
        return f"The day must be within the campaign ({campaign.start_date} to {campaign.end_date})."
    return None


def warnings_for(figures: dict[str, int]) -> list[str]:
    """The anomaly rule "engagements exceed views" (services/stats/anomalies.RULES), said at entry."""
    engaged = sum(figures.get(part, 0) for part in ENGAGEMENT_PARTS)
    return [ENGAGEMENTS_OVER_VIEWS] if engaged > figures.get("views", 0) else []


def _as_text(snapshot: MetricSnapshot) -> str:
    return json.dumps({k: getattr(snapshot, k) for k in FIGURES}, sort_keys=True)


def upsert_snapshot(session: Session, actor: User | None, deliverable_id: int, day: date, provenance: str,
                    figures: dict[str, int], *, now: datetime, existing: MetricSnapshot | None = None,
                    lookup: bool = True) -> tuple[MetricSnapshot, bool]:
    """Insert or replace the (deliverable, day, provenance) row. A replacement is audited.

    `existing`/`lookup=False` let a caller that already loaded the rows skip the query."""
    if existing is None and lookup:
        existing = session.exec(select(MetricSnapshot).where(
            MetricSnapshot.deliverable_id == deliverable_id, MetricSnapshot.day == day,
            MetricSnapshot.provenance == provenance)).first()
    row = existing or MetricSnapshot(deliverable_id=deliverable_id, day=day, provenance=provenance)
    before = _as_text(row) if existing else None
    for name in FIGURES:
        setattr(row, name, int(figures.get(name, 0)))
    row.reported_by_id = actor.id if actor else None
    row.updated_at = now
    session.add(row)
    if existing:
        session.flush()
        audit.record(session, actor, "metrics.replace", "deliverable", deliverable_id,
                     f"Figures of {day} ({provenance}) replaced", before=before, after=_as_text(row), now=now)
    return row, existing is not None


def owned_deliverable(session: Session, actor: User, deliverable_id: int) -> tuple[Deliverable, AdRequest, Campaign]:
    """The deliverable with its request and campaign, refused (NotFound) unless the actor is its
    influencer, or its campaign's sponsor. Admins pass (rbac.require_owner)."""
    found = session.exec(select(Deliverable, AdRequest, Campaign)
                         .join(AdRequest, AdRequest.id == Deliverable.ad_request_id)
                         .join(Campaign, Campaign.id == AdRequest.campaign_id)
                         .where(Deliverable.id == deliverable_id)).first()
    if found is None:
        require_owner(None, "influencer_id", actor, "deliverable")
    owner_field = "sponsor_id" if actor.role == Role.SPONSOR else "influencer_id"
    require_owner(found[1], owner_field, actor, "deliverable")
    return found


def enter_day(session: Session, actor_id: int | None, deliverable_id: int, day, data: dict, *,
              now: datetime | None = None) -> EntryResult:
    """An influencer enters one day's figures for one of its own deliverables (creator-reported).

    `data`: views, likes, comments, shares, saves, clicks, conversions (whole numbers >= 0, empty = 0)
    and revenue (an amount in currency units). Refuses: another influencer's deliverable
    (NotFound, nothing written), bad figures (ValidationFailed {field: message}), a day in the
    future or outside the campaign's start..end (ValidationFailed on "day"). Engagements above
    views are saved with a warning. Re-submitting the same day replaces the row (audited).
    """
    now = now or utcnow()
    actor = require_role(session, actor_id, Role.INFLUENCER)
    deliverable, _request, campaign = owned_deliverable(session, actor, deliverable_id)
    figures, errors = parse_figures(data)
    try:
        the_day = parse_day(day)
        problem = day_problem(the_day, campaign, zones.local_today(actor, now))
        if problem:
            errors["day"] = problem
    except DomainError as err:
        errors["day"] = err.message
    if errors:
        raise ValidationFailed(errors)
    row, replaced = upsert_snapshot(session, actor, deliverable.id, the_day, Provenance.CREATOR_REPORTED.value,
                                    figures, now=now)
    cache.invalidate_after_commit(session, STATS_CACHE_PREFIX)
    return EntryResult(snapshot=row, replaced=replaced, warnings=warnings_for(figures))


def deliverable_days(session: Session, actor_id: int | None, deliverable_id: int) -> list[MetricSnapshot]:
    """Every snapshot of one deliverable (its influencer, its sponsor or an admin), by day."""
    actor = require_role(session, actor_id, Role.INFLUENCER, Role.SPONSOR, Role.ADMIN)
    owned_deliverable(session, actor, deliverable_id)
    return list(session.exec(select(MetricSnapshot).where(MetricSnapshot.deliverable_id == deliverable_id)
                             .order_by(MetricSnapshot.day, MetricSnapshot.provenance)))


__all__ = ["EntryResult", "day_problem", "deliverable_days", "enter_day", "owned_deliverable",
           "parse_day", "parse_figures", "upsert_snapshot", "warnings_for"]
