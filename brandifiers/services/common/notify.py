"""In-app notifications: written by the domains (`notify`, the one place every notification passes
through, which also queues the person's immediate e-mail and chat copies), read by their owner only
(the bell, the notifications page: history paged, unread / kind filters, mark read, the link)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.config import get_settings
from brandifiers.models import Notification, Role, User
from brandifiers.services.common import channels, live
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.common.filters import page_bounds
from brandifiers.services.common.queue import enqueue
from brandifiers.services.common.rbac import require_role

PAGE_SIZE = 20
# kind prefix (before the dot) -> the words of the page's kind filter
KINDS = {"request": "Ad requests", "campaign": "Campaigns", "account": "Your account", "reminder": "Reminders"}
# where a notification stored without a link leads, by kind prefix ({role}: the owner's role)
_DERIVED_LINKS = {"account": "/{role}/profile", "campaign": "/{role}/campaigns", "request": "/{role}/requests",
                  "reminder": "/{role}/requests"}
_PROFILE_ROLES = {Role.SPONSOR.value, Role.INFLUENCER.value}  # admins have no profile/campaigns/requests pages


def notify(
    session: Session, user_id: int, kind: str, title: str, body: str = "", link: str | None = None,
    *, now: datetime | None = None, route: bool = True,
) -> Notification:
    """Write the in-app notification and, with `route`, queue what the person chose to get at once by
    e-mail or chat (route=False: the sender queued the other channels itself, e.g. the outbox's in-app rows)."""
    note = Notification(user_id=user_id, kind=kind, title=title[:200], body=body[:2000], link=link,
                        created_at=now or utcnow())
    session.add(note)
    live.signal_after_commit(session, [user_id])  # the person's open tabs refresh once this commits
    if route:
        route_now(session, note)
    return note


def route_now(session: Session, note: Notification) -> None:
    """Queue the e-mail and chat copies of `note` its owner wants at once (the digest job takes the rest);
    one outbox row per (note, channel): a retry or a second call never sends twice."""
    kind, user = channels.BY_NOTE.get(note.kind), session.get(User, note.user_id)
    if kind is None or user is None:
        return
    wanted = channels.targets(session, user, kind, digest=False)
    if not wanted:
        return
    session.flush()  # the note's id names the messages
    link = absolute_link(link_for(note, user.role))
    for channel, recipient in wanted:
        page = header = None
        if channel == "email":
            page, header = channels.unsubscribe_urls(session, user.id, kind.key)
        text, html = message_body([note], user.role, page)
        enqueue(session, kind=note.kind, channel=channel, recipient=recipient, period=f"note-{note.id}",
                subject=note.title, text=text, html=html if channel == "email" else None, link=link or None,
                user_id=user.id, unsubscribe_url=header, now=note.created_at)


def absolute_link(link: str) -> str:
    return f"{get_settings().public_url}{link}" if link.startswith("/") else link


def message_body(notes: list[Notification], role: str, unsubscribe_page: str | None) -> tuple[str, str]:
    """(text, html) of an e-mail or chat message about `notes` (one, or a digest's): each title, body
    and link to the thing, then the unsubscribe line."""
    bullet = "- " if len(notes) > 1 else ""
    text_lines, html_parts = [], []
    for n in notes:
        where = absolute_link(link_for(n, role))
        text_lines += [f"{bullet}{n.title}"] + ([f"  {n.body}"] if n.body else [])
        text_lines += [f"  Open it: {where}"] if where else []
        html_parts.append(f"<p><strong>{escape(n.title)}</strong>" + (f"<br>{escape(n.body)}" if n.body else "")
                          + (f'<br><a href="{escape(where)}">Open it</a>' if where else "") + "</p>")
    if unsubscribe_page:
        text, html = stop_line(unsubscribe_page)
        text_lines += ["", text]
        html_parts.append(html)
    return "\n".join(text_lines), "".join(html_parts)


def stop_line(unsubscribe_page: str) -> tuple[str, str]:
    """(text, html) of an e-mail's unsubscribe line, linking to the page channels.unsubscribe_urls gives."""
    return (f"Stop these e-mails: {unsubscribe_page}",
            f'<p style="color:#666;font-size:12px"><a href="{escape(unsubscribe_page)}">Stop these e-mails</a></p>')


def link_for(note: Notification, role: str) -> str:
    """The page that opens what `note` is about: its stored link, else one derived from its kind
    ("" when there is none, e.g. an admin's account notice)."""
    if note.link:
        return note.link
    pattern = _DERIVED_LINKS.get(note.kind.split(".", 1)[0])
    return pattern.format(role=role) if pattern and role in _PROFILE_ROLES else ""


def kind_label(kind: str) -> str:
    return KINDS.get(kind.split(".", 1)[0], "Other")


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


# ---- the notifications page (any active role; only the actor's own rows) ---------------------------

@dataclass
class NoteLine:
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    link: str
    created_at: datetime
    unread: bool


def _member(session: Session, actor_id: int | None) -> User:
    return require_role(session, actor_id, Role.ADMIN, Role.SPONSOR, Role.INFLUENCER)


def history(session: Session, actor_id: int | None, *, unread_only: bool = False, kind: str = "", page: int = 0,
            page_size: int = PAGE_SIZE) -> tuple[list[NoteLine], int]:
    """A page of the actor's notifications (newest first) and how many match the filters.
    kind: "" (all) or a key of KINDS."""
    actor = _member(session, actor_id)
    if kind and kind not in KINDS:
        raise DomainError("Choose a kind from the list.", "kind")
    offset, limit = page_bounds(page, page_size)
    where = [Notification.user_id == actor.id]
    if unread_only:
        where.append(Notification.read_at.is_(None))
    if kind:
        where.append(Notification.kind.startswith(kind + ".", autoescape=True))
    total = session.exec(select(func.count()).select_from(Notification).where(*where)).one()
    stmt = (select(Notification).where(*where).order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset(offset).limit(limit))
    rows = [NoteLine(n.id, n.kind, kind_label(n.kind), n.title, n.body, link_for(n, actor.role), n.created_at,
                     n.read_at is None) for n in session.exec(stmt)]
    return rows, int(total)


def mark_read(session: Session, actor_id: int | None, notification_id: int, *,
              now: datetime | None = None) -> NoteLine:
    """Mark one of the actor's own notifications read (someone else's id: NotFound, as a missing one)."""
    actor = _member(session, actor_id)
    note_id = int(notification_id or 0)
    # the id column is 32-bit on PostgreSQL: a larger id is "no row", not an overflow error
    note = session.get(Notification, note_id) if 0 < note_id < 2**31 else None
    if note is None or note.user_id != actor.id:
        raise NotFound("notification")
    if note.read_at is None:
        note.read_at = now or utcnow()
        session.add(note)
    return NoteLine(note.id, note.kind, kind_label(note.kind), note.title, note.body, link_for(note, actor.role),
                    note.created_at, False)


def mark_all_mine_read(session: Session, actor_id: int | None, *, now: datetime | None = None) -> int:
    return mark_all_read(session, _member(session, actor_id).id, now=now)
