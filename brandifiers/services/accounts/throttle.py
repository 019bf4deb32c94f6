"""Failed log-ins and request rates counted by key in one atomic upsert each; locks, the e-mail's
slow-down, recognised browsers, the admin's list of locks. Policy and reasons: docs/login-throttle.md."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.config import Settings, get_settings
from brandifiers.models import LoginDevice, LoginThrottle, User
from brandifiers.services.common.errors import DomainError

UNKNOWN_CLIENT = "unknown"
RATE_MESSAGE = "Too many requests from your network. Wait {wait} and try again."


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _client(client: str | None) -> str:
    return (client or "").strip()[:64] or UNKNOWN_CLIENT


def _wait_text(seconds: float) -> str:
    if seconds < 90:
        n = max(1, math.ceil(seconds))
        return f"{n} second{'s' if n != 1 else ''}"
    n = math.ceil(seconds / 60)
    return f"{n} minute{'s' if n != 1 else ''}"


def _bump(session: Session, key: str, kind: str, email: str | None, client: str | None, now: datetime,
          window: timedelta, limit: int | None, lock_for) -> int:
    """Count one more event on `key` in one statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING), so
    parallel events never lose a count; a count older than `window` starts again at 1. From `limit` on,
    the key is locked until now + lock_for(count) (never shortened). Returns the count."""
    table = LoginThrottle.__table__
    insert = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert
    stale = table.c.window_start < now - window
    stmt = insert(table).values(key=key, kind=kind, email=email, client=client, failures=1, window_start=now)
    stmt = stmt.on_conflict_do_update(index_elements=[table.c.key], set_={
        "failures": sa.case((stale, 1), else_=table.c.failures + 1),
        "window_start": sa.case((stale, now), else_=table.c.window_start)}).returning(table.c.failures)
    count = session.execute(stmt).scalar_one()
    if limit is not None and count >= limit:
        until = now + lock_for(count)
        session.execute(sa.update(table).where(table.c.key == key, sa.or_(
            table.c.locked_until.is_(None), table.c.locked_until < until)).values(locked_until=until))
    return count


def _locked(session: Session, keys: list[str], now: datetime) -> datetime | None:
    return session.exec(select(sa.func.max(LoginThrottle.locked_until)).where(
        LoginThrottle.key.in_(keys), LoginThrottle.locked_until > now)).first()


@dataclass(frozen=True)
class Attempt:
    """Who is trying: the e-mail, the client address and, when the browser proved it recently, its marker."""

    email: str
    client: str
    device_hash: str | None = None  # set only for a marker of this e-mail's account that has not expired

    def keys(self) -> dict[str, str]:
        if self.device_hash:
            return {"device": f"device:{self.device_hash}"}
        return {"pair": f"pair:{self.email}|{self.client}", "client": f"client:{self.client}",
                "email": f"email:{self.email}"}


def attempt(session: Session, email: str, client: str | None, device_hash: str | None = None,
            *, now: datetime | None = None) -> Attempt:
    """The attempt's keys: a browser marker (its SHA-256) counts only when it belongs to this e-mail and is fresh."""
    now = now or utcnow()
    known = None
    if device_hash:
        known = session.exec(select(LoginDevice.token_hash).join(User, User.id == LoginDevice.user_id).where(
            LoginDevice.token_hash == device_hash, LoginDevice.expires_at > now, User.email == email)).first()
    return Attempt(email=email, client=_client(client), device_hash=known)


def check(session: Session, who: Attempt, field: str, *, now: datetime | None = None) -> None:
    """Refuse (DomainError on `field`) while any of the attempt's keys is locked or slowed down."""
    now = now or utcnow()
    until = _locked(session, list(who.keys().values()), now)
    if until is not None:
        raise DomainError(f"Too many failed attempts. Try again in {_wait_text((until - now).total_seconds())}.",
                          field)


def record_failure(session: Session, who: Attempt, *, now: datetime | None = None,
                   settings: Settings | None = None) -> None:
    """Count a failed attempt on each of its keys (the caller commits, also when it then refuses)."""
    settings, now = settings or get_settings(), now or utcnow()
    window = timedelta(minutes=settings.login_window_minutes)
    lockout = timedelta(minutes=settings.login_lockout_minutes)
    keys = who.keys()
    if "device" in keys:
        _bump(session, keys["device"], "device", who.email, None, now, window, settings.login_max_failures,
              lambda n: lockout)
        return
    _bump(session, keys["pair"], "pair", who.email, who.client, now, window, settings.login_max_failures,
          lambda n: lockout)
    _bump(session, keys["client"], "client", None, who.client, now, window, settings.login_client_max_failures,
          lambda n: lockout)
    cap, first = settings.login_slowdown_max_seconds, settings.login_max_failures
    _bump(session, keys["email"], "email", who.email, None, now, window, first,
          lambda n: timedelta(seconds=min(cap, 2 ** max(0, n - first))))


def record_success(session: Session, who: Attempt) -> None:
    """The right password: the e-mail's own counters start again (the client address's does not)."""
    keys = who.keys()
    session.exec(sa.delete(LoginThrottle).where(LoginThrottle.key.in_(
        [keys[k] for k in ("pair", "email", "device") if k in keys])))


def remember_device(session: Session, user_id: int, device_hash: str | None, *, now: datetime | None = None,
                    settings: Settings | None = None) -> str | None:
    """After a successful log-in: renew the browser's marker for this account (None), or make a new one and
    return it raw, for the browser's localStorage (only its SHA-256 is stored)."""
    settings, now = settings or get_settings(), now or utcnow()
    expires = now + timedelta(days=settings.login_device_days)
    if device_hash:
        renewed = session.execute(sa.update(LoginDevice).where(
            LoginDevice.token_hash == device_hash, LoginDevice.user_id == user_id, LoginDevice.expires_at > now)
            .values(expires_at=expires).execution_options(synchronize_session=False)).rowcount
        if renewed:
            return None
    token = secrets.token_urlsafe(32)
    session.add(LoginDevice(token_hash=_digest(token), user_id=user_id, created_at=now, expires_at=expires))
    return token


def limit_requests(session: Session, action: str, client: str | None, *, now: datetime | None = None,
                   settings: Settings | None = None) -> None:
    """Count one `action` request of the client address; over its limit the count is committed and a
    DomainError (no field) says how long to wait, before the caller writes anything."""
    settings, now = settings or get_settings(), now or utcnow()
    limit = next(((n, m) for a, n, m in settings.request_limits if a == action), None)
    if limit is None:  # BRANDIFIERS_REQUEST_LIMITS=off
        return
    allowed, minutes = limit
    client = _client(client)
    window = timedelta(minutes=minutes)
    count = _bump(session, f"rate:{action}:{client}", "rate", None, client, now, window, None, None)
    if count > allowed:
        start = session.exec(select(LoginThrottle.window_start).where(
            LoginThrottle.key == f"rate:{action}:{client}")).one()
        session.commit()
        raise DomainError(RATE_MESSAGE.format(wait=_wait_text((start + window - now).total_seconds())))


@dataclass
class Lock:
    key: str
    kind: str
    email: str | None
    client: str | None
    failures: int
    locked_until: datetime


def current_locks(session: Session, *, now: datetime | None = None, limit: int = 200) -> list[Lock]:
    """Locks and slow-downs in force now, the longest first (for the admin's Users page)."""
    now = now or utcnow()
    rows = session.exec(select(LoginThrottle).where(LoginThrottle.locked_until > now)
                        .order_by(LoginThrottle.locked_until.desc(), LoginThrottle.key).limit(limit)).all()
    return [Lock(r.key, r.kind, r.email, r.client, r.failures, r.locked_until) for r in rows]


def lift(session: Session, key: str) -> LoginThrottle | None:
    """Delete one counter (its lock and its failures); returns what was deleted, or None."""
    row = session.get(LoginThrottle, key)
    if row is not None:
        session.delete(row)
    return row


def purge(session: Session, *, now: datetime | None = None, settings: Settings | None = None) -> dict:
    """Nightly: counters whose window and lock are both over, and browser markers that expired."""
    settings, now = settings or get_settings(), now or utcnow()
    oldest_window = max([settings.login_window_minutes, 60] + [m for _a, _n, m in settings.request_limits])
    done = session.exec(sa.delete(LoginThrottle).where(
        LoginThrottle.window_start < now - timedelta(minutes=oldest_window),
        sa.or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now)))
    devices = session.exec(sa.delete(LoginDevice).where(LoginDevice.expires_at <= now))
    return {"throttle_rows": done.rowcount, "devices": devices.rowcount}
