"""Sponsor approval queue: only active admins decide; bad input and foreign roles change nothing."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from brandifiers.models import AuditEvent, Notification, User, UserStatus
from brandifiers.services.accounts import approvals
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied
from brandifiers.services.common.rbac import status_notice
from tests.unit import factories


def snapshot(session):
    """Everything an approval could change."""
    session.expire_all()
    users = [(u.id, u.status, u.status_reason) for u in session.exec(select(User).order_by(User.id))]
    audits = session.exec(select(func.count()).select_from(AuditEvent)).one()
    notes = session.exec(select(func.count()).select_from(Notification)).one()
    return users, audits, notes


@pytest.fixture
def cast(session):
    return {
        "admin": factories.admin(session),
        "pending": factories.sponsor(session, company_name="Acme Cosmetics"),
        "sponsor": factories.sponsor(session, approved=True),
        "influencer": factories.influencer(session),
    }


def test_queue_lists_pending_sponsors_for_admins(session, cast):
    rows, total = approvals.pending_sponsors(session, cast["admin"].id)
    assert total == 1 and [r.company_name for r in rows] == ["Acme Cosmetics"]


@pytest.mark.parametrize("who", ["sponsor", "influencer", "pending", None])
def test_non_admins_cannot_read_or_decide(session, cast, who):
    actor_id = cast[who].id if who else None
    before = snapshot(session)
    with pytest.raises(PermissionDenied):
        approvals.pending_sponsors(session, actor_id)
    with pytest.raises(PermissionDenied):
        approvals.approve_sponsor(session, actor_id, cast["pending"].id)
    with pytest.raises(PermissionDenied):
        approvals.reject_sponsor(session, actor_id, cast["pending"].id, "no")
    session.rollback()
    assert snapshot(session) == before


def test_a_flagged_admin_is_refused(session, cast):
    admin = cast["admin"]
    admin.status = UserStatus.FLAGGED.value
    session.add(admin)
    session.commit()
    with pytest.raises(PermissionDenied):
        approvals.approve_sponsor(session, admin.id, cast["pending"].id)


def test_approve_activates_notifies_and_audits(session, cast):
    approvals.approve_sponsor(session, cast["admin"].id, cast["pending"].id)
    session.commit()
    user = session.get(User, cast["pending"].id)
    assert user.status == "active"
    note = session.exec(select(Notification).where(Notification.user_id == user.id)).one()
    assert "approved" in note.title
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "sponsor.approve")).one()
    assert (event.actor_id, event.target_id, event.before, event.after) == (
        cast["admin"].id, user.id, "pending", "active")


def test_reject_needs_a_reason_and_the_sponsor_sees_it(session, cast):
    before = snapshot(session)
    for bad in ("", "   ", "r" * 501):
        with pytest.raises(DomainError) as err:
            approvals.reject_sponsor(session, cast["admin"].id, cast["pending"].id, bad)
        assert err.value.field == "reason"
    session.rollback()
    assert snapshot(session) == before
    approvals.reject_sponsor(session, cast["admin"].id, cast["pending"].id, "Website does not exist")
    session.commit()
    user = session.get(User, cast["pending"].id)
    assert user.status == "deactivated"
    assert "Website does not exist" in status_notice(user)


@pytest.mark.parametrize("target", ["sponsor", "influencer", "admin"])
def test_only_pending_sponsors_can_be_decided(session, cast, target):
    before = snapshot(session)
    with pytest.raises(DomainError):
        approvals.approve_sponsor(session, cast["admin"].id, cast[target].id)
    with pytest.raises(DomainError):
        approvals.reject_sponsor(session, cast["admin"].id, cast[target].id, "reason")
    session.rollback()
    assert snapshot(session) == before


def test_unknown_id_and_second_decision_are_refused(session, cast):
    with pytest.raises(NotFound):
        approvals.approve_sponsor(session, cast["admin"].id, 999_999)
    approvals.approve_sponsor(session, cast["admin"].id, cast["pending"].id)
    session.commit()
    with pytest.raises(DomainError) as err:
        approvals.reject_sponsor(session, cast["admin"].id, cast["pending"].id, "late")
    assert "already handled" in err.value.message
    assert session.get(User, cast["pending"].id).status == "active"


def test_queue_is_paginated_oldest_first(session, cast):
    for i in range(25):
        factories.sponsor(session, company_name=f"Queue {i:02d}")
    first, total = approvals.pending_sponsors(session, cast["admin"].id, page=0)
    second, _ = approvals.pending_sponsors(session, cast["admin"].id, page=1)
    assert total == 26 and len(first) == 20 and len(second) == 6
    assert first[0].company_name == "Acme Cosmetics" and second[-1].company_name == "Queue 24"
