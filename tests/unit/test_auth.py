"""Sign-up, log-in, throttling, sessions and the first admin, on every backend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from brandifiers.clock import utcnow
from brandifiers.config import Settings
from brandifiers.models import InfluencerProfile, LoginThrottle, SocialAccount, SponsorProfile, User, UserSession
from brandifiers.services.accounts import auth
from brandifiers.services.accounts.passwords import pwd_context
from brandifiers.services.common.errors import DomainError, ValidationFailed
from tests.unit import factories
from tests.unit.factories import PASSWORD


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_influencer_signup_creates_active_account_with_profile_and_platform(session):
    user = factories.influencer(session, email="  Mixed.Case@Example.COM ", followers="15,000")
    assert user.email == "mixed.case@example.com"
    assert user.role == "influencer" and user.status == "active"
    assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash
    profile = session.exec(select(InfluencerProfile).where(InfluencerProfile.user_id == user.id)).one()
    social = session.exec(select(SocialAccount).where(SocialAccount.influencer_id == profile.id)).one()
    assert (social.platform, social.followers, profile.total_followers) == ("instagram", 15000, 15000)


def test_sponsor_signup_is_pending_with_profile(session):
    user = factories.sponsor(session, yearly_budget="1,250.50")
    assert user.status == "pending"
    profile = session.exec(select(SponsorProfile).where(SponsorProfile.user_id == user.id)).one()
    assert profile.yearly_budget_cents == 125050
    assert profile.website == "https://brand.example.com"


def test_email_is_unique_case_insensitively(session):
    factories.influencer(session, email="dup@example.com")
    with pytest.raises(ValidationFailed) as err:
        factories.sponsor(session, email="DUP@example.com")
    assert "already registered" in err.value.errors["email"]
    session.rollback()
    assert count(session, User) == 1 and count(session, SponsorProfile) == 0


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"email": ""}, "email", "required"),
        ({"email": "not-an-email"}, "email", "valid e-mail"),
        ({"email": "a@" + "b" * 250 + ".com"}, "email", "at most"),
        ({"password": "short"}, "password", "at least 8"),
        ({"password": "x" * 129}, "password", "at most 128"),
        ({"display_name": ""}, "display_name", "required"),
        ({"display_name": "n" * 81}, "display_name", "at most 80"),
        ({"category": "Astrology"}, "category", "from the list"),
        ({"platform": ""}, "platform", "Choose"),
        ({"followers": "-5"}, "followers", "negative"),
        ({"followers": "lots"}, "followers", "whole number"),
        ({"niche": "z" * 81}, "niche", "at most 80"),
    ],
)
def test_influencer_signup_bad_input_names_the_field_and_writes_nothing(session, overrides, field, fragment):
    with pytest.raises(ValidationFailed) as err:
        factories.influencer(session, **overrides)
    assert fragment in err.value.errors[field]
    session.rollback()
    assert count(session, User) == 0 and count(session, InfluencerProfile) == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"company_name": ""}, "company_name"), ({"company_name": "c" * 121}, "company_name"),
     ({"industry": ""}, "industry"), ({"yearly_budget": "-10"}, "yearly_budget"),
     ({"yearly_budget": "ten"}, "yearly_budget"), ({"website": "w" * 201}, "website")],
)
def test_sponsor_signup_bad_input(session, overrides, field):
    with pytest.raises(ValidationFailed) as err:
        factories.sponsor(session, **overrides)
    assert field in err.value.errors
    session.rollback()
    assert count(session, User) == 0


def test_login_opens_a_session_storing_only_the_token_hash(session):
    user = factories.influencer(session, email="me@example.com")
    now = utcnow()
    result = auth.login(session, "ME@example.com", PASSWORD, now=now)
    session.commit()
    assert result.user.id == user.id
    assert len(result.token) >= 43  # 32 random bytes, url-safe base64: 256 bits
    row = session.exec(select(UserSession)).one()
    assert row.token_hash != result.token and result.token not in row.token_hash
    assert row.expires_at - now == timedelta(days=7)
    assert auth.resolve_session(session, result.token, now=now + timedelta(days=6)).id == user.id
    assert auth.resolve_session(session, result.token, now=now + timedelta(days=7, seconds=1)) is None
    assert auth.resolve_session(session, result.token + "x") is None
    assert auth.resolve_session(session, "") is None


def test_logout_revokes_the_session(session):
    factories.influencer(session, email="me@example.com")
    token = auth.login(session, "me@example.com", PASSWORD).token
    session.commit()
    auth.logout(session, token)
    session.commit()
    assert auth.resolve_session(session, token) is None


def test_wrong_password_and_unknown_email_get_the_same_message(session):
    factories.influencer(session, email="me@example.com")
    with pytest.raises(DomainError) as wrong:
        auth.login(session, "me@example.com", "wrong-password")
    with pytest.raises(DomainError) as unknown:
        auth.login(session, "nobody@example.com", "wrong-password")
    assert wrong.value.message == unknown.value.message == auth.GENERIC_LOGIN_ERROR
    assert count(session, UserSession) == 0


def test_five_failures_lock_the_account_even_for_the_right_password(session):
    factories.influencer(session, email="me@example.com")
    t0 = utcnow()
    for i in range(5):
        with pytest.raises(DomainError) as err:
            auth.login(session, "me@example.com", "wrong-password", now=t0 + timedelta(minutes=i))
        assert err.value.message == auth.GENERIC_LOGIN_ERROR
    with pytest.raises(DomainError) as locked:
        auth.login(session, "me@example.com", PASSWORD, now=t0 + timedelta(minutes=5))
    assert "Too many failed attempts" in locked.value.message
    assert count(session, UserSession) == 0
    # Still locked 14 minutes after the fifth failure, open after 15.
    with pytest.raises(DomainError):
        auth.login(session, "me@example.com", PASSWORD, now=t0 + timedelta(minutes=4 + 14))
    result = auth.login(session, "me@example.com", PASSWORD, now=t0 + timedelta(minutes=4 + 15, seconds=1))
    session.commit()
    assert result.token and session.get(LoginThrottle, "pair:me@example.com|unknown") is None


def test_failures_spread_over_more_than_the_window_do_not_lock(session):
    factories.influencer(session, email="me@example.com")
    t0 = utcnow()
    for i in range(6):
        with pytest.raises(DomainError) as err:
            auth.login(session, "me@example.com", "wrong-password", now=t0 + timedelta(minutes=4 * i))
        assert "Too many" not in err.value.message
    assert auth.login(session, "me@example.com", PASSWORD, now=t0 + timedelta(minutes=25)).token


def test_unknown_email_is_throttled_like_a_real_one(session):
    t0 = utcnow()
    for _i in range(5):
        with pytest.raises(DomainError):
            auth.login(session, "ghost@example.com", "whatever-pass", now=t0)
    with pytest.raises(DomainError) as err:
        auth.login(session, "ghost@example.com", "whatever-pass", now=t0)
    assert "Too many failed attempts" in err.value.message


def test_old_hash_is_upgraded_to_argon2_at_login(session):
    user = factories.influencer(session, email="old@example.com")
    user.password_hash = pwd_context.handler("pbkdf2_sha256").hash(PASSWORD)
    session.add(user)
    session.commit()
    auth.login(session, "old@example.com", PASSWORD)
    session.commit()
    session.refresh(user)
    assert user.password_hash.startswith("$argon2")



def test_a_costlier_argon2_hash_still_logs_in_and_is_rehashed_at_the_current_cost(session):
    """Hashes made with argon2-cffi's default (64 MiB, t=3, p=4) by earlier installs keep working."""
    from passlib.hash import argon2

    user = factories.influencer(session, email="costly@example.com")
    user.password_hash = argon2.using(memory_cost=65536, time_cost=3, parallelism=4).hash(PASSWORD)
    session.add(user)
    session.commit()
    auth.login(session, "costly@example.com", PASSWORD)
    session.commit()
    session.refresh(user)
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert pwd_context.verify(PASSWORD, user.password_hash)

def test_first_admin_from_environment_then_never_again(session):
    settings = Settings(admin_email="Boss@Example.com", admin_password="s3cret-password")
    assert auth.ensure_admin(session, settings=settings) == ("boss@example.com", None)
    session.commit()
    assert auth.ensure_admin(session, settings=settings) is None
    assert auth.login(session, "boss@example.com", "s3cret-password").user.role == "admin"


def test_first_admin_gets_a_random_password_when_unset(session):
    email, password = auth.ensure_admin(session, settings=Settings(admin_email=None, admin_password=None))
    session.commit()
    assert len(password) >= 16
    assert auth.login(session, email, password).user.role == "admin"
