"""The audit log is append-only in the database itself: an UPDATE or DELETE of an AuditEvent is
refused whatever code (or hand-written SQL) tries it, while inserts go on working."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from brandifiers.models import AuditEvent
from brandifiers.services.common import audit
from tests.unit import factories


@pytest.mark.parametrize("sql", ["UPDATE auditevent SET summary = 'rewritten'", "DELETE FROM auditevent"])
def test_the_database_refuses_to_rewrite_history(session, sql):
    admin = factories.admin(session)
    audit.record(session, admin, "user.flag", "user", admin.id, "original")
    session.commit()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        session.exec(sa.text(sql))
        session.flush()
    session.rollback()
    assert [e.summary for e in session.exec(select(AuditEvent))] == ["original"]


def test_orm_changes_are_refused_too(session):
    admin = factories.admin(session)
    event = audit.record(session, admin, "user.flag", "user", admin.id, "original")
    session.commit()
    event.summary = "edited"
    session.add(event)
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        session.commit()
    session.rollback()
    session.delete(session.get(AuditEvent, event.id))
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        session.commit()
    session.rollback()
    audit.record(session, admin, "user.unflag", "user", admin.id, "next")
    session.commit()
    assert [e.summary for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))] == ["original", "next"]
