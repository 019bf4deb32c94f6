"""Admin user management: search, detail, deactivate/reactivate, password reset codes and log-in locks. Every function
starts with rbac.require_role(..., Role.ADMIN): a sponsor or an influencer gets PermissionDenied before
anything is read or written; refusals raise DomainError or NotFound."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, func, or_, select, update

from brandifiers.clock import utcnow
from brandifiers.models import (
    AdRequest,
    AuditEvent,
    Campaign,
    InfluencerProfile,
    PasswordResetCode,
    Role,
    SponsorProfile,
    User,
    UserStatus,
)
from brandifiers.services.accounts import throttle
from brandifiers.services.accounts.auth import RESET_CODE_LIFETIME, new_reset_code, revoke_sessions
from brandifiers.services.common import audit, parse, zones
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.common.filters import day_range, like_pattern, page_bounds
from brandifiers.services.common.notify import notify
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.validation import clean_reason

PAGE_SIZE = 25
DETAIL_ROWS = 50  # campaigns / collaborations shown on the detail page (newest first)
DETAIL_EVENTS = 20


@dataclass
class UserRow:
    id: int
    email: str
    role: str
    status: str
    name: str  # sponsor company or influencer display name ("" for admins)
    created_at: datetime
    last_seen_at: datetime | None
    verified: bool = True  # False: the e-mail address was never verified (services/messaging/account_links.py)


@dataclass
class UserDetail:
    user: User
    name: str
    profile: list[tuple[str, str]]  # (label, value) of the sponsor or influencer profile
    campaigns: list[dict] = field(default_factory=list)  # id, name, status, budget_cents, flagged
    collaborations: list[dict] = field(default_factory=list)  # id, campaign, status, amount_cents, flagged
    flags: list[str] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)


def _choice(value: str | None, allowed, field_name: str, label: str) -> str | None:
    value = parse.text(value, field_name, label).strip()
    if not value:
        return None
    if value not in {str(a) for a in allowed}:
        raise DomainError(f"Choose a {label} from the list.", field_name)
    return value


def list_users(session: Session, actor_id: int | None, *, role: str | None = None, status: str | None = None,
               text: str = "", signed_up_from: date | str | None = None, signed_up_to: date | str | None = None,
               page: int = 0, page_size: int = PAGE_SIZE) -> tuple[list[UserRow], int]:
    """One page of users matching the filters (newest first) and how many match in all."""
    admin = require_role(session, actor_id, Role.ADMIN)
    role = _choice(role, Role, "role", "role")
    status = _choice(status, UserStatus, "status", "status")
    start, end = day_range(signed_up_from, signed_up_to, from_field="signed_up_from", to_field="signed_up_to",
                           zone=zones.user_zone(admin))
    text = parse.text(text, "text", "Search text").strip()
    where = []
    if role:
        where.append(User.role == role)
    if status:
        where.append(User.status == status)
    if start:
        where.append(User.created_at >= start)
    if end:
        where.append(User.created_at < end)
    if text:
        pattern = like_pattern(text)
        where.append(or_(User.email.ilike(pattern, escape="\\"),
                         SponsorProfile.company_name.ilike(pattern, escape="\\"),
                         InfluencerProfile.display_name.ilike(pattern, escape="\\")))

    def joined(stmt):
        return (stmt.outerjoin(SponsorProfile, SponsorProfile.user_id == User.id)
                .outerjoin(InfluencerProfile, InfluencerProfile.user_id == User.id).where(*where))

    total = session.exec(joined(select(func.count()).select_from(User))).one()
    offset, limit = page_bounds(page, page_size)
    stmt = joined(select(User, SponsorProfile.company_name, InfluencerProfile.display_name))
    stmt = stmt.order_by(User.created_at.desc(), User.id.desc()).offset(offset).limit(limit)
    rows = [UserRow(u.id, u.email, u.role, u.status, company or display or "", u.created_at, u.last_seen_at,
                    u.email_verified) for u, company, display in session.exec(stmt)]
    return rows, int(total)


def _target(session: Session, user_id: int) -> User:
    user = session.get(User, int(user_id or 0))
    if user is None:
        raise NotFound("user")
    return user


def _open_target(session: Session, user_id: int) -> User:
    """A user whose account is not closed (a closed account takes no status change and no reset code)."""
    user = _target(session, user_id)
    if user.status == UserStatus.CLOSED.value:
        raise DomainError("This account is closed: its personal data was erased and it cannot be used again.")
    return user


def user_detail(session: Session, actor_id: int | None, user_id: int) -> UserDetail:
    """Account, profile, campaigns or collaborations, flags and the latest audit events of a user."""
    require_role(session, actor_id, Role.ADMIN)
    user = _target(session, user_id)
    detail = UserDetail(user=user, name="", profile=[])
    if user.status == UserStatus.FLAGGED.value and user.status_reason:
        detail.flags.append(f"Account flagged: {user.status_reason}")
    sponsor = session.exec(select(SponsorProfile).where(SponsorProfile.user_id == user.id)).first()
    influencer = session.exec(select(InfluencerProfile).where(InfluencerProfile.user_id == user.id)).first()
    if sponsor:
        detail.name = sponsor.company_name
        detail.profile = [("Company", sponsor.company_name), ("Industry", sponsor.industry),
                          ("Website", sponsor.website or "")]
        stmt = (select(Campaign).where(Campaign.sponsor_id == user.id)
                .order_by(Campaign.created_at.desc(), Campaign.id.desc()).limit(DETAIL_ROWS))
        detail.campaigns = [{"id": c.id, "name": c.name, "status": c.status, "budget_cents": c.budget_cents,
                             "flagged": c.flagged} for c in session.exec(stmt)]
        flagged = select(Campaign).where(Campaign.sponsor_id == user.id, Campaign.flagged.is_(True))
        detail.flags += [f"Campaign “{c.name}” flagged: {c.flag_reason or 'no reason given'}"
                         for c in session.exec(flagged.limit(DETAIL_ROWS))]
    if influencer:
        detail.name = influencer.display_name
        detail.profile = [("Display name", influencer.display_name), ("Category", influencer.category),
                          ("Followers", f"{influencer.total_followers:,}")]
        stmt = (select(AdRequest, Campaign.name).join(Campaign, Campaign.id == AdRequest.campaign_id)
                .where(AdRequest.influencer_id == user.id)
                .order_by(AdRequest.created_at.desc(), AdRequest.id.desc()).limit(DETAIL_ROWS))
        detail.collaborations = [{"id": r.id, "campaign": name, "status": r.status, "amount_cents": r.payment_cents,
                                  "flagged": r.flagged} for r, name in session.exec(stmt)]
    flagged_requests = (select(AdRequest, Campaign.name).join(Campaign, Campaign.id == AdRequest.campaign_id)
                        .where(or_(AdRequest.influencer_id == user.id, AdRequest.sponsor_id == user.id),
                               AdRequest.flagged.is_(True)).limit(DETAIL_ROWS))
    detail.flags += [f"Request #{r.id} on “{name}” flagged: {r.flag_reason or 'no reason given'}"
                     for r, name in session.exec(flagged_requests)]
    events = (select(AuditEvent)
              .where(or_(AuditEvent.actor_id == user.id,
                         sa.and_(AuditEvent.target_type == "user", AuditEvent.target_id == user.id)))
              .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(DETAIL_EVENTS))
    detail.events = list(session.exec(events))
    return detail


def _lock_active_admins(session: Session) -> set[int]:
    """The ids of the active admins, locked until the transaction ends, so two admins deactivating
    each other at the same moment cannot leave the platform without one (same approach as
    campaigns.lock_row: FOR UPDATE on PostgreSQL, an early no-op UPDATE on SQLite)."""
    where = (User.role == Role.ADMIN.value, User.status == UserStatus.ACTIVE.value)
    stmt = select(User.id).where(*where)
    if session.get_bind().dialect.name == "sqlite":
        session.exec(update(User).where(*where).values(status=User.status)
                     .execution_options(synchronize_session=False))
    else:
        stmt = select(User).where(*where).with_for_update()
        return {u.id for u in session.exec(stmt.execution_options(populate_existing=True))}
    return set(session.exec(stmt))


def deactivate_user(session: Session, actor_id: int | None, user_id: int, reason: str, *,
                    now: datetime | None = None) -> User:
    """Deactivate an account: it is logged out everywhere and sees the reason when it logs in."""
    admin = require_role(session, actor_id, Role.ADMIN)
    reason = clean_reason(reason, "the user will see it")
    user = _open_target(session, user_id)
    if user.id == admin.id:
        raise DomainError("You cannot deactivate your own account; ask another administrator.")
    if user.status == UserStatus.DEACTIVATED.value:
        raise DomainError("This account is already deactivated (already handled).")
    if user.role == Role.ADMIN.value and not (_lock_active_admins(session) - {user.id}):
        raise DomainError("This is the last active administrator: the platform needs at least one.")
    now = now or utcnow()
    before = user.status
    user.status, user.status_reason = UserStatus.DEACTIVATED.value, reason
    session.add(user)
    revoke_sessions(session, user.id, now=now)
    audit.record(session, admin, "user.deactivate", "user", user.id, f"deactivated {user.email}: {reason}",
                 before=before, after=UserStatus.DEACTIVATED.value, now=now)
    notify(session, user.id, "account.deactivated", "Your account was deactivated", reason, now=now)
    return user


def reactivate_user(session: Session, actor_id: int | None, user_id: int, reason: str = "", *,
                    now: datetime | None = None) -> User:
    """Give a deactivated account back its access."""
    admin = require_role(session, actor_id, Role.ADMIN)
    reason = clean_reason(reason, "the user will see it", required=False)
    user = _target(session, user_id)
    if user.status != UserStatus.DEACTIVATED.value:
        raise DomainError(f"This account is {user.status}, not deactivated (already handled).")
    user.status, user.status_reason = UserStatus.ACTIVE.value, None
    session.add(user)
    summary = f"reactivated {user.email}" + (f": {reason}" if reason else "")
    audit.record(session, admin, "user.reactivate", "user", user.id, summary,
                 before=UserStatus.DEACTIVATED.value, after=UserStatus.ACTIVE.value, now=now)
    notify(session, user.id, "account.reactivated", "Your account was reactivated",
           reason or "You can use Brandifiers again.", now=now)
    return user


def create_reset_code(session: Session, actor_id: int | None, user_id: int, *,
                      now: datetime | None = None) -> str:
    """A one-time password reset code for the user, valid RESET_CODE_LIFETIME (24 hours).

    Only its SHA-256 is stored; the plain code is returned once, for the admin to hand over.
    Earlier unused codes of the user stop working."""
    admin = require_role(session, actor_id, Role.ADMIN)
    user = _open_target(session, user_id)
    now = now or utcnow()
    session.exec(update(PasswordResetCode)
                 .where(PasswordResetCode.user_id == user.id, PasswordResetCode.used_at.is_(None))
                 .values(used_at=now).execution_options(synchronize_session=False))
    code, code_hash = new_reset_code()
    expires = now + RESET_CODE_LIFETIME
    session.add(PasswordResetCode(user_id=user.id, code_hash=code_hash, created_by_id=admin.id,
                                  created_at=now, expires_at=expires))
    until = zones.fmt_time(expires, zones.DEFAULT_ZONE)  # a stored record: in UTC, as it says
    audit.record(session, admin, "user.reset_code", "user", user.id,
                 f"password reset code made for {user.email}, valid until {until}", now=now)
    notify(session, user.id, "account.reset_code", "An administrator made a password reset code for you",
           "Use it on the reset page within 24 hours. Nobody from Brandifiers asks you for your password.", now=now)
    return code


def login_locks(session: Session, actor_id: int | None, *, now: datetime | None = None) -> list[throttle.Lock]:
    """Log-in locks and slow-downs in force now (the Users page), longest first."""
    require_role(session, actor_id, Role.ADMIN)
    return throttle.current_locks(session, now=now)


def lift_login_lock(session: Session, actor_id: int | None, key: str, *, now: datetime | None = None) -> None:
    """Lift one lock (its failures are forgotten too); audited. An unknown key: NotFound."""
    admin = require_role(session, actor_id, Role.ADMIN)
    row = throttle.lift(session, str(key or "")[:400])
    if row is None:
        raise NotFound("log-in lock")
    who = " from ".join(part for part in (row.email, row.client) if part) or row.key
    user_id = session.exec(select(User.id).where(User.email == row.email)).first() if row.email else None
    audit.record(session, admin, "user.login_lock_lifted", "user", user_id,
                 f"log-in lock lifted ({row.kind}: {who}, {row.failures} failures)", now=now)
