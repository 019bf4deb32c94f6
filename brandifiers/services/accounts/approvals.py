"""Admin decisions on sponsors awaiting approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false
from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.models import Role, SponsorProfile, User, UserStatus, awaiting_approval
from brandifiers.services.common import audit
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.common.filters import page_bounds
from brandifiers.services.common.notify import notify
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.validation import clean_reason

PAGE_SIZE = 20


@dataclass
class PendingSponsor:
    user_id: int
    email: str
    company_name: str
    industry: str
    website: str
    signed_up: datetime


def pending_sponsors(session: Session, actor_id: int | None, *, page: int = 0,
                     page_size: int = PAGE_SIZE) -> tuple[list[PendingSponsor], int]:
    """One page of the approval queue (oldest first) and the total waiting: sponsors with a verified address
    (unverified_sponsors counts the others)."""
    require_role(session, actor_id, Role.ADMIN)
    offset, limit = page_bounds(page, page_size)
    where = (awaiting_approval(),)
    total = session.exec(select(func.count()).select_from(User).where(*where)).one()
    stmt = (select(User, SponsorProfile).join(SponsorProfile, SponsorProfile.user_id == User.id)
            .where(*where).order_by(User.created_at, User.id)
            .offset(offset).limit(limit))
    rows = [PendingSponsor(u.id, u.email, p.company_name, p.industry, p.website or "", u.created_at)
            for u, p in session.exec(stmt)]
    return rows, int(total)


def unverified_sponsors(session: Session, actor_id: int | None) -> int:
    """Sponsors waiting for approval who have not verified their e-mail address yet (not in the queue)."""
    require_role(session, actor_id, Role.ADMIN)
    return int(session.exec(select(func.count()).select_from(User).where(
        User.role == Role.SPONSOR.value, User.status == UserStatus.PENDING.value,
        User.email_verified == false())).one())


def _pending_sponsor(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.role != Role.SPONSOR.value:
        raise NotFound("sponsor")
    if user.status != UserStatus.PENDING.value:
        raise DomainError("This sponsor is no longer awaiting approval (already handled).")
    if not user.email_verified:
        raise DomainError("This sponsor has not verified the e-mail address yet.")
    return user


def approve_sponsor(session: Session, actor_id: int | None, sponsor_id: int, *,
                    now: datetime | None = None) -> User:
    admin = require_role(session, actor_id, Role.ADMIN)
    user = _pending_sponsor(session, sponsor_id)
    user.status, user.status_reason = UserStatus.ACTIVE.value, None
    session.add(user)
    audit.record(session, admin, "sponsor.approve", "user", user.id, f"approved sponsor {user.email}",
                 before=UserStatus.PENDING.value, after=UserStatus.ACTIVE.value, now=now)
    notify(session, user.id, "account.approved", "Your sponsor account was approved",
           "You can now create campaigns and find influencers.", "/sponsor", now=now)
    return user


def reject_sponsor(session: Session, actor_id: int | None, sponsor_id: int, reason: str, *,
                   now: datetime | None = None) -> User:
    admin = require_role(session, actor_id, Role.ADMIN)
    reason = clean_reason(reason, "the sponsor will see it")
    user = _pending_sponsor(session, sponsor_id)
    user.status, user.status_reason = UserStatus.DEACTIVATED.value, f"Sign-up rejected: {reason}"
    session.add(user)
    audit.record(session, admin, "sponsor.reject", "user", user.id, f"rejected sponsor {user.email}",
                 before=UserStatus.PENDING.value, after=f"{UserStatus.DEACTIVATED.value}: {reason}",
                 now=now or utcnow())
    notify(session, user.id, "account.rejected", "Your sponsor sign-up was not approved", reason, now=now)
    return user
