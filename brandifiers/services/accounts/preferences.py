"""A user's delivery preferences: e-mail and chat opt-outs and an own chat webhook URL."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from brandifiers.clock import utcnow
from brandifiers.models import Role
from brandifiers.models.jobs import UserPreference
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
    prefs = session.get(UserPreference, actor.id) or UserPreference(user_id=actor.id)
    prefs.email_opt_out = _checked(data.get("email_opt_out"))
    prefs.chat_opt_out = _checked(data.get("chat_opt_out"))
    prefs.chat_webhook_url = url or None
    prefs.updated_at = now or utcnow()
    session.add(prefs)
    return prefs


def _checked(value) -> bool:
    return value in (True, "on", "true", "1", 1)
