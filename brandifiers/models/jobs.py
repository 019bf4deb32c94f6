"""Tables of the background jobs: the delivery outbox, users' channel preferences, stored
monthly reports, CSV exports and the scheduler lease."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from brandifiers.clock import utcnow


class OutboxMessage(SQLModel, table=True):
    """One message to deliver (in-app, e-mail or chat webhook). The unique key makes a reminder
    or a report exist at most once per period, also after a restart or a job run twice."""

    __table_args__ = (
        sa.UniqueConstraint("kind", "channel", "recipient", "period", name="uq_outbox_once"),
        sa.Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=sa.String(40), index=True)  # reminder.daily, report.monthly, export.ready
    channel: str = Field(sa_type=sa.String(10))  # inapp | email | chat
    recipient: str = Field(sa_type=sa.String(500))  # user id (inapp), e-mail address or webhook URL
    period: str = Field(sa_type=sa.String(20))  # 2026-11-26, 2026-10, export id ...
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="CASCADE")
    subject: str = Field(default="", sa_type=sa.String(300))
    text_body: str = Field(default="", sa_type=sa.Text)
    html_body: str | None = Field(default=None, sa_type=sa.Text)
    link: str | None = Field(default=None, sa_type=sa.String(300))
    # an e-mail's one-click unsubscribe address (List-Unsubscribe, RFC 8058), when it has one
    unsubscribe_url: str | None = Field(default=None, sa_type=sa.String(500))
    # pending -> sending -> sent; errors go back to pending with a later next_attempt_at, and to
    # failed after the last attempt; held: nowhere to deliver (no mail server configured).
    status: str = Field(default="pending", sa_type=sa.String(12), index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    locked_until: datetime | None = None  # a claimed message ("sending") is reclaimable after this
    last_error: str | None = Field(default=None, sa_type=sa.String(1000))
    created_at: datetime = Field(default_factory=utcnow, index=True)
    sent_at: datetime | None = None


class OutboxAttachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="outboxmessage.id", index=True, ondelete="CASCADE")
    filename: str = Field(sa_type=sa.String(200))
    content_type: str = Field(sa_type=sa.String(100))
    data: bytes = Field(sa_type=sa.LargeBinary)


class UserPreference(SQLModel, table=True):
    """A user's delivery choices (no row: the defaults, e-mail and chat on, no own chat URL)."""

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    email_opt_out: bool = False
    chat_opt_out: bool = False
    chat_webhook_url: str | None = Field(default=None, sa_type=sa.String(500))
    updated_at: datetime = Field(default_factory=utcnow)


class MonthlyReport(SQLModel, table=True):
    """A sponsor's activity report for one month, rendered once (HTML; the PDF is made from it)."""

    __table_args__ = (sa.UniqueConstraint("sponsor_id", "month", name="uq_report_month"),)

    id: int | None = Field(default=None, primary_key=True)
    sponsor_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    month: str = Field(sa_type=sa.String(7), index=True)  # YYYY-MM
    html: str = Field(sa_type=sa.Text)
    text: str = Field(sa_type=sa.Text)
    data: str = Field(sa_type=sa.Text)  # the figures as JSON
    created_at: datetime = Field(default_factory=utcnow)


class ExportJob(SQLModel, table=True):
    """A CSV export started by a user, built in the background with its progress."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    kind: str = Field(sa_type=sa.String(40))
    options: str = Field(default="{}", sa_type=sa.String(1000))  # JSON: what to include, e-mail when done
    status: str = Field(default="queued", sa_type=sa.String(12), index=True)  # queued|running|done|failed
    progress: int = 0  # percent
    rows: int = 0
    filename: str | None = Field(default=None, sa_type=sa.String(200))
    path: str | None = Field(default=None, sa_type=sa.String(500))
    error: str | None = Field(default=None, sa_type=sa.String(1000))
    # A short-lived download link: only the SHA-256 of its token is stored.
    token_hash: str | None = Field(default=None, sa_type=sa.String(64), index=True)
    token_expires_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow, index=True)
    finished_at: datetime | None = None


class SchedulerLease(SQLModel, table=True):
    """Who may run the scheduled jobs now: at most one scheduler holds an unexpired lease."""

    name: str = Field(sa_type=sa.String(40), primary_key=True)
    holder: str = Field(sa_type=sa.String(100))
    expires_at: datetime


class JobRun(SQLModel, table=True):
    """The last period a calendar job finished (daily reminders: a day; monthly reports: a
    month), so that a scheduler that was down at the set time catches up once, and only once."""

    name: str = Field(sa_type=sa.String(40), primary_key=True)
    period: str = Field(sa_type=sa.String(20))
    finished_at: datetime = Field(default_factory=utcnow)
