"""Field validation shared by the forms: collects {field: message} and raises once."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from brandifiers.models.accounts import EMAIL_MAX
from brandifiers.models.enums import PLATFORM_HOSTS
from brandifiers.services.common.errors import DomainError, ValidationFailed
from brandifiers.services.common.money import parse_cents

PASSWORD_MIN = 8
PASSWORD_MAX = 128


class Form:
    """Collects the errors of one submitted form."""

    def __init__(self, data: dict):
        self.data = data
        self.errors: dict[str, str] = {}

    def text(self, field: str, label: str, *, max_len: int, required: bool = True, min_len: int = 0) -> str:
        value = str(self.data.get(field) or "").strip()
        if not value:
            if required:
                self.errors[field] = f"{label} is required."
            return ""
        if len(value) > max_len:
            self.errors[field] = f"{label} must be at most {max_len} characters (it has {len(value)})."
        elif len(value) < min_len:
            self.errors[field] = f"{label} must be at least {min_len} characters."
        return value

    def choice(self, field: str, label: str, choices) -> str:
        value = str(self.data.get(field) or "").strip()
        allowed = [str(c) for c in choices]
        if not value:
            self.errors[field] = f"Choose a {label.lower()}."
        elif value not in allowed:
            self.errors[field] = f"Choose a {label.lower()} from the list."
        return value

    def count(self, field: str, label: str, *, required: bool = True, maximum: int = 10**10) -> int:
        raw = str(self.data.get(field) or "").strip().replace(",", "").replace("_", "")
        if not raw:
            if required:
                self.errors[field] = f"{label} is required."
            return 0
        if not raw.lstrip("-").isdigit():
            self.errors[field] = f"{label} must be a whole number."
            return 0
        value = int(raw)
        if value < 0:
            self.errors[field] = f"{label} cannot be negative."
        elif value > maximum:
            self.errors[field] = f"{label} is too large."
        return value

    def email(self, field: str = "email") -> str:
        value = str(self.data.get(field) or "").strip()
        if not value:
            self.errors[field] = "E-mail is required."
            return ""
        if len(value) > EMAIL_MAX:
            self.errors[field] = f"E-mail must be at most {EMAIL_MAX} characters."
            return value
        try:
            info = validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            self.errors[field] = "Enter a valid e-mail address, like name@example.com."
            return value
        return normalize_email(info.normalized)

    def password(self, field: str = "password") -> str:
        value = str(self.data.get(field) or "")
        if len(value) < PASSWORD_MIN:
            self.errors[field] = f"Password must be at least {PASSWORD_MIN} characters."
        elif len(value) > PASSWORD_MAX:
            self.errors[field] = f"Password must be at most {PASSWORD_MAX} characters."
        return value

    def error(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def check(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def is_http_url(url: str) -> bool:
    """A full http(s) address with a host and no whitespace (a malformed one is simply not)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host) and not any(c.isspace() for c in url)


def post_url_error(platform: str, url: str) -> str | None:
    """Why url is not a post of platform (None: it is, or the platform is unknown and refused on its own
    field): an https address on one of the platform's hosts (models.PLATFORM_HOSTS) or their subdomains."""
    if not is_http_url(url):
        return "Enter the post's full address, starting with https://."
    hosts = PLATFORM_HOSTS.get(platform, ())
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    host = (parts.hostname or "").lower().rstrip(".")
    if not hosts or (parts.scheme.lower() == "https" and port in (None, 443)
                     and any(host == h or host.endswith("." + h) for h in hosts)):
        return None
    return f"Enter the post's https:// address on {' or '.join(hosts)}."

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CollabForm(Form):
    """services.common.validation.Form plus dates (YYYY-MM-DD) and money amounts (> 0)."""

    def date(self, field: str, label: str, *, required: bool = True) -> date | None:
        value = self.data.get(field)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        raw = str(value or "").strip()
        if not raw:
            if required:
                self.errors[field] = f"{label} is required."
            return None
        try:
            if not _DATE_RE.match(raw):
                raise ValueError(raw)
            return date.fromisoformat(raw)
        except ValueError:
            self.errors[field] = f"{label} must be a date written YYYY-MM-DD, e.g. 2025-03-31."
            return None

    def amount(self, field: str, *, required: bool = True) -> int | None:
        value = self.data.get(field)
        try:
            return parse_cents(None if value is None else str(value), field, required=required, allow_zero=False)
        except DomainError as exc:
            self.error(field, exc.message)
            return None

    def optional_count(self, field: str, label: str) -> int | None:
        if not str(self.data.get(field) or "").strip():
            return None
        return self.count(field, label)
