"""The daily reminder: who has something waiting (influencers and sponsors with answers due, inactive
influencers), told once per day in-app, by e-mail and by Google Chat through the outbox, at most three
days in a row until they come back; raises nothing. Design: docs/messaging.md."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape

import sqlalchemy as sa
from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.config import Settings, get_settings
from brandifiers.models import (
    OPEN,
    AdRequest,
    Campaign,
    InfluencerProfile,
    Offer,
    Role,
    SponsorProfile,
    User,
    UserStatus,
)
from brandifiers.models.jobs import OutboxMessage
from brandifiers.services.accounts import preferences
from brandifiers.services.common import channels, platform_settings, zones
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.notify import stop_line
from brandifiers.services.messaging import outbox

KIND = "reminder.daily"
MAX_UNANSWERED = 3  # reminders in a row without the person coming back (logging in or acting), then silence


@dataclass
class Waiting:
    user_id: int
    email: str
    role: str
    items: list[str] = field(default_factory=list)
    inactive_days: int | None = None
    time_zone: str = zones.DEFAULT_ZONE


def local_day(now: datetime, settings: Settings) -> str:
    """The date in the platform's time zone (the admins' chat digest's period)."""
    return zones.local_today(settings.timezone, now).isoformat()


def _latest_author_role():
    return (select(Offer.author_role).where(Offer.ad_request_id == AdRequest.id)
            .order_by(Offer.id.desc()).limit(1).correlate(AdRequest).scalar_subquery())


def who_is_waiting(session: Session, now: datetime, inactive_days: int) -> list[Waiting]:
    latest = _latest_author_role()
    stmt = (select(AdRequest.influencer_id, AdRequest.sponsor_id, latest, Campaign.name, AdRequest.payment_cents,
                   SponsorProfile.company_name, InfluencerProfile.display_name)
            .join(Campaign, Campaign.id == AdRequest.campaign_id)
            .outerjoin(SponsorProfile, SponsorProfile.user_id == AdRequest.sponsor_id)
            .outerjoin(InfluencerProfile, InfluencerProfile.user_id == AdRequest.influencer_id)
            .where(AdRequest.status.in_(OPEN), AdRequest.flagged.is_(False)).order_by(AdRequest.id))
    items: dict[int, list[str]] = defaultdict(list)
    for influencer_id, sponsor_id, author, campaign, cents, company, name in session.exec(stmt):
        if author == Role.INFLUENCER.value:
            items[sponsor_id].append(f"{name or 'An influencer'} on {campaign}: {format_cents(cents)}")
        else:
            items[influencer_id].append(f"{company or 'A sponsor'}, {campaign}: {format_cents(cents)}")
    cutoff = now - timedelta(days=inactive_days)
    inactive = select(User.id).where(
        User.role == Role.INFLUENCER.value, User.status == UserStatus.ACTIVE.value,
        sa.or_(User.last_seen_at < cutoff, sa.and_(User.last_seen_at.is_(None), User.created_at < cutoff)))
    quiet = set(session.exec(inactive))
    ids = set(items) | quiet
    users = {u.id: u for u in session.exec(select(User).where(User.id.in_(ids),
                                                              User.status == UserStatus.ACTIVE.value))}
    out = []
    for uid in sorted(users):
        u = users[uid]
        out.append(Waiting(u.id, u.email, u.role, items.get(uid, []), inactive_days if uid in quiet else None,
                           u.time_zone))
    return out


def _message(w: Waiting, settings: Settings) -> tuple[str, str, str, str]:
    """(subject, text, html, link) of one user's reminder."""
    link = f"{settings.public_url}/{w.role}/requests"
    n = len(w.items)
    subject = (f"{n} request{'s' if n != 1 else ''} wait{'s' if n == 1 else ''} for your answer" if n
               else "New campaigns are waiting for you")
    lines = [f"- {item}" for item in w.items[:20]] + ([f"- and {n - 20} more"] if n > 20 else [])
    if w.inactive_days and not n:
        lines.append(f"You have not visited Brandifiers for {w.inactive_days} days or more: "
                     "have a look at the open campaigns.")
    text = "\n".join(lines + ["", f"Open Brandifiers: {link}"])
    html = ("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in w.items[:20]) + "</ul>"
            + (f"<p>You have not visited for {w.inactive_days} days or more.</p>" if w.inactive_days and not n else "")
            + f'<p><a href="{link}">Open Brandifiers</a></p>')
    return subject, text, html, link


def unanswered(session: Session) -> dict[int, int]:
    """user id -> how many daily reminders reached them since they last came back: logged in or acted
    (User.last_seen_at, which every signed-in event refreshes; their sign-up when never seen)."""
    since = sa.func.coalesce(User.last_seen_at, User.created_at)
    stmt = (select(OutboxMessage.user_id, sa.func.count()).join(User, User.id == OutboxMessage.user_id)
            .where(OutboxMessage.kind == KIND, OutboxMessage.channel == "inapp", OutboxMessage.created_at > since)
            .group_by(OutboxMessage.user_id))
    return {uid: int(n) for uid, n in session.exec(stmt)}


def run_daily_reminders(session: Session, *, now: datetime | None = None, settings: Settings | None = None,
                        at: str | None = None) -> dict[str, int]:
    """Queue today's reminders, each person's keyed by their own local day (a second run the same day
    queues nothing), none for someone reminded MAX_UNANSWERED times since they last came back. `at`
    ("18:00"): only the people whose local time has reached it (the scheduler checks every few minutes);
    None: everyone now. Returns counts."""
    now = now or utcnow()
    settings = settings or get_settings()
    told = unanswered(session)
    waiting = [w for w in who_is_waiting(session, now, settings.inactive_days)
               if told.get(w.user_id, 0) < MAX_UNANSWERED]
    counts = defaultdict(int)
    for w in waiting:
        period = zones.due_day(w.time_zone, now, at) if at else zones.local_today(w.time_zone, now).isoformat()
        if period is None:
            continue
        subject, text, html, link = _message(w, settings)
        prefs = preferences.for_user(session, w.user_id)
        targets = [("inapp", str(w.user_id))]
        if not prefs.email_opt_out and channels.reminder_choice(session, w.user_id).email:
            targets.append(("email", w.email))
        if prefs.chat_webhook_url and not prefs.chat_opt_out:
            targets.append(("chat", prefs.chat_webhook_url))
        for channel, recipient in targets:
            body, rich, header = text, None, None
            if channel == "email":  # the one-click unsubscribe of the reminder alone
                page, header = channels.unsubscribe_urls(session, w.user_id, channels.REMINDER)
                stop_text, stop_html = stop_line(page)
                body, rich = f"{text}\n\n{stop_text}", html + stop_html
            if outbox.enqueue(session, kind=KIND, channel=channel, recipient=recipient, period=period, subject=subject,
                              text=body, html=rich, link=link, user_id=w.user_id, unsubscribe_url=header, now=now):
                counts[channel] += 1
    digest_url = platform_settings.get_text(session, platform_settings.CHAT_WEBHOOK_URL)
    day = zones.due_day(settings.timezone, now, at) if at else local_day(now, settings)
    if digest_url and waiting and day:  # the admins' summary: at the reminder time of the platform's zone
        by_role = defaultdict(int)
        for w in waiting:
            by_role[w.role] += 1
        text = ", ".join(f"{n} {role}{'s' if n != 1 else ''}" for role, n in sorted(by_role.items()))
        if outbox.enqueue(session, kind="reminder.digest", channel="chat", recipient=digest_url, period=day,
                          subject=f"Daily reminders sent {day}", text=f"Reminded: {text}.", now=now):
            counts["digest"] += 1
    return dict(counts)
