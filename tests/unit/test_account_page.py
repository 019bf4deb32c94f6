"""The account page's services: change password (others signed out, this one kept), the person's own
sessions (device, last seen written at most every few minutes), sign out one or all others; every backend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from brandifiers.clock import utcnow
from brandifiers.models import AuditEvent, UserSession
from brandifiers.services.accounts import account, auth
from brandifiers.services.accounts.devices import device_label
from brandifiers.services.accounts.passwords import verify_password
from brandifiers.services.common.errors import DomainError, ValidationFailed
from tests.unit import factories
from tests.unit.factories import PASSWORD

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.5 Mobile/15E148 Safari/604.1")
NEW = "a-brand-new-secret"


def _login(session, user, user_agent=None, now=None):
    token = auth.login(session, user.email, PASSWORD, user_agent=user_agent, now=now).token
    session.commit()
    return token


def _audits(session, action):
    return session.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)).one()


def _change(session, user, token, current=PASSWORD, new=NEW, confirm=None):
    ended = account.change_password(session, user.id, {"current_password": current, "new_password": new,
                                                       "confirm_password": new if confirm is None else confirm},
                                    auth.token_digest(token))
    session.commit()
    return ended


@pytest.mark.parametrize(("agent", "label"), [
    (FIREFOX_WINDOWS, "Firefox on Windows"), (SAFARI_IPHONE, "Safari on iPhone"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 "
     "Safari/537.36", "Chrome on Linux"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 "
     "Safari/537.36 Edg/131.0", "Edge on macOS"),
    ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
     "Chrome on Android"),
    ("curl/8.5", "Unknown device"), ("", "Unknown device"), (None, "Unknown device")])
def test_device_label_reads_browser_and_system(agent, label):
    assert device_label(agent) == label


def test_change_password_signs_out_the_other_sessions_and_keeps_this_one(session):
    user = factories.influencer(session)
    mine, other, third = _login(session, user), _login(session, user), _login(session, user)
    assert _change(session, user, mine) == 2
    assert auth.resolve_session(session, mine).id == user.id
    assert auth.resolve_session(session, other) is None and auth.resolve_session(session, third) is None
    assert verify_password(NEW, session.get(type(user), user.id).password_hash)[0]
    assert _audits(session, "user.password_changed") == 1
    with pytest.raises(DomainError):  # the old password no longer logs in; the new one does
        auth.login(session, user.email, PASSWORD)
    session.rollback()
    assert auth.login(session, user.email, NEW).user.id == user.id


@pytest.mark.parametrize(("current", "new", "confirm", "field", "fragment"), [
    ("wrong-password-here", NEW, None, "current_password", "not your current password"),
    ("", NEW, None, "current_password", "Enter your current password"),
    (PASSWORD, "short", None, "new_password", "at least 8"),
    (PASSWORD, NEW, NEW + "x", "confirm_password", "differ"),
    (PASSWORD, PASSWORD, None, "new_password", "different from the current"),
])
def test_change_password_refusals_name_the_field_and_write_nothing(session, current, new, confirm, field,
                                                                   fragment):
    user = factories.sponsor(session, approved=True)
    before = user.password_hash
    mine, other = _login(session, user), _login(session, user)
    with pytest.raises((DomainError, ValidationFailed)) as err:
        _change(session, user, mine, current=current, new=new, confirm=confirm)
    session.rollback()
    errors = err.value.errors if isinstance(err.value, ValidationFailed) else {err.value.field: err.value.message}
    assert fragment in errors[field]
    session.expire_all()
    assert session.get(type(user), user.id).password_hash == before
    assert auth.resolve_session(session, other).id == user.id  # nobody signed out
    assert _audits(session, "user.password_changed") == 0


def test_wrong_current_passwords_are_throttled_like_log_ins(session):
    user = factories.influencer(session)
    mine = _login(session, user)
    for _ in range(5):
        with pytest.raises(DomainError):
            _change(session, user, mine, current="guess-guess-guess")
        session.rollback()
    with pytest.raises(DomainError) as err:  # now even the right one waits
        _change(session, user, mine)
    assert "Too many failed attempts" in err.value.message


def test_session_list_shows_only_own_open_sessions_with_device_and_this_device_first(session):
    now = utcnow()
    user, stranger = factories.influencer(session), factories.influencer(session)
    mine = _login(session, user, FIREFOX_WINDOWS, now=now - timedelta(hours=2))
    phone = _login(session, user, SAFARI_IPHONE, now=now - timedelta(hours=1))
    ended = _login(session, user, now=now)
    auth.logout(session, ended)
    _login(session, stranger, FIREFOX_WINDOWS)
    session.commit()
    lines = account.list_sessions(session, user.id, auth.token_digest(mine), now=now)
    assert [(s.device, s.current) for s in lines] == [("Firefox on Windows", True), ("Safari on iPhone", False)]
    assert lines[1].signed_in_at == (now - timedelta(hours=1)).replace(tzinfo=lines[1].signed_in_at.tzinfo)
    owners = {r.id: r.user_id for r in session.exec(select(UserSession)).all()}
    assert {owners[s.id] for s in lines} == {user.id}
    assert phone  # listed above


def test_sign_out_one_session_is_refused_for_another_persons_or_this_one(session):
    user, stranger = factories.influencer(session), factories.influencer(session)
    mine, other = _login(session, user), _login(session, user)
    theirs = _login(session, stranger)
    ids = {t: session.exec(select(UserSession.id).where(UserSession.token_hash == auth.token_digest(t))).one()
           for t in (mine, other, theirs)}
    for target in (ids[theirs], ids[mine], 0, 10**9):
        with pytest.raises(DomainError):
            account.sign_out_session(session, user.id, target, auth.token_digest(mine))
        session.rollback()
    assert auth.resolve_session(session, theirs).id == stranger.id
    assert auth.resolve_session(session, mine).id == user.id
    account.sign_out_session(session, user.id, ids[other], auth.token_digest(mine))
    session.commit()
    assert auth.resolve_session(session, other) is None  # its next event is logged out
    assert auth.resolve_session(session, mine).id == user.id
    assert _audits(session, "user.session_signed_out") == 1


def test_sign_out_all_others_keeps_this_one_and_nobody_elses(session):
    user, stranger = factories.sponsor(session, approved=True), factories.influencer(session)
    mine, a, b = _login(session, user), _login(session, user), _login(session, user)
    theirs = _login(session, stranger)
    assert account.sign_out_others(session, user.id, auth.token_digest(mine)) == 2
    session.commit()
    assert [auth.resolve_session(session, t) for t in (a, b)] == [None, None]
    assert auth.resolve_session(session, mine).id == user.id
    assert auth.resolve_session(session, theirs).id == stranger.id
    assert account.sign_out_others(session, user.id, auth.token_digest(mine)) == 0
    with pytest.raises(DomainError):  # no actor, no list
        account.list_sessions(session, None, "")


def test_last_seen_is_written_at_most_every_few_minutes(session):
    start = utcnow()
    user = factories.influencer(session)
    token = _login(session, user, now=start)

    def seen():
        session.expire_all()
        value = session.exec(select(UserSession.last_seen_at)
                             .where(UserSession.token_hash == auth.token_digest(token))).one()
        return value.replace(tzinfo=None)

    assert seen() == start.replace(tzinfo=None)
    for minutes in (1, 2, 4, 5):  # within the resolution: no write
        auth.resolve_session(session, token, now=start + timedelta(minutes=minutes))
        session.commit()
        assert seen() == start.replace(tzinfo=None)
    later = start + timedelta(minutes=6)
    auth.resolve_session(session, token, now=later)
    session.commit()
    assert seen() == later.replace(tzinfo=None)
    line = account.list_sessions(session, user.id, auth.token_digest(token), now=later)[0]
    assert line.last_seen_at.replace(tzinfo=None) == later.replace(tzinfo=None)
