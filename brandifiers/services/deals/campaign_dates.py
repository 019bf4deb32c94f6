"""Moving a campaign's dates: what the new dates would leave outside (days of figures, accepted deals)
that the old dates covered; the campaign form warns and saves only once the person confirms."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, func, select

from brandifiers.models import COMMITTED, AdRequest, Campaign, Deliverable, MetricSnapshot

CONFIRM_FIELD = "confirm_dates"


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def left_outside(session: Session, campaign: Campaign, start: date, end: date) -> tuple[int, int]:
    """(days with figures, accepted deals) inside the campaign's current dates but outside start..end
    (inclusive). A deal's day is the day it was accepted (UTC), as a figure's is its day."""
    old_start, old_end = campaign.start_date, campaign.end_date
    day = MetricSnapshot.day
    days = session.exec(
        select(func.count(sa.distinct(day))).select_from(MetricSnapshot)
        .join(Deliverable, Deliverable.id == MetricSnapshot.deliverable_id)
        .join(AdRequest, AdRequest.id == Deliverable.ad_request_id)
        .where(AdRequest.campaign_id == campaign.id, day >= old_start, day <= old_end,
               sa.or_(day < start, day > end))).one()
    at = AdRequest.accepted_at
    deals = session.exec(
        select(func.count()).select_from(AdRequest)
        .where(AdRequest.campaign_id == campaign.id, AdRequest.status.in_(COMMITTED),
               at >= _midnight(old_start), at < _midnight(old_end + timedelta(days=1)),
               sa.or_(at < _midnight(start), at >= _midnight(end + timedelta(days=1))))).one()
    return int(days), int(deals)


def warning(days: int, deals: int) -> str:
    """'3 days of figures and 2 accepted deals fall outside the new dates...' ("" when nothing does)."""
    parts = ([f"{days} day{'s' if days != 1 else ''} of figures"] if days else []) + \
            ([f"{deals} accepted deal{'s' if deals != 1 else ''}"] if deals else [])
    if not parts:
        return ""
    verb = "falls" if len(parts) == 1 and (days or deals) == 1 else "fall"
    return (f"{' and '.join(parts)} {verb} outside the new dates. They stay recorded, but the campaign's "
            "dates will no longer cover them. Tick “Save with these dates” and save again to confirm.")


def confirmation(start: date, end: date) -> str:
    """The value the form's confirmation carries: it confirms these dates only."""
    return f"{start.isoformat()}|{end.isoformat()}"


def check_move(session: Session, campaign: Campaign, start: date | None, end: date | None, confirmed) -> str:
    """The warning to show (field "dates") before saving new dates, or "" (nothing left outside, the
    dates unchanged, or the person confirmed these very dates)."""
    if start is None or end is None or end < start:
        return ""
    if (start, end) == (campaign.start_date, campaign.end_date) or str(confirmed or "") == confirmation(start, end):
        return ""
    return warning(*left_outside(session, campaign, start, end))
