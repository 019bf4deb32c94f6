"""The account page: change one's password, list and sign out one's own sessions (never another person's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select, update

from brandifiers.clock import utcnow
from brandifiers.config import get_settings
from brandifiers.models import UserSession
from brandifiers.services.accounts import throttle
from brandifiers.services.accounts.auth import sign_out_other_sessions
from brandifiers.services.accounts.devices import UNKNOWN_DEVICE
from brandifiers.services.accounts.passwords import hash_password, verify_password
from brandifiers.services.common import audit
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.validation import Form

WRONG_CURRENT = "This is not your current password."
SESSION_GONE = "This session has already ended."


@dataclass(frozen=True)
class SessionLine:
    id: int
    device: str
    signed_in_at: datetime
    last_seen_at: datetime
    current: bool  # the session of the browser asking


def change_password(session: Session, actor_id: int | None, data: dict, keep_token_hash: str, *,
                    client: str | None = None, device_hash: str | None = None, now: datetime | None = None) -> int:
    """Set a new password (the sign-up rules) after checking the current one; every other session of the
    person ends, the one of `keep_token_hash` stays. A wrong current password counts as a failed log-in
    (the log-in throttle) and changes nothing else. Returns how many other sessions were signed out."""
    now = now or utcnow()
    actor = require_role(session, actor_id)
    form = Form(data)
    current = form.raw("current_password", "Current password")
    if not current and "current_password" not in form.errors:
        form.error("current_password", "Enter your current password.")
    password = form.password("new_password")
    if form.raw("confirm_password", "Confirmation") != password and "new_password" not in form.errors:
        form.error("confirm_password", "The two passwords differ.")
    form.check()
    who = throttle.attempt(session, actor.email, client, device_hash, now=now)
    throttle.check(session, who, "current_password", now=now)
    ok, _ = verify_password(current, actor.password_hash)
    if not ok:
        throttle.record_failure(session, who, now=now, settings=get_settings())
        session.commit()  # the failure must count even though we refuse
        raise DomainError(WRONG_CURRENT, "current_password")
    if current == password:
        raise DomainError("Choose a password different from the current one.", "new_password")
    throttle.record_success(session, who)
    actor.password_hash = hash_password(password)
    session.add(actor)
    ended = sign_out_other_sessions(session, actor.id, keep_token_hash or None, now=now)
    audit.record(session, actor, "user.password_changed", "user", actor.id,
                 f"{actor.email} changed their password; {ended} other session{'s' if ended != 1 else ''} "
                 "signed out", now=now)
    return ended


def _open(user_id: int, now: datetime) -> list:
    return [UserSession.user_id == user_id, UserSession.revoked_at.is_(None), UserSession.expires_at > now]


def list_sessions(session: Session, actor_id: int | None, current_token_hash: str, *,
                  now: datetime | None = None) -> list[SessionLine]:
    """The actor's open sessions, this browser's first, then the most recently seen."""
    now = now or utcnow()
    actor = require_role(session, actor_id)
    rows = session.exec(select(UserSession).where(*_open(actor.id, now))).all()
    lines = [SessionLine(id=r.id, device=r.device or UNKNOWN_DEVICE, signed_in_at=r.created_at,
                         last_seen_at=r.last_seen_at or r.created_at, current=r.token_hash == current_token_hash)
             for r in rows]
    return sorted(lines, key=lambda s: (not s.current, -s.last_seen_at.timestamp(), -s.id))


def sign_out_session(session: Session, actor_id: int | None, session_id: int, current_token_hash: str, *,
                     now: datetime | None = None) -> None:
    """End one of the actor's own other sessions (its next event finds itself logged out). Another person's
    session is refused like a missing one; this browser's own uses Log out."""
    now = now or utcnow()
    actor = require_role(session, actor_id)
    ended = session.exec(update(UserSession).where(
        UserSession.id == session_id, UserSession.token_hash != current_token_hash, *_open(actor.id, now))
        .values(revoked_at=now).execution_options(synchronize_session=False)).rowcount
    if ended != 1:
        raise DomainError(SESSION_GONE)
    audit.record(session, actor, "user.session_signed_out", "user", actor.id,
                 f"{actor.email} signed out one of their other sessions", now=now)


def sign_out_others(session: Session, actor_id: int | None, current_token_hash: str, *,
                    now: datetime | None = None) -> int:
    """End every session of the actor but this browser's; returns how many."""
    now = now or utcnow()
    actor = require_role(session, actor_id)
    ended = sign_out_other_sessions(session, actor.id, current_token_hash or None, now=now)
    if ended:
        audit.record(session, actor, "user.sessions_signed_out", "user", actor.id,
                     f"{actor.email} signed out {ended} other session{'s' if ended != 1 else ''}", now=now)
    return ended
