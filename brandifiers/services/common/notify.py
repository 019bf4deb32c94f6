"""In-app notifications (e-mail and chat channels arrive with the jobs issue)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.models import Notification
from brandifiers.services.common import live


def notify(
    session: Session, user_id: int, kind: str, title: str, body: str = "", link: str | None = None,
    *, now: datetime | None = None,
) -> Notification:
    note = Notification(user_id=user_id, kind=kind, title=title[:200], body=body[:2000], link=link,
                        created_at=now or utcnow())
    session.add(note)
    live.signal_after_commit(session, [user_id])  # the person's open tabs refresh once this commits
    return note


def recent(session: Session, user_id: int, limit: int = 10) -> list[Notification]:
    stmt = (select(Notification).where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit))
    return list(session.exec(stmt))


def unread_count(session: Session, user_id: int) -> int:
    stmt = select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))
    return int(session.exec(stmt).one())


def mark_all_read(session: Session, user_id: int, *, now: datetime | None = None) -> int:
    """Mark the user's unread notifications read; returns how many."""
    rows = session.exec(select(Notification).where(Notification.user_id == user_id,
                                                   Notification.read_at.is_(None))).all()
    for n in rows:
        n.read_at = now or utcnow()
        session.add(n)
    return len(rows)
