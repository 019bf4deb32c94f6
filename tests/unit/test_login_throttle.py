"""The log-in throttle (services/accounts/throttle.py): no lost counts under real parallel threads, no lock-out
as a weapon (per e-mail and address, per address, a capped slow-down per e-mail, recognised browsers), the
admin's list of locks, and per-address request rates."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import func, select

from brandifiers.clock import utcnow
from brandifiers.config import Settings
from brandifiers.models import AuditEvent, LoginDevice, LoginThrottle, User
from brandifiers.services.accounts import admin_users, auth, throttle
from brandifiers.services.common.errors import DomainError, PermissionDenied
from tests.unit import factories
from tests.unit.factories import PASSWORD
from tests.unit.test_budget_guard import race

ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


def fails(session, email, *, client=ATTACKER, now=None, password="wrong-password", **kw) -> str:
    with pytest.raises(DomainError) as err:
        auth.login(session, email, password, client=client, now=now, **kw)
    session.rollback()
    return err.value.message


def test_parallel_wrong_passwords_all_count_and_the_next_guess_is_refused(engine, session):
    """Seen before: 5 parallel failures stored 4 and a 6th guess was allowed; parallel first failures on a
    new e-mail raised IntegrityError."""
    factories.influencer(session, email="me@example.com")
    session.commit()
    for email in ("me@example.com", "new-address@example.com"):
        results = race(engine, *[lambda s, e=email: auth.login(s, e, "wrong-password", client=ATTACKER)
                                 for _ in range(5)])
        assert all(isinstance(r, DomainError) and r.message == auth.GENERIC_LOGIN_ERROR for r in results), results
        session.expire_all()
        assert session.get(LoginThrottle, f"pair:{email}|{ATTACKER}").failures == 5
    assert "Too many failed attempts" in fails(session, "me@example.com", password=PASSWORD)
    assert session.get(LoginThrottle, f"client:{ATTACKER}").failures == 10


def test_a_stranger_cannot_lock_the_owner_out(session):
    owner = factories.influencer(session, email="boss@example.com")
    session.commit()
    t0 = utcnow()
    for i in range(5):
        fails(session, owner.email, now=t0 + timedelta(seconds=i))
    assert "Too many failed attempts" in fails(session, owner.email, password=PASSWORD, now=t0 + timedelta(seconds=9))
    # the owner, from another address, after the e-mail's short slow-down: in
    assert auth.login(session, owner.email, PASSWORD, client=OWNER, now=t0 + timedelta(seconds=10)).token


def test_the_e_mails_slow_down_doubles_and_is_capped(session):
    """Guesses from ever new addresses: from the 5th failure each next try waits 1, 2, 4 ... at most 60 s."""
    factories.influencer(session, email="me@example.com")
    session.commit()
    now = utcnow()
    waits = []
    for i in range(12):
        fails(session, "me@example.com", client=f"10.0.0.{i}", now=now)
        row = session.exec(select(LoginThrottle).where(LoginThrottle.key == "email:me@example.com")).one()
        if row.locked_until is not None and row.locked_until > now:
            waits.append(round((row.locked_until - now).total_seconds()))
            blocked = fails(session, "me@example.com", client="10.9.9.9", now=now + timedelta(seconds=0.5))
            assert "Too many failed attempts. Try again in" in blocked
            now = row.locked_until + timedelta(seconds=0.1)
        session.expire_all()
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]


def test_one_address_is_locked_after_20_failures_over_any_e_mails(session):
    t0 = utcnow()
    for i in range(20):
        fails(session, f"user{i}@example.com", now=t0)
    assert "Too many failed attempts" in fails(session, "fresh@example.com", now=t0)
    assert "Too many failed attempts" not in fails(session, "fresh@example.com", client=OWNER, now=t0)


def test_a_recognised_browser_passes_a_lock_with_the_right_password_only(session):
    owner = factories.influencer(session, email="boss@example.com")
    session.commit()
    t0 = utcnow()
    first = auth.login(session, owner.email, PASSWORD, client=OWNER, now=t0)
    session.commit()
    device = auth.token_digest(first.device_token)
    assert first.device_token and session.get(LoginDevice, device).user_id == owner.id
    # an attacker behind the owner's own address (one office, one NAT) locks the address and the e-mail
    for i in range(20):
        fails(session, owner.email if i < 5 else f"x{i}@example.com", client=OWNER, now=t0 + timedelta(minutes=1))
    assert "Too many" in fails(session, owner.email, client=OWNER, password=PASSWORD, now=t0 + timedelta(minutes=2))
    # the owner's browser: in, and its marker is renewed rather than replaced
    again = auth.login(session, owner.email, PASSWORD, client=OWNER, device_hash=device, now=t0 + timedelta(minutes=2))
    session.commit()
    assert again.token and again.device_token is None
    # the marker counts for its own account only, and wrong passwords with it are throttled on it
    other = factories.influencer(session, email="other@example.com")
    session.commit()
    assert "Too many" in fails(session, other.email, client=OWNER, device_hash=device, now=t0 + timedelta(minutes=2))
    for _ in range(5):
        assert fails(session, owner.email, client=OWNER, device_hash=device,
                     now=t0 + timedelta(minutes=3)) == auth.GENERIC_LOGIN_ERROR
    assert "Too many" in fails(session, owner.email, client=OWNER, device_hash=device, password=PASSWORD,
                               now=t0 + timedelta(minutes=3))
    # an expired marker (30 days after its last log-in) is no marker
    later = t0 + timedelta(days=30, minutes=3)
    for _ in range(5):
        fails(session, owner.email, client=OWNER, now=later)
    assert "Too many" in fails(session, owner.email, client=OWNER, device_hash=device, password=PASSWORD, now=later)


def test_admin_sees_and_lifts_locks_audited_others_cannot(session):
    admin = factories.admin(session)
    owner = factories.influencer(session, email="boss@example.com")
    session.commit()
    for _ in range(5):
        fails(session, owner.email)
    locks = admin_users.login_locks(session, admin.id)
    assert {(lock.kind, lock.email, lock.client) for lock in locks} >= {("pair", owner.email, ATTACKER)}
    with pytest.raises(PermissionDenied):
        admin_users.login_locks(session, owner.id)
    with pytest.raises(PermissionDenied):
        admin_users.lift_login_lock(session, owner.id, f"pair:{owner.email}|{ATTACKER}")
    session.rollback()
    admin_users.lift_login_lock(session, admin.id, f"pair:{owner.email}|{ATTACKER}")
    session.commit()
    assert session.get(LoginThrottle, f"pair:{owner.email}|{ATTACKER}") is None
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.login_lock_lifted")).one()
    assert event.actor_id == admin.id and owner.email in event.summary
    assert auth.login(session, owner.email, PASSWORD, client=ATTACKER, now=utcnow() + timedelta(minutes=2)).token


def _low_limits(monkeypatch):
    low = Settings(request_limits=(("login", 3, 5), ("signup", 2, 60), ("reset", 2, 15)))
    monkeypatch.setattr(throttle, "get_settings", lambda: low)


def test_requests_over_the_address_rate_get_a_message_and_write_nothing(session, monkeypatch):
    from brandifiers.state.account import AccountState

    _low_limits(monkeypatch)
    users = lambda: session.exec(select(func.count()).select_from(User)).one()  # noqa: E731
    data = {"password": PASSWORD, "display_name": "A", "category": "Food", "platform": "tiktok", "handle": "a",
            "followers": "10"}
    for i in range(2):
        asyncio.run(AccountState().signup_influencer({**data, "email": f"u{i}@example.com"}))
    assert users() == 2
    state = AccountState()
    assert asyncio.run(state.signup_influencer({**data, "email": "third@example.com"})) is None
    assert state.form_error.startswith("Too many requests from your network. Wait") and users() == 2
    for _ in range(3):
        asyncio.run(AccountState().login({"email": "u0@example.com", "password": PASSWORD}))
    state = AccountState()
    asyncio.run(state.login({"email": "u0@example.com", "password": PASSWORD}))
    assert "Too many requests" in state.form_error and state.auth_token == ""
    for _ in range(2):
        asyncio.run(AccountState().reset_password({"email": "u0@example.com", "code": "AAAAA-BBBBB",
                                                   "password": "new-password-1", "confirm": "new-password-1"}))
    state = AccountState()
    asyncio.run(state.reset_password({"email": "u0@example.com", "code": "AAAAA-BBBBB",
                                      "password": "new-password-1", "confirm": "new-password-1"}))
    assert "Too many requests" in state.form_error
    session.expire_all()
    assert session.get(LoginThrottle, "pair:u0@example.com|unknown").failures == 2  # the third reset never ran


def test_the_rate_window_starts_again(session, monkeypatch):
    _low_limits(monkeypatch)
    t0 = utcnow()
    for _ in range(3):
        throttle.limit_requests(session, "login", OWNER, now=t0)
    with pytest.raises(DomainError) as err:
        throttle.limit_requests(session, "login", OWNER, now=t0 + timedelta(minutes=2))
    assert err.value.message == "Too many requests from your network. Wait 3 minutes and try again."
    throttle.limit_requests(session, "login", ATTACKER, now=t0 + timedelta(minutes=2))  # another address
    throttle.limit_requests(session, "login", OWNER, now=t0 + timedelta(minutes=5, seconds=1))


def test_the_users_page_lists_locks_and_lifts_one_for_admins_only(session):
    from brandifiers.state.admin_users import AdminUsersState
    from tests.unit.test_state_handlers import logged_in

    admin, owner = factories.admin(session), factories.influencer(session, email="boss@example.com")
    session.commit()
    page, intruder = logged_in(AdminUsersState, admin), logged_in(AdminUsersState, owner)
    for _ in range(5):
        fails(session, owner.email)
    page.load()
    key = f"pair:{owner.email}|{ATTACKER}"
    assert [(lk["email"], lk["client"]) for lk in page.locks if lk["key"] == key] == [(owner.email, ATTACKER)]
    intruder.lift_lock(key)
    assert intruder.form_error and session.get(LoginThrottle, key) is not None
    page.lift_lock(key)
    session.expire_all()
    assert session.get(LoginThrottle, key) is None and key not in [lk["key"] for lk in page.locks]


def test_request_limits_come_from_the_environment(session, monkeypatch):
    monkeypatch.setenv("BRANDIFIERS_REQUEST_LIMITS", "login=1/5")
    assert Settings().request_limits == (("login", 1, 5), ("signup", 10, 60), ("reset", 10, 15), ("verify", 3, 60))
    throttle.limit_requests(session, "login", OWNER)
    with pytest.raises(DomainError):
        throttle.limit_requests(session, "login", OWNER)
    monkeypatch.setenv("BRANDIFIERS_REQUEST_LIMITS", "off")
    throttle.limit_requests(session, "login", OWNER)  # no limit, nothing counted
    assert session.get(LoginThrottle, f"rate:login:{OWNER}").failures == 2
