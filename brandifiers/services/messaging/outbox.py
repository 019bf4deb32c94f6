"""The delivery outbox: every in-app reminder, e-mail and chat message is a row first (one per kind,
channel, recipient and period), delivered by `deliver_due` with retries; the admin's Outbox page
(admins only, else PermissionDenied; NotFound, DomainError). Design: docs/messaging.md."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.config import Settings, get_settings
from brandifiers.models import Role
from brandifiers.models.jobs import OutboxAttachment, OutboxMessage
from brandifiers.services.common import audit, platform_settings, zones
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.common.filters import page_bounds
from brandifiers.services.common.notify import notify
from brandifiers.services.common.queue import enqueue  # noqa: F401  (outbox.enqueue, as before)
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.validation import CollabForm
from brandifiers.services.messaging import mailer

CLAIM = timedelta(minutes=5)
PAGE_SIZE = 25
STATUSES = ("pending", "sending", "sent", "held", "failed")
_M = OutboxMessage


def _due(now: datetime):
    return sa.or_(sa.and_(_M.status == "pending", _M.next_attempt_at <= now),
                  sa.and_(_M.status == "sending", _M.locked_until < now))


def _claim(engine: Engine, message_id: int, now: datetime) -> bool:
    with Session(engine) as s:
        result = s.exec(sa.update(_M).where(_M.id == message_id, _due(now))
                        .values(status="sending", locked_until=now + CLAIM))
        s.commit()
        return result.rowcount == 1


def _send(engine: Engine, msg: OutboxMessage, settings: Settings, send_email, post, hosts: list[str]) -> None:
    if msg.channel == "email":
        with Session(engine) as s:
            files = [mailer.Attachment(a.filename, a.content_type, a.data) for a in
                     s.exec(select(OutboxAttachment).where(OutboxAttachment.message_id == msg.id))]
        stamp = msg.created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S")
        msgid = mailer.message_id(settings.mail_sender, f"outbox.{msg.id}.{stamp}")
        send_email(settings, mailer.build_email(settings.mail_sender, msg.recipient, msg.subject, msg.text_body,
                                                msg.html_body, files, msgid=msgid,
                                                unsubscribe=msg.unsubscribe_url))
    elif msg.channel == "chat":
        post(msg.recipient, mailer.chat_payload(msg.subject, msg.text_body, msg.link), allowed_hosts=hosts)
    else:
        raise mailer.DeliveryError(f"unknown channel {msg.channel}")


def backoff(settings: Settings, attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: doubling from the base, capped."""
    seconds = settings.outbox_backoff_seconds * 2 ** min(attempts - 1, 30)
    return timedelta(seconds=min(seconds, settings.outbox_backoff_max_seconds))


def gives_up(settings: Settings, attempts: int) -> bool:
    """Failed for good after this attempt: at least MAX_ATTEMPTS made, and the waits between them
    span at least RETRY_HOURS (so an outage of a day is retried through, never given up early)."""
    spanned = sum((backoff(settings, k) for k in range(1, attempts)), timedelta())
    return attempts >= settings.outbox_max_attempts and spanned >= timedelta(hours=settings.outbox_retry_hours)


def _finish(engine: Engine, message_id: int, now: datetime, settings: Settings, error: Exception | None) -> str:
    with Session(engine) as s:
        msg = s.get(_M, message_id)
        msg.locked_until = None
        if error is None:
            msg.status, msg.sent_at, msg.last_error = "sent", now, None
        elif isinstance(error, mailer.NoMailServer):
            msg.status, msg.last_error = "held", str(error)
        elif isinstance(error, mailer.RefusedURL):  # e.g. a URL stored before the rule: never contacted
            msg.status, msg.last_error = "failed", str(error)[:1000]
        else:
            msg.attempts += 1
            msg.last_error = str(error)[:1000]
            if gives_up(settings, msg.attempts):
                msg.status = "failed"
            else:
                msg.status, msg.next_attempt_at = "pending", now + backoff(settings, msg.attempts)
        s.add(msg)
        s.commit()
        return msg.status


def _deliver_inapp(engine: Engine, message_id: int, now: datetime) -> str:
    """The notification and the "sent" mark in one transaction: exactly once."""
    with Session(engine) as s:
        msg = s.get(_M, message_id)
        notify(s, msg.user_id, msg.kind, msg.subject, msg.text_body, msg.link, now=now, route=False)
        msg.status, msg.sent_at, msg.locked_until = "sent", now, None
        s.add(msg)
        s.commit()
        return "sent"


def deliver_due(engine: Engine, *, now: datetime | None = None, settings: Settings | None = None,
                limit: int = 200, send_email=mailer.send_email, post=mailer.post_webhook) -> Counter:
    """Deliver what is due (oldest first); returns how many ended in each status."""
    now = now or utcnow()
    settings = settings or get_settings()
    with Session(engine) as s:
        ids = list(s.exec(select(_M.id).where(_due(now)).order_by(_M.id).limit(limit)))
        hosts = platform_settings.webhook_hosts(s)
    outcome: Counter = Counter()
    for message_id in ids:
        if not _claim(engine, message_id, now):
            continue  # another run took it
        with Session(engine, expire_on_commit=False) as s:
            msg = s.get(_M, message_id)
        if msg.channel == "inapp":
            outcome[_deliver_inapp(engine, message_id, now)] += 1
            continue
        try:
            _send(engine, msg, settings, send_email, post, hosts)
            error = None
        except mailer.DeliveryError as exc:
            error = exc
        outcome[_finish(engine, message_id, now, settings, error)] += 1
    return outcome


# ---- the admin's Outbox page --------------------------------------------------------------------

@dataclass
class OutboxLine:
    id: int
    kind: str
    channel: str
    recipient: str
    period: str
    subject: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None


def list_messages(session: Session, actor_id: int | None, *, status: str = "", page: int = 0,
                  page_size: int = PAGE_SIZE) -> tuple[list[OutboxLine], int, dict[str, int]]:
    """A page of messages (newest first), the total, and the count per status."""
    require_role(session, actor_id, Role.ADMIN)
    if status and status not in STATUSES:
        raise DomainError("Choose a status from the list.", "status")
    offset, limit = page_bounds(page, page_size)
    where = [_M.status == status] if status else []
    total = session.exec(select(func.count()).select_from(_M).where(*where)).one()
    counts = dict(session.exec(select(_M.status, func.count()).group_by(_M.status)).all())
    stmt = select(_M).where(*where).order_by(_M.id.desc()).offset(offset).limit(limit)
    rows = [OutboxLine(m.id, m.kind, m.channel, m.recipient, m.period, m.subject, m.status, m.attempts,
                       m.last_error or "", m.created_at, m.sent_at) for m in session.exec(stmt)]
    return rows, int(total), {k: int(v) for k, v in counts.items()}


def get_message(session: Session, actor_id: int | None, message_id: int) -> tuple[OutboxMessage, list[str]]:
    """One message for the preview, and its attachments' names."""
    require_role(session, actor_id, Role.ADMIN)
    msg = session.get(_M, int(message_id or 0))
    if msg is None:
        raise NotFound("message")
    names = list(session.exec(select(OutboxAttachment.filename).where(OutboxAttachment.message_id == msg.id)))
    return msg, names


def resend(session: Session, actor_id: int | None, message_id: int, *, now: datetime | None = None) -> OutboxMessage:
    """Put a failed or held message back in the queue (attempts start again)."""
    admin = require_role(session, actor_id, Role.ADMIN)
    now = now or utcnow()
    msg = session.get(_M, int(message_id or 0))
    if msg is None:
        raise NotFound("message")
    if msg.status not in ("failed", "held"):
        raise DomainError(f"Only failed or held messages can be resent (this one is {msg.status}).")
    old = msg.status
    msg.status, msg.attempts, msg.next_attempt_at, msg.last_error = "pending", 0, now, None
    session.add(msg)
    audit.record(session, admin, "outbox.resend", "outbox", msg.id, f"resend {msg.kind} to {msg.recipient}",
                 before=old, after="pending", now=now)
    return msg


def resend_failed(session: Session, actor_id: int | None, data: dict, *, now: datetime | None = None,
                  settings: Settings | None = None) -> int:
    """Put every failed message created in a period (days From..To in the platform's time zone,
    inclusive) back in the queue, in one audited action; returns how many."""
    admin = require_role(session, actor_id, Role.ADMIN)
    settings = settings or get_settings()
    form = CollabForm(data)
    first, last = form.date("from_day", "From"), form.date("to_day", "To")
    if first and last and first > last:
        form.error("to_day", "To must be on or after From.")
    form.check()
    now = now or utcnow()
    start, end = _local_midnight(first, settings), _local_midnight(last + timedelta(days=1), settings)
    result = session.exec(sa.update(_M).where(_M.status == "failed", _M.created_at >= start, _M.created_at < end)
                          .values(status="pending", attempts=0, next_attempt_at=now, last_error=None,
                                  locked_until=None))
    count = int(result.rowcount)
    if not count:
        raise DomainError(f"No failed messages were created from {first} to {last}.", "from_day")
    audit.record(session, admin, "outbox.resend_failed", "outbox", None,
                 f"resend {count} failed message{'s' if count != 1 else ''} created {first} to {last}",
                 before="failed", after="pending", now=now)
    return count


def _local_midnight(day: date, settings: Settings) -> datetime:
    return zones.day_start(day, settings.timezone)
