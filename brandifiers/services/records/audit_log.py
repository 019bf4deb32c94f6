"""Reading the audit log (admins only): filtered pages and a CSV export.

This module only reads AuditEvent; services/common/audit.py only inserts. Nothing updates or deletes it."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy.orm import aliased
from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.models import AuditEvent, Role, User
from brandifiers.services.common import parse, zones
from brandifiers.services.common.csv_safe import neutralise
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.filters import day_range, like_pattern, page_bounds
from brandifiers.services.common.rbac import require_role

PAGE_SIZE = 50
# The export stops at this many rows (newest first); narrow the filters for older events.
EXPORT_MAX_ROWS = 100_000
COLUMNS = ["id", "created_at", "actor_id", "actor_email", "actor_role", "on_behalf_of_id", "on_behalf_of_email",
           "action", "target_type", "target_id", "summary", "before", "after"]


@dataclass
class AuditRow:
    id: int
    created_at: datetime
    actor_id: int | None
    actor_email: str
    actor_role: str
    on_behalf_of_id: int | None
    on_behalf_of_email: str
    action: str
    target_type: str
    target_id: int | None
    summary: str
    before: str
    after: str


def _int_or_none(value, field: str) -> int | None:
    raw = str(value if value is not None else "").strip()
    if not raw:
        return None
    if not parse.is_int_text(raw) or raw.startswith("-") or len(raw) > 18:
        raise DomainError("Enter a number (an id).", field)
    return int(raw)


ACTOR = aliased(User)
BEHALF = aliased(User)  # the sponsor an admin acted for


def _filtered(stmt, actor, target_type, target_id, action, date_from, date_to, zone=None):
    actor_user = ACTOR
    stmt = stmt.outerjoin(actor_user, actor_user.id == AuditEvent.actor_id)
    actor = parse.text(actor, "actor", "Actor").strip()
    if parse.is_int_text(actor) and not actor.startswith("-"):
        stmt = stmt.where(AuditEvent.actor_id == int(actor[:18]))
    elif actor:
        stmt = stmt.where(actor_user.email.ilike(like_pattern(actor, field="actor"), escape="\\"))
    if parse.text(target_type, "target_type", "Target").strip():
        stmt = stmt.where(AuditEvent.target_type == target_type.strip())
    tid = _int_or_none(target_id, "target_id")
    if tid is not None:
        stmt = stmt.where(AuditEvent.target_id == tid)
    if parse.text(action, "action", "Action").strip():
        pattern = like_pattern(action.strip(), prefix_only=True, field="action")
        stmt = stmt.where(AuditEvent.action.like(pattern, escape="\\"))
    start, end = day_range(date_from, date_to, from_field="date_from", to_field="date_to", zone=zone)
    if start:
        stmt = stmt.where(AuditEvent.created_at >= start)
    if end:
        stmt = stmt.where(AuditEvent.created_at < end)
    return stmt


def _rows(session: Session, filters: dict, offset: int, limit: int) -> list[AuditRow]:
    stmt = _filtered(select(AuditEvent, ACTOR.email, BEHALF.email), **filters)
    stmt = stmt.outerjoin(BEHALF, BEHALF.id == AuditEvent.on_behalf_of_id)
    stmt = stmt.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).offset(offset).limit(limit)
    return [AuditRow(e.id, e.created_at, e.actor_id, email or "", e.actor_role or "", e.on_behalf_of_id,
                     behalf or "", e.action, e.target_type, e.target_id, e.summary, e.before or "", e.after or "")
            for e, email, behalf in session.exec(stmt)]


def query(session: Session, actor_id: int | None, *, actor: str | int | None = None, target_type: str | None = None,
          target_id: int | str | None = None, action: str | None = None, date_from: date | str | None = None,
          date_to: date | str | None = None, page: int = 0, page_size: int = PAGE_SIZE) -> tuple[list[AuditRow], int]:
    """One page of audit events (newest first) and how many match.

    actor: an id, or part of the actor's e-mail; action: a prefix ("user." finds every user action)."""
    admin = require_role(session, actor_id, Role.ADMIN)
    filters = dict(actor=actor, target_type=target_type, target_id=target_id, action=action,
                   date_from=date_from, date_to=date_to, zone=zones.user_zone(admin))
    count_stmt = _filtered(select(func.count()).select_from(AuditEvent), **filters)
    total = int(session.exec(count_stmt).one())
    offset, limit = page_bounds(page, page_size)
    return _rows(session, filters, offset, limit), total


def export_csv(session: Session, actor_id: int | None, *, actor: str | int | None = None,
               target_type: str | None = None, target_id: int | str | None = None, action: str | None = None,
               date_from: date | str | None = None, date_to: date | str | None = None,
               now: datetime | None = None) -> tuple[str, bytes]:
    """(filename, UTF-8 CSV) of the matching events, newest first, at most EXPORT_MAX_ROWS rows.

    Text cells starting with = + - @ (or a tab / carriage return) are prefixed with ' so that a
    spreadsheet shows them as text instead of running them."""
    admin = require_role(session, actor_id, Role.ADMIN)
    filters = dict(actor=actor, target_type=target_type, target_id=target_id, action=action,
                   date_from=date_from, date_to=date_to, zone=zones.user_zone(admin))
    rows = _rows(session, filters, 0, EXPORT_MAX_ROWS)
    frame = pd.DataFrame([asdict(r) for r in rows], columns=COLUMNS)
    frame["created_at"] = [r.created_at.isoformat() for r in rows]
    for column in ("id", "actor_id", "on_behalf_of_id", "target_id"):
        frame[column] = frame[column].astype("Int64")  # ids stay integers next to empty cells
    frame = neutralise(frame)  # text cells only: ids and dates are not touched
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    stamp = (now or utcnow()).strftime("%Y%m%d-%H%M%S")
    return f"audit-log-{stamp}.csv", buffer.getvalue().encode("utf-8")
