"""The nightly purge (jobs/scheduler.nightly_purge -> auth.purge_expired): ended sessions, used and expired
reset codes, finished log-in throttle rows and expired browser markers go; everything still in force stays."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from brandifiers.config import get_settings
from brandifiers.jobs.scheduler import Jobs, build_scheduler, nightly_purge
from brandifiers.models import LoginDevice, LoginThrottle, PasswordResetCode, UserSession
from tests.unit import factories


def test_the_nightly_purge_deletes_what_can_no_longer_grant_or_lock_anything(session, engine):
    user = factories.influencer(session)
    now = datetime(2026, 12, 6, 3, 5, tzinfo=UTC)
    hour = timedelta(hours=1)
    session.add_all([
        UserSession(user_id=user.id, token_hash="live", created_at=now - hour, expires_at=now + hour),
        UserSession(user_id=user.id, token_hash="expired", created_at=now - 9 * hour, expires_at=now - hour),
        UserSession(user_id=user.id, token_hash="revoked", created_at=now - hour, expires_at=now + hour,
                    revoked_at=now - hour),
        PasswordResetCode(user_id=user.id, code_hash="open", created_at=now - hour, expires_at=now + hour),
        PasswordResetCode(user_id=user.id, code_hash="used", created_at=now - hour, expires_at=now + hour,
                          used_at=now - hour),
        PasswordResetCode(user_id=user.id, code_hash="late", created_at=now - 30 * hour, expires_at=now - hour),
        LoginThrottle(key="pair:old", kind="pair", failures=3, window_start=now - 2 * hour),
        LoginThrottle(key="pair:counting", kind="pair", failures=2, window_start=now - timedelta(minutes=5)),
        LoginThrottle(key="client:locked", kind="client", failures=20, window_start=now - 2 * hour,
                      locked_until=now + timedelta(minutes=5)),
        LoginThrottle(key="rate:signup:old", kind="rate", failures=9, window_start=now - 2 * hour),
        LoginDevice(token_hash="gone", user_id=user.id, created_at=now - 40 * 24 * hour, expires_at=now - hour),
        LoginDevice(token_hash="kept", user_id=user.id, created_at=now - hour, expires_at=now + 24 * hour),
    ])
    session.commit()
    settings = dataclasses.replace(get_settings(), compact_time="03:00")
    assert nightly_purge(engine, now - timedelta(minutes=10), settings) is None  # 02:55: not yet
    assert nightly_purge(engine, now, settings) == {"sessions": 2, "reset_codes": 2, "links": 0, "throttle_rows": 2,
                                                    "devices": 1}
    assert nightly_purge(engine, now + hour, settings) is None  # once a night
    session.expire_all()
    assert session.exec(select(UserSession.token_hash)).all() == ["live"]
    assert session.exec(select(PasswordResetCode.code_hash)).all() == ["open"]
    assert sorted(session.exec(select(LoginThrottle.key))) == ["client:locked", "pair:counting"]
    assert session.exec(select(LoginDevice.token_hash)).all() == ["kept"]
    scheduler = build_scheduler(jobs=Jobs(settings=settings))
    assert scheduler.get_job("nightly-purge").args == ("housekeeping",)
