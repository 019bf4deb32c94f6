"""Settings read from the environment. Nothing else in the package reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

DEFAULT_DB_URL = "sqlite:///brandifiers.db"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


@dataclass(frozen=True)
class Settings:
    db_url: str = field(default_factory=lambda: os.environ.get("REFLEX_DB_URL") or DEFAULT_DB_URL)
    redis_url: str | None = field(default_factory=lambda: os.environ.get("REFLEX_REDIS_URL") or None)
    admin_email: str | None = field(default_factory=lambda: os.environ.get("BRANDIFIERS_ADMIN_EMAIL") or None)
    admin_password: str | None = field(
        default_factory=lambda: os.environ.get("BRANDIFIERS_ADMIN_PASSWORD") or None
    )
    currency: str = field(default_factory=lambda: os.environ.get("BRANDIFIERS_CURRENCY", "USD"))
    session_days: int = field(default_factory=lambda: _int("BRANDIFIERS_SESSION_DAYS", 7))
    rollup_minutes: int = field(default_factory=lambda: _int("BRANDIFIERS_ROLLUP_MINUTES", 5))
    login_max_failures: int = 5
    login_window_minutes: int = 15
    login_lockout_minutes: int = 15

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(days=self.session_days)


def get_settings() -> Settings:
    """Read the environment afresh (cheap; lets tests change variables)."""
    return Settings()
