"""Adding a message to the delivery outbox (the OutboxMessage table) at most once per (kind, channel,
recipient, period); delivery and retries live in services/messaging/outbox.py. Raises nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.models.jobs import OutboxAttachment, OutboxMessage

_M = OutboxMessage


def enqueue(session: Session, *, kind: str, channel: str, recipient: str, period: str, subject: str,
            text: str, html: str | None = None, link: str | None = None, user_id: int | None = None,
            attachments: list = (), unsubscribe_url: str | None = None,
            now: datetime | None = None) -> OutboxMessage | None:
    """Add a message unless this (kind, channel, recipient, period) already has one; attachments:
    objects with filename, content_type and data (messaging.mailer.Attachment)."""
    key = (_M.kind == kind, _M.channel == channel, _M.recipient == recipient, _M.period == period)
    if session.exec(select(_M.id).where(*key)).first() is not None:
        return None
    now = now or utcnow()
    msg = _M(kind=kind, channel=channel, recipient=recipient, period=period, user_id=user_id,
             subject=subject[:300], text_body=text, html_body=html, link=link,
             unsubscribe_url=unsubscribe_url, next_attempt_at=now, created_at=now)
    try:
        with session.begin_nested():
            session.add(msg)
            session.flush()
            for a in attachments:
                session.add(OutboxAttachment(message_id=msg.id, filename=a.filename, content_type=a.content_type,
                                             data=a.data))
            session.flush()
    except IntegrityError:  # a concurrent run enqueued the same message first
        return None
    return msg
