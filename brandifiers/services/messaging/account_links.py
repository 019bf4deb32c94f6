"""Single-use links sent by e-mail through the outbox: password reset, address verification and e-mail
change (one table, a purpose each; only the SHA-256 is stored; a new link voids the older ones). In
messaging because every link is a mail (accounts never import messaging). Design: docs/email-links.md."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from html import escape

from sqlmodel import Session, func, select, update

from brandifiers.clock import utcnow
from brandifiers.config import Settings, get_settings
from brandifiers.models import AccountToken, Role, User
from brandifiers.services.accounts import throttle
from brandifiers.services.accounts.auth import revoke_sessions, token_digest
from brandifiers.services.accounts.passwords import hash_password
from brandifiers.services.common import audit
from brandifiers.services.common.errors import DomainError, ValidationFailed
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.validation import Form, normalize_email
from brandifiers.services.messaging import outbox

RESET, VERIFY, EMAIL_CHANGE = "reset", "verify", "email_change"
LIFETIME = {RESET: timedelta(hours=1), VERIFY: timedelta(days=7), EMAIL_CHANGE: timedelta(hours=24)}
ROUTE = {RESET: "/new-password", VERIFY: "/verify-email", EMAIL_CHANGE: "/verify-email"}
RESET_MAILS_PER_HOUR = 3  # to one address, whoever asks: the rest are dropped silently
RESET_SENT = ("If an account uses this address, we sent it a link to set a new password. "
              "The link works once, for one hour.")
BAD_LINK = "This link is not valid any more: it may be used, expired or replaced by a newer one."


def _issue(session: Session, user: User, purpose: str, email: str, now: datetime) -> tuple[AccountToken, str]:
    """A new link of `purpose` for `user`, sent to `email`; the older unused ones of that purpose are void."""
    session.exec(update(AccountToken).where(AccountToken.user_id == user.id, AccountToken.purpose == purpose,
                                            AccountToken.used_at.is_(None))
                 .values(used_at=now).execution_options(synchronize_session=False))
    raw = secrets.token_urlsafe(32)  # 256 bits
    row = AccountToken(user_id=user.id, purpose=purpose, token_hash=token_digest(raw), email=email,
                       created_at=now, expires_at=now + LIFETIME[purpose])
    session.add(row)
    session.flush()
    return row, raw


def _find(session: Session, raw: str, purposes: tuple[str, ...], now: datetime) -> AccountToken | None:
    if not raw or len(raw) > 128:
        return None
    return session.exec(select(AccountToken).where(
        AccountToken.token_hash == token_digest(raw), AccountToken.purpose.in_(purposes),
        AccountToken.used_at.is_(None), AccountToken.expires_at > now)).first()


def _consume(session: Session, raw: str, purposes: tuple[str, ...], now: datetime) -> AccountToken:
    """Mark the link used in one statement (of two simultaneous uses only one wins); DomainError otherwise."""
    row = _find(session, raw, purposes, now)
    if row is None or session.exec(update(AccountToken).where(
            AccountToken.id == row.id, AccountToken.used_at.is_(None))
            .values(used_at=now).execution_options(synchronize_session=False)).rowcount != 1:
        raise DomainError(BAD_LINK)
    return row


def link_is_valid(session: Session, raw: str, purpose: str, *, now: datetime | None = None) -> bool:
    return _find(session, raw, (purpose,), now or utcnow()) is not None


def _mail(session: Session, row: AccountToken, raw: str | None, subject: str, lines: list[str], action: str,
          settings: Settings, now: datetime, recipient: str | None = None) -> None:
    """Queue one account e-mail (never opted out of: it is the account itself)."""
    link = f"{settings.public_url}{ROUTE[row.purpose]}?token={raw}" if raw else f"{settings.public_url}/login"
    text = "\n\n".join(["Hello,", *lines, f"{action}: {link}", "Brandifiers"])
    html = "".join([f"<p>{escape(line)}</p>" for line in ["Hello,", *lines]]
                   + [f'<p><a href="{link}">{escape(action)}</a></p>'])
    outbox.enqueue(session, kind=f"account.{row.purpose}", channel="email", recipient=recipient or row.email,
                   period=f"token-{row.id}", subject=subject, text=text, html=html, link=link, user_id=row.user_id,
                   now=now)


# ---- password reset ------------------------------------------------------------------------------

def request_reset(session: Session, email: str, *, client: str | None = None, now: datetime | None = None,
                  settings: Settings | None = None) -> str:
    """"Forgot password?": mail a reset link if the address has an account. The answer (RESET_SENT) is the
    same either way; the per-address request rate applies first (its refusal does not depend on the address)."""
    settings, now = settings or get_settings(), now or utcnow()
    form = Form({"email": email})
    email = form.email("email")
    form.check()
    throttle.limit_requests(session, "reset", client, now=now, settings=settings)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        return RESET_SENT
    recent = session.exec(select(func.count()).select_from(AccountToken).where(
        AccountToken.user_id == user.id, AccountToken.purpose == RESET,
        AccountToken.created_at > now - timedelta(hours=1))).one()
    if recent >= RESET_MAILS_PER_HOUR:
        return RESET_SENT
    row, raw = _issue(session, user, RESET, user.email, now)
    _mail(session, row, raw, "Set a new Brandifiers password",
          ["Someone (we hope you) asked to set a new password for your Brandifiers account.",
           "The link works once, for one hour. If you did not ask, ignore this e-mail: your password stays."],
          "Set a new password", settings, now)
    return RESET_SENT


def reset_with_link(session: Session, raw: str, password: str, confirm: str, *, client: str | None = None,
                    now: datetime | None = None, settings: Settings | None = None) -> User:
    """Set the new password with a reset link; every session of the person is signed out."""
    settings, now = settings or get_settings(), now or utcnow()
    form = Form({"password": password, "confirm": confirm})
    if form.password("password") and form.raw("confirm", "The repeated password") != password:
        form.error("confirm", "The two passwords differ.")
    form.check()
    throttle.limit_requests(session, "reset", client, now=now, settings=settings)
    row = _consume(session, raw, (RESET,), now)
    user = session.get(User, row.user_id)
    if user is None or user.email != row.email:
        raise DomainError(BAD_LINK)
    user.password_hash = hash_password(password)
    session.add(user)
    revoke_sessions(session, user.id, now=now)
    audit.record(session, user, "user.password_reset", "user", user.id,
                 f"{user.email} set a new password with an e-mailed link", now=now)
    return user


# ---- verified addresses --------------------------------------------------------------------------

def send_verification(session: Session, user: User, *, now: datetime | None = None,
                      settings: Settings | None = None) -> None:
    """A new account's address is unverified until its link is opened: mail the link."""
    settings, now = settings or get_settings(), now or utcnow()
    user.email_verified = False
    session.add(user)
    row, raw = _issue(session, user, VERIFY, user.email, now)
    _mail(session, row, raw, "Verify your e-mail address for Brandifiers",
          ["Welcome to Brandifiers. Open the link below to verify this e-mail address.",
           "Until you do, " + ("sponsors cannot find you in their search."
                               if user.role == Role.INFLUENCER.value else
                               "your sponsor account is not sent for approval.")],
          "Verify my address", settings, now)


def resend_verification(session: Session, actor_id: int | None, *, now: datetime | None = None,
                        settings: Settings | None = None) -> str:
    """Another verification link (the older one is void), at most as often as the "verify" rate allows."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.INFLUENCER)
    if actor.email_verified:
        raise DomainError("Your e-mail address is already verified.")
    settings, now = settings or get_settings(), now or utcnow()
    throttle.limit_requests(session, "verify", f"user:{actor.id}", now=now, settings=settings)
    send_verification(session, actor, now=now, settings=settings)
    return f"We sent a new link to {actor.email}."


def open_link(session: Session, raw: str, *, now: datetime | None = None, settings: Settings | None = None) -> str:
    """A verification or e-mail change link was opened: the address is verified (and, for a change, becomes
    the account's, and the old address is told). Returns the message to show."""
    settings, now = settings or get_settings(), now or utcnow()
    row = _consume(session, raw, (VERIFY, EMAIL_CHANGE), now)
    user = session.get(User, row.user_id)
    if user is None:
        raise DomainError(BAD_LINK)
    if row.purpose == VERIFY:
        if user.email != row.email:
            raise DomainError(BAD_LINK)
        user.email_verified = True
        session.add(user)
        audit.record(session, user, "user.email_verified", "user", user.id, f"{user.email} verified", now=now)
        return f"Thank you: {user.email} is verified."
    old = user.email
    if session.exec(select(User.id).where(User.email == row.email, User.id != user.id)).first() is not None:
        raise DomainError(f"{row.email} is already used by another account, so it cannot become yours.")
    user.email, user.email_verified = row.email, True
    session.add(user)
    audit.record(session, user, "user.email_changed", "user", user.id, f"e-mail changed from {old} to {row.email}",
                 before=old, after=row.email, now=now)
    _mail(session, row, None, "Your Brandifiers e-mail address was changed",
          [f"The e-mail address of your Brandifiers account is now {row.email} (it was this one).",
           "If you did not ask for this, set a new password at once with Forgot password? on the log-in page, "
           "or write to an administrator."], "Log in", settings, now, recipient=old)
    return f"Your e-mail address is now {row.email}."


def request_email_change(session: Session, actor_id: int | None, new_email: str, *, now: datetime | None = None,
                         settings: Settings | None = None) -> str:
    """Mail a link to the new address; the account keeps the old one until the link is opened."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.INFLUENCER, Role.ADMIN)
    settings, now = settings or get_settings(), now or utcnow()
    form = Form({"new_email": new_email})
    email = form.email("new_email")
    form.check()
    email = normalize_email(email)
    if email == actor.email:
        raise ValidationFailed({"new_email": "This is already your e-mail address."})
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise ValidationFailed({"new_email": "This e-mail is already registered to another account."})
    throttle.limit_requests(session, "verify", f"user:{actor.id}", now=now, settings=settings)
    row, raw = _issue(session, actor, EMAIL_CHANGE, email, now)
    _mail(session, row, raw, "Confirm your new Brandifiers e-mail address",
          [f"Open the link below to make {email} the e-mail address of your Brandifiers account "
           f"(now {actor.email}). The link works once, for 24 hours."], "Confirm the new address", settings, now)
    return f"We sent a link to {email}. Your address changes when you open it."


def pending_email_change(session: Session, actor_id: int | None, *, now: datetime | None = None) -> str:
    """The new address waiting for its link to be opened, or ""."""
    now = now or utcnow()
    return session.exec(select(AccountToken.email).where(
        AccountToken.user_id == actor_id, AccountToken.purpose == EMAIL_CHANGE, AccountToken.used_at.is_(None),
        AccountToken.expires_at > now)).first() or ""
