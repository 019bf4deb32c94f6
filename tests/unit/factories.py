"""Test data made through the real services (no hand-written rows where a service exists)."""

from __future__ import annotations

import itertools

from sqlmodel import Session

from brandifiers.models import Role, User, UserStatus
from brandifiers.services.accounts import auth
from brandifiers.services.accounts.passwords import hash_password

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def influencer(session: Session, **overrides) -> User:
    n = next(_seq)
    data = {"email": f"creator{n}@example.com", "password": PASSWORD, "display_name": f"Creator {n}",
            "category": "Food", "niche": "baking", "platform": "instagram", "handle": f"creator{n}",
            "followers": "12000"}
    data.update(overrides)
    user = auth.signup_influencer(session, data)
    session.commit()
    return user


def sponsor(session: Session, *, approved: bool = False, **overrides) -> User:
    n = next(_seq)
    data = {"email": f"brand{n}@example.com", "password": PASSWORD, "company_name": f"Brand {n}",
            "industry": "Cosmetics", "website": "brand.example.com", "yearly_budget": "50000"}
    data.update(overrides)
    user = auth.signup_sponsor(session, data)
    if approved:
        user.status = UserStatus.ACTIVE.value
        session.add(user)
    session.commit()
    return user


def admin(session: Session, email: str | None = None) -> User:
    user = User(email=email or f"admin{next(_seq)}@example.com", password_hash=hash_password(PASSWORD),
                role=Role.ADMIN.value, status=UserStatus.ACTIVE.value)
    session.add(user)
    session.commit()
    return user
