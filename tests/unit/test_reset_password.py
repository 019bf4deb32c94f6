"""Password reset with an admin-made code: one use, 24 hours, one generic message, throttled."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from brandifiers.clock import UTC
from brandifiers.models import AuditEvent, LoginThrottle, PasswordResetCode, User
from brandifiers.services.accounts import admin_users, auth
from brandifiers.services.common.errors import DomainError, ValidationFailed
from tests.unit import factories
from tests.unit.factories import PASSWORD

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
NEW = "a-brand-new-password"


@pytest.fixture
def user_and_code(session):
    admin = factories.admin(session)
    user = factories.influencer(session, email="tess@example.com")
    code = admin_users.create_reset_code(session, admin.id, user.id, now=NOW)
    session.commit()
    return user, code


def password_of(session, user_id):
    session.expire_all()
    return session.get(User, user_id).password_hash


def refused(session, email, code, password=NEW, now=NOW):
    with pytest.raises(DomainError) as err:
        auth.reset_password_with_code(session, email, code, password, now=now)
    session.rollback()
    return err.value


def test_happy_path_sets_password_revokes_sessions_and_clears_throttle(session, user_and_code):
    user, code = user_and_code
    token = auth.login(session, user.email, PASSWORD, now=NOW).token
    session.commit()
    refused(session, user.email, "WRONG-CODE1")  # one failure on the throttle
    assert session.get(LoginThrottle, f"pair:{user.email}|unknown").failures == 1
    auth.reset_password_with_code(session, "TESS@example.com", code.lower().replace("-", " "), NEW,
                                  now=NOW + timedelta(hours=1))
    session.commit()
    assert auth.resolve_session(session, token, now=NOW + timedelta(hours=1)) is None
    assert session.get(LoginThrottle, f"pair:{user.email}|unknown") is None
    assert auth.login(session, user.email, NEW, now=NOW + timedelta(hours=1)).user.id == user.id
    with pytest.raises(DomainError):
        auth.login(session, user.email, PASSWORD, now=NOW + timedelta(hours=1))
    row = session.exec(select(PasswordResetCode)).one()
    assert row.used_at is not None
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "user.password_reset")).one().actor_id == user.id


def test_reuse_expiry_wrong_code_and_unknown_email_get_one_message(session, user_and_code):
    user, code = user_and_code
    before = password_of(session, user.id)
    messages = {
        refused(session, user.email, code, now=NOW + timedelta(hours=24, seconds=1)).message,  # expired
        refused(session, user.email, "ABCDE-FGHJK").message,  # wrong
        refused(session, "nobody@example.com", code).message,  # unknown e-mail
    }
    assert messages == {auth.GENERIC_RESET_ERROR}
    assert password_of(session, user.id) == before
    auth.reset_password_with_code(session, user.email, code, NEW, now=NOW)
    session.commit()
    after = password_of(session, user.id)
    assert refused(session, user.email, code, "yet-another-password").message == auth.GENERIC_RESET_ERROR  # reused
    assert password_of(session, user.id) == after


def test_a_code_works_only_for_its_own_user(session, user_and_code):
    _, code = user_and_code
    other = factories.influencer(session)
    assert refused(session, other.email, code).field == "code"


def test_bad_input_is_refused_per_field_without_counting(session, user_and_code):
    user, code = user_and_code
    with pytest.raises(ValidationFailed) as err:
        auth.reset_password_with_code(session, "not-an-email", "", "short", "other", now=NOW)
    assert set(err.value.errors) == {"email", "password", "confirm", "code"}
    with pytest.raises(ValidationFailed) as err:
        auth.reset_password_with_code(session, user.email, code, NEW, "different-password", now=NOW)
    assert set(err.value.errors) == {"confirm"}
    session.rollback()
    assert session.get(LoginThrottle, f"pair:{user.email}|unknown") is None
    assert session.exec(select(PasswordResetCode)).one().used_at is None


def test_attempts_are_throttled_like_logins(session, user_and_code):
    user, code = user_and_code
    for _ in range(5):
        refused(session, user.email, "WRONG-WRONG")
    err = refused(session, user.email, code)  # even the right code waits out the lock
    assert "Too many failed attempts" in err.message and err.field == "code"
    assert session.exec(select(PasswordResetCode)).one().used_at is None
    auth.reset_password_with_code(session, user.email, code, NEW, now=NOW + timedelta(minutes=16))
