"""Append-only audit log: this module only inserts, never updates or deletes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from brandifiers.clock import utcnow
from brandifiers.models import AuditEvent, User
from brandifiers.services.common import cache


def record(
    session: Session,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None,
    summary: str = "",
    *,
    before: str | None = None,
    after: str | None = None,
    on_behalf_of_id: int | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else "system",
        on_behalf_of_id=on_behalf_of_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        summary=summary[:1000],
        before=before[:2000] if before else None,
        after=after[:2000] if after else None,
        created_at=now or utcnow(),
    )
    session.add(event)
    if event.actor_role == "admin":  # flags, deactivations, approvals change who is discoverable: at once
        cache.invalidate_after_commit(session, cache.SEARCH_CACHE_PREFIX)
    return event
