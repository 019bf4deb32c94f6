"""Where figures came from: the source of each day (platform API, CSV import, creator-reported) for a
campaign's or an influencer's day rows, and the influencer's own days with their corrections (audited,
rollups refreshed as after any entry). Raises PermissionDenied, NotFound, ValidationFailed, DomainError."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.models import AdRequest, Campaign, Deliverable, MetricSnapshot, Provenance, Role
from brandifiers.services.common import cache
from brandifiers.services.common.errors import DomainError, NotFound, ValidationFailed
from brandifiers.services.common.filters import page_bounds
from brandifiers.services.common.rbac import require_owner, require_role
from brandifiers.services.metrics.metric_defs import ENGAGEMENT_PARTS, FIGURES
from brandifiers.services.metrics.metrics import (
    STATS_CACHE_PREFIX,
    EntryResult,
    owned_deliverable,
    parse_figures,
    upsert_snapshot,
    warnings_for,
)

# The order the rollups prefer them in (platform-api > csv-import > creator-reported).
PRIORITY = (Provenance.PLATFORM_API.value, Provenance.CSV_IMPORT.value, Provenance.CREATOR_REPORTED.value)
LABELS = {Provenance.PLATFORM_API.value: "platform API", Provenance.CSV_IMPORT.value: "CSV import",
          Provenance.CREATOR_REPORTED.value: "reported by the creator"}
YOU = "reported by you"
PAGE_SIZE = 25


def source_label(provenance: str, reported_by_id: int | None = None, viewer_id: int | None = None) -> str:
    """How a person reads a row's source ("reported by you" for the creator's own entries)."""
    if provenance == Provenance.CREATOR_REPORTED.value and viewer_id is not None and reported_by_id == viewer_id:
        return YOU
    return LABELS.get(provenance, provenance)


def _cached(scope: str, start: date | None, end: date | None, compute) -> dict[str, str]:
    """Under the statistics' cache prefix, which every metric entry, import and correction drops."""
    return cache.get_or_compute(f"{STATS_CACHE_PREFIX}sources:{scope}:{start or ''}:{end or ''}", compute)


def _day_sources(session: Session, where, start: date | None, end: date | None, viewer_id: int | None) -> dict:
    """{'YYYY-MM-DD': "platform API, reported by you"}: per day, the sources of the figures counted
    (each post's day counts its highest-priority row, the rollups' rule), in PRIORITY order."""
    stmt = (select(MetricSnapshot.deliverable_id, MetricSnapshot.day, MetricSnapshot.provenance,
                   MetricSnapshot.reported_by_id)
            .join(Deliverable, Deliverable.id == MetricSnapshot.deliverable_id)
            .join(AdRequest, AdRequest.id == Deliverable.ad_request_id).where(where))
    if start:
        stmt = stmt.where(MetricSnapshot.day >= start)
    if end:
        stmt = stmt.where(MetricSnapshot.day <= end)
    rank = {p: i for i, p in enumerate(PRIORITY)}
    chosen: dict[tuple, tuple] = {}
    for deliverable_id, day, provenance, reporter in session.exec(stmt):
        key = (deliverable_id, day)
        if key not in chosen or rank.get(provenance, 9) < rank.get(chosen[key][0], 9):
            chosen[key] = (provenance, reporter)
    per_day: dict[str, set] = {}
    for (_d, day), (provenance, reporter) in chosen.items():
        per_day.setdefault(day.isoformat(), set()).add((rank.get(provenance, 9),
                                                        source_label(provenance, reporter, viewer_id)))
    return {day: ", ".join(label for _r, label in sorted(found)) for day, found in per_day.items()}


def campaign_day_sources(session: Session, actor_id: int | None, campaign_id: int, start: date | None = None,
                         end: date | None = None) -> dict[str, str]:
    """One campaign's day sources (its sponsor or an admin)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    require_owner(session.get(Campaign, campaign_id), "sponsor_id", actor, "campaign")
    return _cached(f"campaign:{campaign_id}", start, end,
                   lambda: _day_sources(session, AdRequest.campaign_id == campaign_id, start, end, None))


def sponsor_day_sources(session: Session, actor_id: int | None, start: date | None = None,
                        end: date | None = None) -> dict[str, str]:
    """The acting sponsor's day sources over all its campaigns (pass the first day shown as `start`:
    its raw rows are many)."""
    actor = require_role(session, actor_id, Role.SPONSOR)
    return _cached(f"sponsor:{actor.id}", start, end,
                   lambda: _day_sources(session, AdRequest.sponsor_id == actor.id, start, end, None))


def influencer_day_sources(session: Session, actor_id: int | None, start: date | None = None,
                           end: date | None = None) -> dict[str, str]:
    """The acting influencer's day sources over all its posts ("reported by you" for its entries)."""
    actor = require_role(session, actor_id, Role.INFLUENCER)
    return _cached(f"influencer:{actor.id}", start, end,
                   lambda: _day_sources(session, AdRequest.influencer_id == actor.id, start, end, actor.id))


def my_days(session: Session, actor_id: int | None, page: int = 0, page_size: int = PAGE_SIZE) -> tuple[list, int]:
    """The acting influencer's stored day rows (every source), newest day first: ([{id, day,
    deliverable_id, campaign, post_url, provenance, source, correctable (it entered the row itself),
    FIGURES..., engagements}], total)."""
    actor = require_role(session, actor_id, Role.INFLUENCER)
    offset, limit = page_bounds(page, page_size)
    mine = AdRequest.influencer_id == actor.id
    base = (select(MetricSnapshot, Campaign.name, Deliverable.post_url)
            .join(Deliverable, Deliverable.id == MetricSnapshot.deliverable_id)
            .join(AdRequest, AdRequest.id == Deliverable.ad_request_id)
            .join(Campaign, Campaign.id == AdRequest.campaign_id).where(mine))
    total = session.exec(select(func.count()).select_from(MetricSnapshot)
                         .join(Deliverable, Deliverable.id == MetricSnapshot.deliverable_id)
                         .join(AdRequest, AdRequest.id == Deliverable.ad_request_id).where(mine)).one()
    rows = session.exec(base.order_by(MetricSnapshot.day.desc(), MetricSnapshot.deliverable_id, MetricSnapshot.id)
                        .offset(offset).limit(limit)).all()
    out = []
    for snap, campaign, post_url in rows:
        out.append({"id": snap.id, "day": snap.day.isoformat(), "deliverable_id": snap.deliverable_id,
                    "campaign": campaign, "post_url": post_url, "provenance": snap.provenance,
                    "source": source_label(snap.provenance, snap.reported_by_id, actor.id),
                    "correctable": snap.reported_by_id == actor.id,
                    **{f: int(getattr(snap, f)) for f in FIGURES},
                    "engagements": sum(int(getattr(snap, p)) for p in ENGAGEMENT_PARTS)})
    return out, int(total)


def correct_day(session: Session, actor_id: int | None, snapshot_id: int, data: dict, *,
                now: datetime | None = None) -> EntryResult:
    """The influencer corrects one of its stored days: the same checks as its day form (whole numbers
    >= 0 next to each field, its own posts only: another's row is NotFound), the row keeps its day
    and source; the figures before and after go to the audit log (upsert_snapshot), its updated_at
    moves so the next rollup run folds it in, and the statistics cache drops after the commit.
    Rows the actor did not enter (the platform's API, the sponsor's CSV import) are refused. The
    caller commits."""
    now = now or utcnow()
    actor = require_role(session, actor_id, Role.INFLUENCER)
    row = session.get(MetricSnapshot, snapshot_id) if snapshot_id else None
    if row is None:
        raise NotFound("figures")
    owned_deliverable(session, actor, row.deliverable_id)  # NotFound unless its post is the actor's
    if row.reported_by_id != actor.id:  # the platform's API, or the sponsor's CSV import
        raise DomainError("These figures came from the platform's API: they cannot be corrected here."
                          if row.provenance == Provenance.PLATFORM_API.value else
                          "Someone else imported these figures: only the figures you entered can be corrected here.")
    figures, errors = parse_figures(data)
    if errors:
        raise ValidationFailed(errors)
    saved, _replaced = upsert_snapshot(session, actor, row.deliverable_id, row.day, row.provenance, figures,
                                       now=now, existing=row)
    cache.invalidate_after_commit(session, STATS_CACHE_PREFIX)
    return EntryResult(snapshot=saved, replaced=True, warnings=warnings_for(figures))
