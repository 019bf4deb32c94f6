"""Closing an account at the person's request (or by an admin on it): personal fields erased, the ledger kept.
Refused (DomainError) with a wrong password, without the typed confirmation, or while a deal is open.
Rules and what is kept: docs/personal-data.md."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, delete, func, or_, select, update

from brandifiers.clock import utcnow
from brandifiers.models import (
    AccountToken,
    AdRequest,
    AdRequestStatus,
    Campaign,
    InfluencerProfile,
    LoginDevice,
    LoginThrottle,
    Notification,
    PasswordResetCode,
    Payment,
    Role,
    SocialAccount,
    SponsorProfile,
    User,
    UserSession,
    UserStatus,
    counts_as_paid,
)
from brandifiers.models.jobs import ExportJob, MonthlyReport, OutboxMessage, UserPreference
from brandifiers.models.notify import NotificationChoice
from brandifiers.services.accounts.auth import revoke_sessions
from brandifiers.services.accounts.passwords import hash_password, verify_password
from brandifiers.services.accounts.profiles import _own_avatar_file, _unlink_quietly
from brandifiers.services.common import audit, cache, parse
from brandifiers.services.common.errors import DomainError, NotFound, ValidationFailed
from brandifiers.services.common.notify import notify
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.transactions import after_commit
from brandifiers.services.deals.adrequest_machine import transition

CLOSED_NAME = "Closed account"
CONFIRM_WORD = "CLOSE"
PLACEHOLDER_DOMAIN = "closed.invalid"  # .invalid never resolves (RFC 2606): nothing can be delivered there
_R = AdRequestStatus
# Work agreed and not finished: the account stays open until it is done (or rejected by the other side).
BLOCKING = (_R.ACCEPTED.value, _R.IN_PROGRESS.value, _R.SUBMITTED.value)
# Not agreed yet: withdrawn when the account closes.
WITHDRAWN_ON_CLOSE = (_R.PENDING.value, _R.NEGOTIATING.value)


def open_deals(session: Session, user_id: int) -> list[str]:
    """Why the account cannot close yet: its agreed deals still running, and completed ones not paid in full."""
    paid = (select(Payment.ad_request_id, func.sum(Payment.amount_cents).label("paid"))
            .where(counts_as_paid()).group_by(Payment.ad_request_id).subquery())
    stmt = (select(AdRequest.id, Campaign.name, AdRequest.status, AdRequest.payment_cents,
                   func.coalesce(paid.c.paid, 0))
            .join(Campaign, Campaign.id == AdRequest.campaign_id)
            .outerjoin(paid, paid.c.ad_request_id == AdRequest.id)
            .where(or_(AdRequest.sponsor_id == user_id, AdRequest.influencer_id == user_id),
                   or_(AdRequest.status.in_(BLOCKING),
                       sa.and_(AdRequest.status == _R.COMPLETED.value,
                               func.coalesce(paid.c.paid, 0) < AdRequest.payment_cents)))
            .order_by(AdRequest.id))
    rows = session.exec(stmt).all()
    return [f"#{rid} “{name}” ({_why(status)})" for rid, name, status, _agreed, _paid in rows]


def _why(status: str) -> str:
    return "completed, not paid in full" if status == _R.COMPLETED.value else status.replace("_", " ")


def close_own_account(session: Session, actor_id: int | None, data: dict, *, upload_dir: Path | None = None,
                      now: datetime | None = None) -> User:
    """The person closes its own account: its password and the typed word CLOSE are required."""
    user = require_role(session, actor_id, Role.SPONSOR, Role.INFLUENCER)
    password = parse.text(data.get("password"), "password", "Password")
    errors = {}
    if not password:
        errors["password"] = "Enter your password to close your account."
    elif len(password) > 1024 or not verify_password(password, user.password_hash)[0]:
        errors["password"] = "That is not your password."
    _check_confirm(data, errors)
    if errors:
        raise ValidationFailed(errors)
    return _close(session, user, user, "closed at the person's request", upload_dir=upload_dir, now=now)


def admin_close_account(session: Session, actor_id: int | None, user_id: int, data: dict, *,
                        upload_dir: Path | None = None, now: datetime | None = None) -> User:
    """An admin closes an account on the person's request (a note of the request and CLOSE typed)."""
    admin = require_role(session, actor_id, Role.ADMIN)
    user = session.get(User, parse.record_id(user_id))
    if user is None:
        raise NotFound("user")
    if user.role == Role.ADMIN.value:
        raise DomainError("An administrator's account is not closed this way: deactivate it instead.")
    note = parse.text(data.get("reason"), "reason", "Request").strip()
    errors = {}
    if not note:
        errors["reason"] = "Say how the person asked (e.g. the date and channel of their request)."
    elif len(note) > 500:
        errors["reason"] = f"At most 500 characters (it has {len(note)})."
    _check_confirm(data, errors)
    if errors:
        raise ValidationFailed(errors)
    return _close(session, admin, user, f"closed by an administrator on request: {note}", upload_dir=upload_dir,
                  now=now)


def _check_confirm(data: dict, errors: dict[str, str]) -> None:
    if parse.text(data.get("confirm"), "confirm", "Confirmation").strip() != CONFIRM_WORD:
        errors["confirm"] = f"Type {CONFIRM_WORD} to confirm."


def _close(session: Session, actor: User, user: User, summary: str, *, upload_dir: Path | None,
           now: datetime | None) -> User:
    if user.status == UserStatus.CLOSED.value:
        raise DomainError("This account is already closed.")
    user = session.exec(select(User).where(User.id == user.id).with_for_update()).one()  # one closure at a time
    blocking = open_deals(session, user.id)
    if blocking:
        raise DomainError("The account cannot close while these deals are open: " + "; ".join(blocking)
                          + ". Finish them (or have them paid in full) first.")
    now = now or utcnow()
    _withdraw_unagreed(session, actor, user, now)
    old_email, old_names = user.email, _names(session, user.id)
    _erase(session, user, upload_dir, now)
    _scrub_texts(session, [old_email, *old_names], user.email)
    audit.record(session, actor, "user.close", "user", user.id, f"account #{user.id} {summary}",
                 before="open", after=UserStatus.CLOSED.value, now=now)
    cache.invalidate_after_commit(session, cache.SEARCH_CACHE_PREFIX)  # no longer discoverable
    return user


def _withdraw_unagreed(session: Session, actor: User, user: User, now: datetime) -> None:
    stmt = select(AdRequest).where(or_(AdRequest.sponsor_id == user.id, AdRequest.influencer_id == user.id),
                                   AdRequest.status.in_(WITHDRAWN_ON_CLOSE))
    for request in session.exec(stmt).all():
        before = transition(request, _R.WITHDRAWN.value)
        request.updated_at = now
        session.add(request)
        audit.record(session, actor, "adrequest.withdraw", "adrequest", request.id, "withdrawn: the account closed",
                     before=before, after=request.status, now=now)
        other, role = ((request.influencer_id, "influencer") if request.sponsor_id == user.id
                       else (request.sponsor_id, "sponsor"))
        notify(session, other, "request.withdrawn", "A request was withdrawn",
               "The other party closed their account.", f"/{role}/requests/{request.id}", now=now)


def _names(session: Session, user_id: int) -> list[str]:
    names = [session.exec(select(SponsorProfile.company_name).where(SponsorProfile.user_id == user_id)).first(),
             session.exec(select(InfluencerProfile.display_name).where(InfluencerProfile.user_id == user_id)).first()]
    return [n for n in names if n and n != CLOSED_NAME]


def _erase(session: Session, user: User, upload_dir: Path | None, now: datetime) -> None:
    """Erase or anonymise every personal field; the deals, offers, payments and figures stay as they were."""
    old_email = user.email
    user.email = f"closed-{user.id}-{secrets.token_hex(6)}@{PLACEHOLDER_DOMAIN}"
    user.password_hash = hash_password(secrets.token_urlsafe(32))  # nobody knows it: the password is unusable
    user.status, user.status_reason = UserStatus.CLOSED.value, None
    session.add(user)
    revoke_sessions(session, user.id, now=now)
    for table, column in ((UserSession, UserSession.user_id), (AccountToken, AccountToken.user_id),
                          (LoginDevice, LoginDevice.user_id), (PasswordResetCode, PasswordResetCode.user_id),
                          (Notification, Notification.user_id), (OutboxMessage, OutboxMessage.user_id),
                          (MonthlyReport, MonthlyReport.sponsor_id),
                          (NotificationChoice, NotificationChoice.user_id)):
        session.exec(delete(table).where(column == user.id))
    session.exec(delete(OutboxMessage).where(OutboxMessage.recipient == old_email))
    session.exec(delete(LoginThrottle).where(LoginThrottle.email == old_email))
    for job in session.exec(select(ExportJob).where(or_(ExportJob.user_id == user.id,
                                                         ExportJob.kind == "personal"))).all():
        if job.user_id != user.id and json.loads(job.options).get("subject") != user.id:
            continue  # an admin's export of someone else
        if job.path:
            after_commit(session, lambda p=Path(job.path): _unlink_quietly(p))
        session.delete(job)
    sponsor = session.exec(select(SponsorProfile).where(SponsorProfile.user_id == user.id)).first()
    if sponsor:
        sponsor.company_name, sponsor.website, sponsor.description = CLOSED_NAME, None, None
        sponsor.yearly_budget_cents = 0
        session.add(sponsor)
    influencer = session.exec(select(InfluencerProfile).where(InfluencerProfile.user_id == user.id)).first()
    if influencer:
        if upload_dir is not None:
            avatar = _own_avatar_file(Path(upload_dir), influencer.avatar_path, user.id)
            after_commit(session, lambda: _unlink_quietly(avatar))
        influencer.display_name, influencer.bio, influencer.location = CLOSED_NAME, None, None
        influencer.avatar_path, influencer.asking_price_cents = None, None
        session.add(influencer)
        # Handles go; follower counts stay (the statistics of past campaigns weigh by them).
        session.exec(update(SocialAccount).where(SocialAccount.influencer_id == influencer.id).values(handle=""))
    prefs = session.get(UserPreference, user.id) or UserPreference(user_id=user.id)
    prefs.email_opt_out, prefs.chat_opt_out, prefs.chat_webhook_url, prefs.updated_at = True, True, None, now
    session.add(prefs)
    session.flush()


def _scrub_texts(session: Session, old: list[str], placeholder: str) -> None:
    """The old e-mail and names leave the other people's notifications and queued messages too."""
    for text in old:
        new = placeholder if "@" in text else CLOSED_NAME
        for table, columns in ((Notification, ("title", "body")),
                               (OutboxMessage, ("subject", "text_body", "html_body", "recipient"))):
            values = {c: func.replace(getattr(table, c), text, new) for c in columns}
            holds = or_(*(getattr(table, c).contains(text, autoescape=True) for c in columns))
            session.exec(update(table).where(holds).values(**values).execution_options(synchronize_session=False))
