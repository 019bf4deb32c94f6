"""Sign-up, log-in with throttling, sessions and the first admin account."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.config import Settings, get_settings
from brandifiers.models import (
    CATEGORIES, InfluencerProfile, LoginThrottle, Platform, Role, SocialAccount, SponsorProfile,
    User, UserSession, UserStatus,
)
from brandifiers.services import audit
from brandifiers.services.errors import DomainError, ValidationFailed
from brandifiers.services.money import parse_cents
from brandifiers.services.passwords import hash_password, verify_password
from brandifiers.services.validation import Form, normalize_email

GENERIC_LOGIN_ERROR = "Wrong e-mail or password."
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


@dataclass
class LoginResult:
    user: User
    token: str


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _account_fields(form: Form) -> tuple[str, str]:
    email = form.email("email")
    password = form.password("password")
    if str(form.data.get("confirm") if "confirm" in form.data else password) != password:
        form.error("confirm", "The two passwords differ.")
    return email, password


def _create_account(session: Session, email: str, password: str, role: Role, status: UserStatus, profile,
                    summary: str, now: datetime | None) -> User:
    """Insert user + profile and audit it; a duplicate e-mail (also a double submit) is a field error."""
    now = now or utcnow()
    user = User(email=email, password_hash=hash_password(password), role=role.value, status=status.value,
                created_at=now)
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
                           f"sponsor {company} signed up (pending)", now)


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
                           f"influencer {display_name} signed up", now)
    session.add(SocialAccount(influencer_id=profile.id, platform=platform, handle=handle, followers=followers))
    return user


def _check_throttle(throttle: LoginThrottle | None, now: datetime) -> None:
    if throttle and throttle.locked_until and throttle.locked_until > now:
        minutes = max(1, int((throttle.locked_until - now).total_seconds() // 60) + 1)
        raise DomainError(
            f"Too many failed attempts. Log-in for this account is paused for {minutes} more minute"
            f"{'s' if minutes != 1 else ''}.", "password")


def _record_failure(session: Session, email: str, now: datetime, settings: Settings) -> None:
    throttle = session.get(LoginThrottle, email)
    window = timedelta(minutes=settings.login_window_minutes)
    if throttle is None:
        throttle = LoginThrottle(email=email, failures=0, window_start=now)
        session.add(throttle)
    if now - throttle.window_start > window:
        throttle.failures, throttle.window_start = 0, now
    throttle.failures += 1
    if throttle.failures >= settings.login_max_failures:
        throttle.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
        throttle.failures, throttle.window_start = 0, now


def login(session: Session, email: str, password: str, *, now: datetime | None = None) -> LoginResult:
    """Check the password and open a session. A failure is committed before it is raised."""
    settings = get_settings()
    now = now or utcnow()
    email = normalize_email(email)
    if not email:
        raise ValidationFailed({"email": "E-mail is required."})
    if not password:
        raise ValidationFailed({"password": "Password is required."})
    if len(email) > 254 or len(password) > 1024:
        raise DomainError(GENERIC_LOGIN_ERROR, "password")
    _check_throttle(session.get(LoginThrottle, email), now)
    user = session.exec(select(User).where(User.email == email)).first()
    ok, new_hash = verify_password(password, user.password_hash if user else None)
    if not ok or user is None:
        _record_failure(session, email, now, settings)
        session.commit()  # the failure must count even though we refuse
        raise DomainError(GENERIC_LOGIN_ERROR, "password")
    throttle = session.get(LoginThrottle, email)
    if throttle is not None:
        session.delete(throttle)
    if new_hash:
        user.password_hash = new_hash
    return LoginResult(user=user, token=start_session(session, user, now=now))


def start_session(session: Session, user: User, *, now: datetime | None = None) -> str:
    """Open a session for a user whose identity was just proven; returns the browser's token."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)  # 256 bits
    session.add(UserSession(user_id=user.id, token_hash=_hash_token(token), created_at=now,
                            expires_at=now + get_settings().session_lifetime))
    user.last_seen_at = now
    session.add(user)
    session.flush()
    return token


def resolve_session(session: Session, token: str | None, *, now: datetime | None = None) -> User | None:
    """The user behind a browser token, or None (unknown, expired, revoked)."""
    if not token:
        return None
    now = now or utcnow()
    row = session.exec(select(UserSession).where(UserSession.token_hash == _hash_token(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    if user is not None and (user.last_seen_at is None or now - user.last_seen_at > LAST_SEEN_RESOLUTION):
        user.last_seen_at = now
        session.add(user)
    return user


def logout(session: Session, token: str | None, *, now: datetime | None = None) -> None:
    if not token:
        return
    row = session.exec(select(UserSession).where(UserSession.token_hash == _hash_token(token))).first()
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
