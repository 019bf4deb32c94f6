"""Append-only audit log (the database refuses UPDATE and DELETE: migration c3d5e7f9a1b2)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from brandifiers.clock import utcnow


class AuditEvent(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_auditevent_target", "target_type", "target_id"),
        # The newest admin action in O(log n): it invalidates the admin analytics snapshot.
        sa.Index("ix_auditevent_role_id", "actor_role", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    actor_role: str | None = Field(default=None, sa_type=sa.String(16))
    # For actions taken on someone's behalf (admin acting for a sponsor).
    on_behalf_of_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(sa_type=sa.String(60), index=True)
    target_type: str = Field(sa_type=sa.String(30))
    target_id: int | None = None
    summary: str = Field(default="", sa_type=sa.String(1000))
    before: str | None = Field(default=None, sa_type=sa.String(2000))
    after: str | None = Field(default=None, sa_type=sa.String(2000))
    created_at: datetime = Field(default_factory=utcnow, index=True)


# The SQLite triggers of migration c3d5e7f9a1b2, for test fixtures that empty the database.
SQLITE_APPEND_ONLY = {
    "auditevent_no_update": "CREATE TRIGGER auditevent_no_update BEFORE UPDATE ON auditevent "
                            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "auditevent_no_delete": "CREATE TRIGGER auditevent_no_delete BEFORE DELETE ON auditevent "
                            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
}
