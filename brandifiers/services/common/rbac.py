"""The one place that decides who may do what: role, account status and ownership."""

from __future__ import annotations

from sqlmodel import Session

from brandifiers.models import Role, User, UserStatus
from brandifiers.services.common.errors import NotFound, PermissionDenied


def load_actor(session: Session, user_id: int | None) -> User:
    """The acting user, fresh from the database (never trusted from the browser)."""
    if user_id is None:
        raise PermissionDenied("Please log in.")
    user = session.get(User, user_id)
    if user is None:
        raise PermissionDenied("Please log in.")
    return user


def require_role(session: Session, user_id: int | None, *roles: Role) -> User:
    """Load the actor and refuse unless it is active and has one of `roles`."""
    user = load_actor(session, user_id)
    if user.status != UserStatus.ACTIVE:
        raise PermissionDenied(status_notice(user))
    if roles and user.role not in {r.value for r in roles}:
        raise PermissionDenied()
    return user


def require_owner(obj, owner_field: str, actor: User, what: str = "item"):
    """Refuse unless `obj.<owner_field>` is the actor (admins pass). A missing obj is NotFound."""
    if obj is None:
        raise NotFound(what)
    if actor.role == Role.ADMIN:
        return obj
    if getattr(obj, owner_field) != actor.id:
        # Same message as a missing object: a foreign id reveals nothing.
        raise NotFound(what)
    return obj


def status_notice(user: User) -> str:
    if user.status == UserStatus.PENDING:
        return "Your account is awaiting approval by an administrator."
    if user.status == UserStatus.FLAGGED:
        reason = f" Reason: {user.status_reason}" if user.status_reason else ""
        return "Your account has been flagged by an administrator." + reason
    if user.status == UserStatus.DEACTIVATED:
        reason = f" Reason: {user.status_reason}" if user.status_reason else ""
        return "Your account has been deactivated." + reason
    return ""


def home_route(user: User) -> str:
    """Where a logged-in user belongs."""
    if user.status == UserStatus.PENDING:
        return "/awaiting-approval"
    if user.status != UserStatus.ACTIVE:
        return "/account-notice"
    return {Role.ADMIN.value: "/admin", Role.SPONSOR.value: "/sponsor"}.get(user.role, "/influencer")
