"""In-app notifications."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from brandifiers.clock import utcnow


class Notification(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    kind: str = Field(sa_type=sa.String(40), index=True)
    title: str = Field(sa_type=sa.String(200))
    body: str = Field(default="", sa_type=sa.String(2000))
    link: str | None = Field(default=None, sa_type=sa.String(300))
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: datetime | None = None


class NotificationChoice(SQLModel, table=True):
    """A person's choice for one kind of notification (services/common/channels.py KINDS): e-mail and
    chat on or off, immediate or in the daily digest. No row: the kind's default."""

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(sa_type=sa.String(30), primary_key=True)
    email: bool = False
    chat: bool = False
    digest: bool = True
    updated_at: datetime = Field(default_factory=utcnow)
