"""Sign-up, log-in with throttling, sessions and the first admin account."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete as sa_delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select, update

from brandifiers.clock import utcnow
from brandifiers.config import Settings, get_settings
from brandifiers.models import (
    CATEGORIES,
    AccountToken,
    InfluencerProfile,
    PasswordResetCode,
    Platform,
    Role,
    SocialAccount,
    SponsorProfile,
    User,
    UserSession,
    UserStatus,
)
from brandifiers.services.accounts import throttle
from brandifiers.services.accounts.devices import device_label
from brandifiers.services.accounts.passwords import hash_password, verify_password
from brandifiers.services.common import audit, parse, zones
from brandifiers.services.common.errors import DomainError, ValidationFailed
from brandifiers.services.common.money import parse_cents
from brandifiers.services.common.validation import Form, normalize_email

GENERIC_LOGIN_ERROR = "Wrong e-mail or password."
GENERIC_RESET_ERROR = ("This reset code is not valid for this e-mail: it may be mistyped, expired or already used. "
                       "Ask an administrator for a new one.")
RESET_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or typed without doubt
RESET_CODE_LENGTH = 10
RESET_CODE_LIFETIME = timedelta(hours=24)
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


@dataclass
class LoginResult:
    user: User
    token: str
    device_token: str | None = None  # a new marker for the browser (None: its marker was renewed)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _account_fields(form: Form) -> tuple[str, str]:
    email = form.email("email")
    password = form.password("password")
    if str(form.data.get("confirm") if "confirm" in form.data else password) != password:
        form.error("confirm", "The two passwords differ.")
    return email, password


def _create_account(session: Session, email: str, password: str, role: Role, status: UserStatus, profile,
                    summary: str, now: datetime | None, time_zone=None) -> User:
    """Insert user + profile and audit it; a duplicate e-mail (also a double submit) is a field error."""
    now = now or utcnow()
    user = User(email=email, password_hash=hash_password(password), role=role.value, status=status.value,
                created_at=now, time_zone=zones.guess_zone(time_zone))
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise ValidationFailed({"email": "This e-mail is already registered. Log in instead."})
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
            profile.user_id = user.id
            session.add(profile)
            session.flush()
    except IntegrityError:
        raise ValidationFailed({"email": "This e-mail is already registered. Log in instead."}) from None
    audit.record(session, user, "user.signup", "user", user.id, summary, now=now)
    return user


def signup_sponsor(session: Session, data: dict, *, now: datetime | None = None) -> User:
    form = Form(data)
    email, password = _account_fields(form)
    company = form.text("company_name", "Company name", max_len=120)
    industry = form.text("industry", "Industry", max_len=60)
    website = form.text("website", "Website", max_len=200, required=False)
    if website and not website.startswith(("http://", "https://")):
        website = "https://" + website
    budget = 0
    try:
        budget = parse_cents(data.get("yearly_budget"), "yearly_budget", required=False) or 0
    except DomainError as exc:
        form.error("yearly_budget", exc.message)
    form.check()
    profile = SponsorProfile(user_id=0, company_name=company, industry=industry,
                             website=website or None, yearly_budget_cents=budget)
    return _create_account(session, email, password, Role.SPONSOR, UserStatus.PENDING, profile,
                           f"sponsor {company} signed up (pending)", now, data.get(zones.FIELD))


def signup_influencer(session: Session, data: dict, *, now: datetime | None = None) -> User:
    form = Form(data)
    email, password = _account_fields(form)
    display_name = form.text("display_name", "Display name", max_len=80)
    category = form.choice("category", "Category", CATEGORIES)
    niche = form.text("niche", "Niche", max_len=80, required=False)
    platform = form.choice("platform", "Platform", [p.value for p in Platform])
    handle = form.text("handle", "Handle", max_len=80).lstrip("@")
    followers = form.count("followers", "Followers")
    form.check()
    profile = InfluencerProfile(user_id=0, display_name=display_name, category=category,
                                niche=niche or None, total_followers=followers)
    user = _create_account(session, email, password, Role.INFLUENCER, UserStatus.ACTIVE, profile,
                           f"influencer {display_name} signed up", now, data.get(zones.FIELD))
    session.add(SocialAccount(influencer_id=profile.id, platform=platform, handle=handle, followers=followers))
    return user


def login(session: Session, email: str, password: str, *, client: str | None = None, device_hash: str | None = None,
          user_agent: str | None = None, now: datetime | None = None) -> LoginResult:
    """Check the password and open a session. A failure is committed before it is raised.
    `client`: the client address; `device_hash`: token_digest of the browser's marker from an earlier log-in;
    `user_agent`: the browser's header (the session's readable device)."""
    settings = get_settings()
    now = now or utcnow()
    email = normalize_email(parse.text(email, "email", "E-mail"))
    password = parse.text(password, "password", "Password")
    if not email:
        raise ValidationFailed({"email": "E-mail is required."})
    if not password:
        raise ValidationFailed({"password": "Password is required."})
    if len(email) > 254 or len(password) > 1024:
        raise DomainError(GENERIC_LOGIN_ERROR, "password")
    who = throttle.attempt(session, email, client, device_hash, now=now)
    throttle.check(session, who, "password", now=now)
    user = session.exec(select(User).where(User.email == email)).first()
    ok, new_hash = verify_password(password, user.password_hash if user else None)
    if not ok or user is None:
        throttle.record_failure(session, who, now=now, settings=settings)
        session.commit()  # the failure must count even though we refuse
        raise DomainError(GENERIC_LOGIN_ERROR, "password")
    throttle.record_success(session, who)
    if new_hash:
        user.password_hash = new_hash
    device = throttle.remember_device(session, user.id, device_hash, now=now, settings=settings)
    return LoginResult(user=user, token=start_session(session, user, user_agent=user_agent, now=now),
                       device_token=device)


def start_session(session: Session, user: User, *, user_agent: str | None = None, now: datetime | None = None) -> str:
    """Open a session for a user whose identity was just proven; returns the browser's token."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)  # 256 bits
    session.add(UserSession(user_id=user.id, token_hash=_hash_token(token), created_at=now,
                            expires_at=now + get_settings().session_lifetime, device=device_label(user_agent),
                            last_seen_at=now))
    user.last_seen_at = now
    session.add(user)
    session.flush()
    return token


def token_digest(token: str | None) -> str:
    """The stored form of a browser token or marker (SHA-256); "" for none. Server-side state keeps only this."""
    return _hash_token(token) if token else ""


def resolve_session(session: Session, token: str | None, *, now: datetime | None = None) -> User | None:
    """The user behind a browser token, or None (unknown, expired, revoked)."""
    return resolve_digest(session, token_digest(token), now=now)


def resolve_digest(session: Session, digest: str | None, *, now: datetime | None = None) -> User | None:
    """The user behind a token's SHA-256 (token_digest), or None."""
    if not digest:
        return None
    now = now or utcnow()
    # one indexed join per event (the user lands in the session's identity map for the role checks)
    row = session.exec(select(User, UserSession.revoked_at, UserSession.expires_at, UserSession.id,
                              UserSession.last_seen_at)
                       .join(UserSession, UserSession.user_id == User.id)
                       .where(UserSession.token_hash == digest)).first()
    if row is None or row[1] is not None or row[2] <= now:
        return None
    user, session_id, session_seen = row[0], row[3], row[4]
    if session_seen is None or now - session_seen > LAST_SEEN_RESOLUTION:  # a write every few minutes at most
        session.exec(update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now)
                     .execution_options(synchronize_session=False))
    if user is not None and (user.last_seen_at is None or now - user.last_seen_at > LAST_SEEN_RESOLUTION):
        user.last_seen_at = now
        session.add(user)
    return user


def sign_out_other_sessions(session: Session, user_id: int, keep_token_hash: str | None = None, *,
                            now: datetime | None = None) -> int:
    """End every open session of a user but the one whose token_digest is `keep_token_hash` (none kept when
    None): each is logged out at its next event. Returns how many were ended."""
    query = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    if keep_token_hash:
        query = query.where(UserSession.token_hash != keep_token_hash)
    result = session.exec(query.values(revoked_at=now or utcnow()).execution_options(synchronize_session=False))
    return result.rowcount


def revoke_sessions(session: Session, user_id: int, *, now: datetime | None = None) -> int:
    """End every open session of a user (they are logged out at their next event); returns how many."""
    return sign_out_other_sessions(session, user_id, None, now=now)


def new_reset_code() -> tuple[str, str]:
    """(code as shown, its SHA-256): 10 characters of an unambiguous alphabet (50 bits)."""
    code = "".join(secrets.choice(RESET_CODE_ALPHABET) for _ in range(RESET_CODE_LENGTH))
    return f"{code[:5]}-{code[5:]}", reset_code_hash(code)


def reset_code_hash(code: str) -> str:
    """The stored form of a code: typed case, spaces and dashes do not matter."""
    return _hash_token("".join(ch for ch in (code or "").upper() if ch.isalnum()))


def reset_password_with_code(session: Session, email: str, code: str, new_password: str,
                             confirm: str | None = None, *, client: str | None = None,
                             now: datetime | None = None) -> User:
    """Set a new password with a one-time code made by an admin.

    Wrong, expired and used codes (and unknown e-mails) get one generic message, count as a
    failed log-in attempt for the e-mail (the log-in throttle) and change nothing else."""
    settings = get_settings()
    now = now or utcnow()
    form = Form({"email": email, "password": new_password, "confirm": new_password if confirm is None else confirm,
                 "code": code})
    email, password = _account_fields(form)
    if not form.raw("code", "The reset code").strip():
        form.error("code", "Enter the reset code you were given.")
    form.check()
    who = throttle.attempt(session, email, client, now=now)
    throttle.check(session, who, "code", now=now)
    user = session.exec(select(User).where(User.email == email)).first()
    row = None
    if user is not None and len(code) <= 64:
        row = session.exec(select(PasswordResetCode).where(
            PasswordResetCode.code_hash == reset_code_hash(code), PasswordResetCode.user_id == user.id,
            PasswordResetCode.used_at.is_(None), PasswordResetCode.expires_at > now)).first()
    # Mark it used in one statement: of two simultaneous uses of one code, only one wins.
    if row is None or session.exec(update(PasswordResetCode).where(
            PasswordResetCode.id == row.id, PasswordResetCode.used_at.is_(None))
            .values(used_at=now).execution_options(synchronize_session=False)).rowcount != 1:
        throttle.record_failure(session, who, now=now, settings=settings)
        session.commit()  # the failure must count even though we refuse
        raise DomainError(GENERIC_RESET_ERROR, "code")
    user.password_hash = hash_password(password)
    session.add(user)
    revoke_sessions(session, user.id, now=now)
    throttle.record_success(session, who)
    audit.record(session, user, "user.password_reset", "user", user.id,
                 f"{user.email} set a new password with a reset code", now=now)
    return user


def logout(session: Session, token: str | None = None, *, digest: str | None = None,
           now: datetime | None = None) -> None:
    """Revoke the session of a token (or of its token_digest)."""
    digest = digest or token_digest(token)
    if not digest:
        return
    row = session.exec(select(UserSession).where(UserSession.token_hash == digest)).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = now or utcnow()
        session.add(row)


def ensure_admin(session: Session, *, settings: Settings | None = None) -> tuple[str, str | None] | None:
    """Create the first admin if there is none.

    Returns (email, password) when an account was created with a generated password
    (the caller prints it once), (email, None) when created from the environment,
    and None when an admin already exists.
    """
    settings = settings or get_settings()
    if session.exec(select(User.id).where(User.role == Role.ADMIN.value)).first() is not None:
        return None
    email = normalize_email(settings.admin_email or "admin@brandifiers.local")
    generated = settings.admin_password is None
    password = settings.admin_password or secrets.token_urlsafe(12)
    admin = User(email=email, password_hash=hash_password(password), role=Role.ADMIN.value,
                 status=UserStatus.ACTIVE.value)
    session.add(admin)
    session.flush()
    audit.record(session, None, "user.admin_created", "user", admin.id, f"first admin {email} created")
    return (email, password if generated else None)


def purge_expired(session: Session, *, now: datetime | None = None) -> dict:
    """Nightly housekeeping: ended sessions (expired or revoked), used or expired reset codes and e-mailed
    links, finished throttle counters and expired browser markers. Nothing deleted here can still grant or
    lock anything."""
    now = now or utcnow()
    sessions = session.exec(sa_delete(UserSession).where(
        (UserSession.expires_at <= now) | UserSession.revoked_at.is_not(None)))
    codes = session.exec(sa_delete(PasswordResetCode).where(
        PasswordResetCode.used_at.is_not(None) | (PasswordResetCode.expires_at <= now)))
    links = session.exec(sa_delete(AccountToken).where(
        AccountToken.used_at.is_not(None) | (AccountToken.expires_at <= now)))
    return {"sessions": sessions.rowcount, "reset_codes": codes.rowcount, "links": links.rowcount,
            **throttle.purge(session, now=now)}
