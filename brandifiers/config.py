"""Settings read from the environment. Nothing else in the package reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

DEFAULT_DB_URL = "sqlite:///brandifiers.db"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


DEFAULT_REQUEST_LIMITS = "login=30/5,signup=10/60,reset=10/15,verify=3/60"  # verify: links mailed per account


def _limits(raw: str | None) -> tuple:
    """"login=30/5,signup=10/60,reset=10/15" (requests/minutes per action); "off": no limit."""
    raw = (raw or "").strip() or DEFAULT_REQUEST_LIMITS
    if raw.lower() == "off":
        return ()
    limits = {}
    for part in (DEFAULT_REQUEST_LIMITS + "," + raw).split(","):  # an action left out keeps its default
        action, _, rate = part.strip().partition("=")
        count, _, minutes = rate.partition("/")
        limits[action.strip()] = (int(count), int(minutes))
    return tuple((action, count, minutes) for action, (count, minutes) in limits.items())


def db_url() -> str:
    """The database URL alone: read on every session and cache access, where building Settings (some 40
    variables) would cost more than the work itself."""
    return os.environ.get("REFLEX_DB_URL") or DEFAULT_DB_URL


def redis_url() -> str | None:
    return os.environ.get("REFLEX_REDIS_URL") or None


def currency() -> str:
    """The platform currency alone (read for every amount shown)."""
    return os.environ.get("BRANDIFIERS_CURRENCY", "USD")


@dataclass(frozen=True)
class Settings:
    db_url: str = field(default_factory=db_url)
    redis_url: str | None = field(default_factory=redis_url)
    admin_email: str | None = field(default_factory=lambda: os.environ.get("BRANDIFIERS_ADMIN_EMAIL") or None)
    admin_password: str | None = field(
        default_factory=lambda: os.environ.get("BRANDIFIERS_ADMIN_PASSWORD") or None
    )
    currency: str = field(default_factory=currency)
    session_days: int = field(default_factory=lambda: _int("BRANDIFIERS_SESSION_DAYS", 7))
    analytics_ttl_seconds: int = field(default_factory=lambda: _int("BRANDIFIERS_ANALYTICS_TTL", 60))
    # Outgoing mail (none configured: messages wait in the outbox as "not sent: no mail server").
    smtp_host: str | None = field(default_factory=lambda: os.environ.get("BRANDIFIERS_SMTP_HOST") or None)
    smtp_port: int = field(default_factory=lambda: _int("BRANDIFIERS_SMTP_PORT", 587))
    smtp_user: str | None = field(default_factory=lambda: os.environ.get("BRANDIFIERS_SMTP_USER") or None)
    smtp_password: str | None = field(default_factory=lambda: os.environ.get("BRANDIFIERS_SMTP_PASSWORD") or None)
    smtp_tls: str = field(default_factory=lambda: os.environ.get("BRANDIFIERS_SMTP_TLS", "starttls"))  # |ssl|none
    mail_sender: str = field(default_factory=lambda: os.environ.get("BRANDIFIERS_MAIL_FROM",
                                                                    "Brandifiers <noreply@brandifiers.local>"))
    outbox_max_attempts: int = field(default_factory=lambda: _int("BRANDIFIERS_OUTBOX_MAX_ATTEMPTS", 6))
    outbox_backoff_seconds: int = field(default_factory=lambda: _int("BRANDIFIERS_OUTBOX_BACKOFF_SECONDS", 60))
    # The doubling backoff stops growing at this; a message fails only after both MAX_ATTEMPTS and this long.
    outbox_backoff_max_seconds: int = field(default_factory=lambda: _int("BRANDIFIERS_OUTBOX_BACKOFF_MAX_SECONDS",
                                                                         3600))
    outbox_retry_hours: int = field(default_factory=lambda: _int("BRANDIFIERS_OUTBOX_RETRY_HOURS", 24))
    # Scheduled jobs: the platform's time zone and when each job runs in it.
    timezone: str = field(default_factory=lambda: os.environ.get("BRANDIFIERS_TIMEZONE", "UTC"))
    reminder_time: str = field(default_factory=lambda: os.environ.get("BRANDIFIERS_REMINDER_TIME", "18:00"))
    inactive_days: int = field(default_factory=lambda: _int("BRANDIFIERS_INACTIVE_DAYS", 3))
    compact_time: str = field(default_factory=lambda: os.environ.get("BRANDIFIERS_COMPACT_TIME", "03:00"))
    report_time: str = field(default_factory=lambda: os.environ.get("BRANDIFIERS_REPORT_TIME", "08:00"))
    public_url: str = field(default_factory=lambda: os.environ.get("BRANDIFIERS_PUBLIC_URL", "http://localhost:3000"))
    # where the backend's /api routes answer (one-click unsubscribe); the public URL when unset
    api_url: str = field(default_factory=lambda: (os.environ.get("BRANDIFIERS_API_URL") or os.environ.get(
        "REFLEX_API_URL") or os.environ.get("BRANDIFIERS_PUBLIC_URL", "http://localhost:3000")).rstrip("/"))
    # the daily digest of notifications goes out from this hour of each person's zone (messaging/digest.py)
    digest_hour: int = field(default_factory=lambda: _int("BRANDIFIERS_DIGEST_HOUR", 7))
    rollup_minutes: int = field(default_factory=lambda: _int("BRANDIFIERS_ROLLUP_MINUTES", 5))
    # The admin's platform anomaly list is recomputed at most this often (after new figures).
    anomaly_minutes: int = field(default_factory=lambda: _int("BRANDIFIERS_ANOMALY_MINUTES", 60))
    # Recommendations (docs/recommendations.md): where model versions live, and how much history they need.
    model_dir: str = field(default_factory=lambda: os.environ.get("BRANDIFIERS_MODEL_DIR") or "var/models")
    recommend_min_rows: int = field(default_factory=lambda: _int("BRANDIFIERS_RECOMMEND_MIN_ROWS", 200))
    recommend_min_category_rows: int = field(
        default_factory=lambda: _int("BRANDIFIERS_RECOMMEND_MIN_CATEGORY_ROWS", 20))
    recommend_retrain_new: int = field(default_factory=lambda: _int("BRANDIFIERS_RECOMMEND_RETRAIN_NEW", 50))
    # Operations: one log line per Reflex event (brandifiers.events); "0" turns it off.
    event_log: bool = field(default_factory=lambda: os.environ.get("BRANDIFIERS_EVENT_LOG", "1").strip() != "0")
    # Several workers' metrics in one folder (prometheus_client reads the variable itself too).
    prometheus_multiproc_dir: str | None = field(
        default_factory=lambda: os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
    )
    # Log-in throttle and request rates (docs/login-throttle.md).
    login_max_failures: int = 5  # per (e-mail, client address) and per recognised browser
    login_client_max_failures: int = 20  # per client address, whatever the e-mails
    login_window_minutes: int = 15
    login_lockout_minutes: int = 15
    login_slowdown_max_seconds: int = 60  # per e-mail from any address: a wait that doubles, never a lock
    login_device_days: int = 30  # a browser that logged in to an account is recognised this long
    # (action, requests, minutes) allowed per client address; BRANDIFIERS_REQUEST_LIMITS=off for benchmarks
    request_limits: tuple = field(default_factory=lambda: _limits(os.environ.get("BRANDIFIERS_REQUEST_LIMITS")))

    # Card payments (docs/payments.md): manual (the default: payments typed in by hand) or stripe.
    payment_gateway: str = field(default_factory=lambda: os.environ.get("BRANDIFIERS_PAYMENT_GATEWAY",
                                                                        "manual").strip().lower() or "manual")
    stripe_secret_key: str | None = field(
        default_factory=lambda: os.environ.get("BRANDIFIERS_STRIPE_SECRET_KEY") or None)
    stripe_publishable_key: str | None = field(
        default_factory=lambda: os.environ.get("BRANDIFIERS_STRIPE_PUBLISHABLE_KEY") or None)
    stripe_webhook_secret: str | None = field(
        default_factory=lambda: os.environ.get("BRANDIFIERS_STRIPE_WEBHOOK_SECRET") or None)
    stripe_api_base: str | None = field(default_factory=lambda: os.environ.get("BRANDIFIERS_STRIPE_API_BASE") or None)
    # test mode only (an sk_test_ key): the server makes the payment method from a test card number
    stripe_test_cards: bool = field(
        default_factory=lambda: os.environ.get("BRANDIFIERS_STRIPE_TEST_CARDS", "0").strip() == "1")
    reconcile_time: str = field(default_factory=lambda: os.environ.get("BRANDIFIERS_RECONCILE_TIME", "04:00"))
    reconcile_days: int = field(default_factory=lambda: _int("BRANDIFIERS_RECONCILE_DAYS", 14))

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(days=self.session_days)


def get_settings() -> Settings:
    """Read the environment afresh (cheap; lets tests change variables)."""
    return Settings()
