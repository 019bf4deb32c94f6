"""The daily digest: once a day per person, at their digest hour, one e-mail (and one chat message) listing
the notifications of the past day whose kinds they chose "in the daily digest"; through the outbox, so a
second run sends nothing. Raises nothing. Design: docs/notifications.md."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.config import Settings, get_settings
from brandifiers.models import Notification, Role, User
from brandifiers.services.common import channels, zones
from brandifiers.services.common.notify import message_body
from brandifiers.services.common.queue import enqueue

KIND = "notify.digest"
MAX_ITEMS = 50


def digest_moment(user: User, now: datetime, settings: Settings) -> datetime:
    """The person's latest digest time at or before `now` (UTC): the digest hour of their own time zone.
    The digest sent then covers everything since the one before it."""
    zone = zones.user_zone(user)
    day = now.astimezone(zone).date()
    moment = datetime.combine(day, time(settings.digest_hour), tzinfo=zone)
    if moment > now:
        moment = datetime.combine(day - timedelta(days=1), time(settings.digest_hour), tzinfo=zone)
    return moment.astimezone(UTC)


def run_digests(session: Session, *, now: datetime | None = None, settings: Settings | None = None) -> dict[str, int]:
    """Queue each person's digest whose time has come today (a second run queues nothing). Returns counts."""
    now = now or utcnow()
    settings = settings or get_settings()
    since = now - timedelta(days=2)  # a moment's window is the day before it: never older than this
    # whatever the account's status: a flagged or deactivated person is told why in their digest too
    notes = session.exec(select(Notification).join(User, User.id == Notification.user_id)
                         .where(Notification.created_at >= since, Notification.kind.in_(list(channels.BY_NOTE)),
                                User.role.in_([Role.SPONSOR.value, Role.INFLUENCER.value]))
                         .order_by(Notification.created_at, Notification.id)).all()
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for n in notes:
        by_user[n.user_id].append(n)
    counts: dict[str, int] = defaultdict(int)
    for user_id, mine in sorted(by_user.items()):
        user = session.get(User, user_id)
        end = digest_moment(user, now, settings)
        start = digest_moment(user, end - timedelta(microseconds=1), settings)  # 23 or 25 hours across DST
        window = [n for n in mine if start <= n.created_at < end]
        if window:
            for channel in _queue_one(session, user, window, end, now):
                counts[channel] += 1
    return dict(counts)


def _queue_one(session: Session, user: User, window: list[Notification], end: datetime, now: datetime) -> list[str]:
    """Queue the person's digest e-mail and chat message for the day that ends at `end`; the channels queued."""
    by_channel: dict[tuple[str, str], list[Notification]] = defaultdict(list)
    for note in window:
        for target in channels.targets(session, user, channels.BY_NOTE[note.kind], digest=True):
            by_channel[target].append(note)
    day = zones.local_day(end, zones.user_zone(user)).isoformat()
    queued = []
    for (channel, recipient), items in by_channel.items():
        shown = items[-MAX_ITEMS:]
        page = header = None
        if channel == "email":
            page, header = channels.unsubscribe_urls(session, user.id, channels.DIGEST)
        text, html = message_body(shown, user.role, page)
        more = len(items) - len(shown)
        if more:
            text += f"\n(and {more} earlier: see your notifications page)"
        n = len(items)
        if enqueue(session, kind=KIND, channel=channel, recipient=recipient, period=f"{day}/{user.id}",
                   subject=f"Your Brandifiers day: {n} notification{'s' if n != 1 else ''}", text=text,
                   html=html if channel == "email" else None, link=f"{get_settings().public_url}/notifications",
                   user_id=user.id, unsubscribe_url=header, now=now):
            queued.append(channel)
    return queued
