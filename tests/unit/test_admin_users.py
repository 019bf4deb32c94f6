"""Admin user management: only active admins, nothing written on refusal, sessions revoked."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from brandifiers.clock import UTC, utcnow
from brandifiers.models import (
    AdRequest,
    AuditEvent,
    Campaign,
    Notification,
    PasswordResetCode,
    User,
    UserSession,
)
from brandifiers.services.accounts import admin_users, auth
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from tests.unit import factories
from tests.unit.factories import PASSWORD


def snapshot(session):
    """Everything an admin user action could change."""
    session.expire_all()
    users = [(u.id, u.status, u.status_reason, u.password_hash) for u in session.exec(select(User).order_by(User.id))]
    counts = [session.exec(select(func.count()).select_from(t)).one()
              for t in (AuditEvent, Notification, PasswordResetCode)]
    sessions = [(s.id, s.revoked_at) for s in session.exec(select(UserSession).order_by(UserSession.id))]
    return users, counts, sessions


@pytest.fixture
def cast(session):
    return {
        "admin": factories.admin(session),
        "sponsor": factories.sponsor(session, approved=True, company_name="Acme Cosmetics"),
        "influencer": factories.influencer(session, display_name="Trail Tess"),
    }


def call_all(session, actor_id, target_id):
    """Every admin user service, each expected to raise."""
    calls = [
        lambda: admin_users.list_users(session, actor_id),
        lambda: admin_users.user_detail(session, actor_id, target_id),
        lambda: admin_users.deactivate_user(session, actor_id, target_id, "spam"),
        lambda: admin_users.reactivate_user(session, actor_id, target_id),
        lambda: admin_users.create_reset_code(session, actor_id, target_id),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.parametrize("who", ["sponsor", "influencer", None])
def test_non_admins_are_refused_and_nothing_changes(session, cast, who):
    auth.login(session, cast["influencer"].email, PASSWORD)
    session.commit()
    before = snapshot(session)
    call_all(session, cast[who].id if who else None, cast["influencer"].id)
    session.rollback()
    assert snapshot(session) == before


def test_a_deactivated_admin_is_refused(session, cast):
    other = factories.admin(session)
    admin_users.deactivate_user(session, other.id, cast["admin"].id, "left the company")
    session.commit()
    call_all(session, cast["admin"].id, cast["sponsor"].id)


def test_list_filters_by_role_status_text_and_dates(session, cast):
    admin = cast["admin"].id
    rows, total = admin_users.list_users(session, admin)
    assert total == 3 and [r.email for r in rows][0] == cast["influencer"].email  # newest first
    assert [r.name for r in admin_users.list_users(session, admin, text="acme")[0]] == ["Acme Cosmetics"]
    assert [r.name for r in admin_users.list_users(session, admin, text="TRAIL")[0]] == ["Trail Tess"]
    assert admin_users.list_users(session, admin, text=cast["sponsor"].email.upper())[1] == 1
    assert admin_users.list_users(session, admin, text="100%")[1] == 0  # % is literal
    assert admin_users.list_users(session, admin, role="sponsor")[1] == 1
    assert admin_users.list_users(session, admin, status="pending")[1] == 0
    today = utcnow().date()
    assert admin_users.list_users(session, admin, signed_up_from=today, signed_up_to=today.isoformat())[1] == 3
    assert admin_users.list_users(session, admin, signed_up_to=today - timedelta(days=1))[1] == 0


def test_list_refuses_bad_filters_on_their_field(session, cast):
    admin = cast["admin"].id
    with pytest.raises(DomainError) as err:
        admin_users.list_users(session, admin, signed_up_from=date(2025, 5, 2), signed_up_to=date(2025, 5, 1))
    assert err.value.field == "signed_up_to"
    with pytest.raises(ValidationFailed) as err:
        admin_users.list_users(session, admin, signed_up_from="yesterday")
    assert set(err.value.errors) == {"signed_up_from"}
    with pytest.raises(DomainError) as err:
        admin_users.list_users(session, admin, role="root")
    assert err.value.field == "role"


def test_list_is_paginated_at_most_50(session, cast):
    for i in range(55):
        session.add(User(email=f"bulk{i:02d}@example.com", password_hash="x", role="influencer", status="active",
                         created_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=i)))
    session.commit()
    rows, total = admin_users.list_users(session, cast["admin"].id, page_size=500, text="bulk")
    assert total == 55 and len(rows) == 50 and rows[0].email == "bulk54@example.com"
    rows, _ = admin_users.list_users(session, cast["admin"].id, page=2, text="bulk")
    assert [r.email for r in rows] == [f"bulk{i:02d}@example.com" for i in range(4, -1, -1)]


def test_detail_of_sponsor_and_influencer(session, cast):
    sponsor, inf = cast["sponsor"], cast["influencer"]
    campaign = Campaign(sponsor_id=sponsor.id, name="Spring Glow", category="Beauty", start_date=date(2025, 3, 1),
                        end_date=date(2025, 4, 1), budget_cents=500_00, visibility="public", status="active",
                        flagged=True, flag_reason="misleading claims")
    session.add(campaign)
    session.flush()
    session.add(AdRequest(campaign_id=campaign.id, influencer_id=inf.id, sponsor_id=sponsor.id,
                          initiated_by="sponsor", payment_cents=120_00, status="accepted"))
    session.commit()
    detail = admin_users.user_detail(session, cast["admin"].id, sponsor.id)
    assert detail.name == "Acme Cosmetics" and ("Industry", "Cosmetics") in detail.profile
    assert detail.campaigns == [{"id": campaign.id, "name": "Spring Glow", "status": "active",
                                 "budget_cents": 500_00, "flagged": True}]
    assert any("misleading claims" in f for f in detail.flags)
    assert [e.action for e in detail.events] == ["user.signup"]
    detail = admin_users.user_detail(session, cast["admin"].id, inf.id)
    assert detail.collaborations[0]["campaign"] == "Spring Glow" and detail.collaborations[0]["amount_cents"] == 12000
    assert ("Followers", "12,000") in detail.profile and detail.flags == []
    inf.status, inf.status_reason = "flagged", "spam comments"
    session.add(inf)
    session.commit()
    assert admin_users.user_detail(session, cast["admin"].id, inf.id).flags == ["Account flagged: spam comments"]
    with pytest.raises(NotFound):
        admin_users.user_detail(session, cast["admin"].id, 999_999)


def test_deactivate_needs_a_reason_revokes_sessions_audits_and_notifies(session, cast):
    inf = cast["influencer"]
    token = auth.login(session, inf.email, PASSWORD).token
    session.commit()
    before = snapshot(session)
    for bad in ("", "  ", "r" * 501):
        with pytest.raises(DomainError) as err:
            admin_users.deactivate_user(session, cast["admin"].id, inf.id, bad)
        assert err.value.field == "reason"
    session.rollback()
    assert snapshot(session) == before
    admin_users.deactivate_user(session, cast["admin"].id, inf.id, "Fake followers")
    session.commit()
    assert auth.resolve_session(session, token) is None
    user = session.get(User, inf.id)
    assert (user.status, user.status_reason) == ("deactivated", "Fake followers")
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.deactivate")).one()
    assert (event.actor_id, event.target_id, event.before, event.after) == (cast["admin"].id, inf.id, "active",
                                                                             "deactivated")
    note = session.exec(select(Notification).where(Notification.user_id == inf.id)).one()
    assert note.body == "Fake followers"


def test_already_handled_unknown_and_self_are_refused(session, cast):
    admin, inf = cast["admin"].id, cast["influencer"].id
    with pytest.raises(DomainError) as err:
        admin_users.reactivate_user(session, admin, inf)
    assert "already handled" in err.value.message
    with pytest.raises(NotFound):
        admin_users.deactivate_user(session, admin, 999_999, "x")
    with pytest.raises(NotFound):
        admin_users.create_reset_code(session, admin, 999_999)
    with pytest.raises(NotFound):
        admin_users.reactivate_user(session, admin, 999_999)
    with pytest.raises(DomainError) as err:
        admin_users.deactivate_user(session, admin, admin, "tired")
    assert "your own account" in err.value.message
    admin_users.deactivate_user(session, admin, inf, "spam")
    session.commit()
    before = snapshot(session)
    with pytest.raises(DomainError) as err:
        admin_users.deactivate_user(session, admin, inf, "spam again")
    assert "already handled" in err.value.message
    session.rollback()
    assert snapshot(session) == before
    admin_users.reactivate_user(session, admin, inf, "appeal accepted")
    session.commit()
    assert session.get(User, inf).status == "active"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "user.reactivate")).one().after == "active"


def test_two_admins_deactivating_each_other_leave_one_active(engine, session, cast):
    """The last-admin rule under a real race: the second call waits for the first one's lock."""
    a, b = cast["admin"].id, factories.admin(session).id
    first = Session(engine, expire_on_commit=False)
    admin_users.deactivate_user(first, a, b, "b leaves")  # holds the lock, not committed yet
    outcome = {}

    def second():
        with Session(engine, expire_on_commit=False) as s:
            try:
                admin_users.deactivate_user(s, b, a, "a leaves")
                s.commit()
                outcome["result"] = "deactivated"
            except DomainError as exc:
                outcome["result"] = exc.message

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(0.5)
    first.commit()
    first.close()
    thread.join(10)
    assert "last active administrator" in outcome["result"]
    session.expire_all()
    assert session.get(User, a).status == "active" and session.get(User, b).status == "deactivated"


def test_reset_code_is_stored_hashed_once_and_replaces_older_ones(session, cast):
    inf = cast["influencer"].id
    now = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    first = admin_users.create_reset_code(session, cast["admin"].id, inf, now=now)
    second = admin_users.create_reset_code(session, cast["admin"].id, inf, now=now + timedelta(minutes=1))
    session.commit()
    assert first != second and len(second.replace("-", "")) == 10
    codes = session.exec(select(PasswordResetCode).order_by(PasswordResetCode.id)).all()
    assert [c.used_at is not None for c in codes] == [True, False]
    assert codes[1].code_hash == auth.reset_code_hash(second) and second not in codes[1].code_hash
    assert codes[1].expires_at == now + timedelta(minutes=1, hours=24)
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "user.reset_code")).all()
    assert len(events) == 2 and all(second not in (e.summary or "") for e in events)
