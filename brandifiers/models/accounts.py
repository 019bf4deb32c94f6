"""Accounts: users, sessions, login throttling, profiles and social platforms."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from brandifiers.clock import utcnow
from brandifiers.models.enums import Role, UserStatus

EMAIL_MAX = 254


class User(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_user_role_status", "role", "status"),)  # counts by role and status

    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased by the auth service: the unique index makes it case-insensitive.
    email: str = Field(sa_type=sa.String(EMAIL_MAX), unique=True, index=True)
    password_hash: str = Field(sa_type=sa.String(255))
    role: str = Field(sa_type=sa.String(16), index=True)
    status: str = Field(sa_type=sa.String(16), index=True)
    status_reason: str | None = Field(default=None, sa_type=sa.String(500))
    created_at: datetime = Field(default_factory=utcnow, index=True)
    last_seen_at: datetime | None = Field(default=None, index=True)
    # False only from a web sign-up until its link is opened (services/messaging/account_links.py): the few
    # unverified rows are left out of discovery and the approval queue like the non-active statuses.
    email_verified: bool = Field(default=True, index=True)
    # IANA name (services/common/zones.py): times are shown and days counted there; storage stays UTC.
    time_zone: str = Field(default="UTC", sa_type=sa.String(64), sa_column_kwargs={"server_default": "UTC"})


def awaiting_approval():
    """The one rule of "a sponsor awaiting approval" (the admin's queue and its count): pending, with a
    verified address (SQL condition)."""
    return sa.and_(User.role == Role.SPONSOR.value, User.status == UserStatus.PENDING.value,
                   User.email_verified.is_(True))


class UserSession(SQLModel, table=True):
    """A login session. Only the SHA-256 of the browser's token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(sa_type=sa.String(64), unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)
    revoked_at: datetime | None = Field(default=None)
    # what the account page shows: a readable browser and system, and the last event (at most every few minutes)
    device: str | None = Field(default=None, sa_type=sa.String(80))
    last_seen_at: datetime | None = Field(default=None)


class LoginThrottle(SQLModel, table=True):
    """A counter of failed log-ins or of requests, by key: `pair:<e-mail>|<client>`, `client:<client>`,
    `email:<e-mail>` (slow-down only), `device:<hash>` or `rate:<action>:<client>`. Policy: docs/login-throttle.md."""

    key: str = Field(sa_type=sa.String(400), primary_key=True)
    kind: str = Field(sa_type=sa.String(12))
    email: str | None = Field(default=None, sa_type=sa.String(EMAIL_MAX), index=True)
    client: str | None = Field(default=None, sa_type=sa.String(64))
    failures: int = 0
    window_start: datetime = Field(default_factory=utcnow, index=True)
    locked_until: datetime | None = Field(default=None, index=True)


class LoginDevice(SQLModel, table=True):
    """A browser that logged in to an account recently: only the SHA-256 of its marker is stored."""

    token_hash: str = Field(sa_type=sa.String(64), primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)


class PasswordResetCode(SQLModel, table=True):
    """One-time reset code made by an admin (stored hashed, expires)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(sa_type=sa.String(64), unique=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class AccountToken(SQLModel, table=True):
    """A single-use link sent by e-mail (purpose: reset, verify, email_change); only its SHA-256 is stored.
    `email`: the address it was sent to (for email_change, the new address that takes effect)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    purpose: str = Field(sa_type=sa.String(16))
    token_hash: str = Field(sa_type=sa.String(64), unique=True)
    email: str = Field(sa_type=sa.String(EMAIL_MAX))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)
    used_at: datetime | None = None


class SponsorProfile(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", unique=True, index=True, ondelete="CASCADE")
    company_name: str = Field(sa_type=sa.String(120), index=True)
    industry: str = Field(sa_type=sa.String(60), index=True)
    website: str | None = Field(default=None, sa_type=sa.String(200))
    yearly_budget_cents: int = Field(default=0, sa_type=sa.BigInteger)
    description: str | None = Field(default=None, sa_type=sa.String(2000))


class InfluencerProfile(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_influencerprofile_followers", "user_id", "total_followers"),)  # rollup_sql.attrs

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", unique=True, index=True, ondelete="CASCADE")
    display_name: str = Field(sa_type=sa.String(80), index=True)
    category: str = Field(sa_type=sa.String(40), index=True)
    niche: str | None = Field(default=None, sa_type=sa.String(80), index=True)
    bio: str | None = Field(default=None, sa_type=sa.String(2000))
    location: str | None = Field(default=None, sa_type=sa.String(120))
    asking_price_cents: int | None = Field(default=None, sa_type=sa.BigInteger, index=True)
    avatar_path: str | None = Field(default=None, sa_type=sa.String(200))
    # Derived: sum of followers over the platform rows, kept by the profile service
    # so that discovery can sort by reach with an index.
    total_followers: int = Field(default=0, sa_type=sa.BigInteger, index=True)
    # Derived: follower-weighted average engagement rate over the platform rows.
    avg_engagement_rate: float = Field(default=0.0, index=True)


class SocialAccount(SQLModel, table=True):
    """One row per social platform of an influencer (figures are self-reported)."""

    __table_args__ = (sa.UniqueConstraint("influencer_id", "platform", name="uq_social_platform"),)

    id: int | None = Field(default=None, primary_key=True)
    influencer_id: int = Field(foreign_key="influencerprofile.id", index=True, ondelete="CASCADE")
    platform: str = Field(sa_type=sa.String(20), index=True)
    handle: str = Field(sa_type=sa.String(80), index=True)
    followers: int = Field(default=0, sa_type=sa.BigInteger, index=True)
    avg_engagement_rate: float = Field(default=0.0)


class CategoryMedian(SQLModel, table=True):
    """The median engagement rate of a category's active influencers (the fit score's yardstick),
    written by services/discovery/medians.py so that every process of the app can start from it."""

    category: str = Field(sa_type=sa.String(40), primary_key=True)
    median_er: float | None = Field(default=None)  # None: no active influencer in the category
    computed_at: datetime = Field(default_factory=utcnow)


class Setting(SQLModel, table=True):
    """Platform-wide settings changed by admins (key/value)."""

    key: str = Field(sa_type=sa.String(64), primary_key=True)
    value: str = Field(sa_type=sa.String(2000))
    updated_at: datetime = Field(default_factory=utcnow)
