"""A user's delivery preferences: e-mail and chat opt-outs, an own chat webhook URL, and per kind of
notification e-mail / chat and immediate / daily digest (services/common/channels.py). Raises DomainError."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from brandifiers.clock import utcnow
from brandifiers.models import Role
from brandifiers.models.jobs import UserPreference
from brandifiers.services.common import channels
from brandifiers.services.common.platform_settings import check_webhook_url
from brandifiers.services.common.rbac import require_role


def for_user(session: Session, user_id: int) -> UserPreference:
    """The stored preferences, or the defaults (not saved)."""
    return session.get(UserPreference, user_id) or UserPreference(user_id=user_id)


def get_mine(session: Session, actor_id: int | None) -> UserPreference:
    actor = require_role(session, actor_id, Role.SPONSOR, Role.INFLUENCER, Role.ADMIN)
    return for_user(session, actor.id)


def save_mine(session: Session, actor_id: int | None, data: dict, *, now: datetime | None = None) -> UserPreference:
    """Save the actor's own preferences (there is no way to name another user)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.INFLUENCER, Role.ADMIN)
    url = check_webhook_url(session, data.get("chat_webhook_url"), "chat_webhook_url")
    chosen = channels.parse_choices(data, actor.role, bool(url))
    prefs = session.get(UserPreference, actor.id) or UserPreference(user_id=actor.id)
    prefs.email_opt_out = _checked(data.get("email_opt_out"))
    prefs.chat_opt_out = _checked(data.get("chat_opt_out"))
    prefs.chat_webhook_url = url or None
    prefs.updated_at = now or utcnow()
    session.add(prefs)
    channels.store(session, actor.id, chosen, now=prefs.updated_at)
    return prefs


def my_choices(session: Session, actor_id: int | None) -> list[tuple[channels.Kind, channels.Choice]]:
    """The kinds the actor's role receives, each with the actor's choice (or the default)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.INFLUENCER, Role.ADMIN)
    mine = channels.choices(session, actor.id, actor.role)
    return [(k, mine[k.key]) for k in channels.kinds_for(actor.role)]


def my_reminder(session: Session, actor_id: int | None) -> channels.Choice:
    """Whether the actor's daily reminder comes by e-mail (the box beside the kinds table)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.INFLUENCER, Role.ADMIN)
    return channels.reminder_choice(session, actor.id)


def _checked(value) -> bool:
    return value in (True, "on", "true", "1", 1)


def unsubscribe(session: Session, token: str, *, now: datetime | None = None) -> str:
    """A one-click unsubscribe (no log-in: the signed token names the person and the kind)."""
    return channels.unsubscribe(session, token, now=now)
