"""Field validation shared by the forms: collects {field: message} and raises once."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from brandifiers.models.accounts import EMAIL_MAX
from brandifiers.models.enums import PLATFORM_HOSTS
from brandifiers.services.common import parse
from brandifiers.services.common.errors import DomainError, ValidationFailed
from brandifiers.services.common.money import parse_cents

PASSWORD_MIN = 8
PASSWORD_MAX = 128
REASON_MAX = 500


class Form:
    """Collects the errors of one submitted form."""

    def __init__(self, data: dict):
        self.data = data
        self.errors: dict[str, str] = {}

    def raw(self, field: str, label: str) -> str:
        """The field as text (services.common.parse.text): a NUL, a list or a dict is an error here."""
        try:
            return parse.text(self.data.get(field), field, label)
        except DomainError as exc:
            self.errors.setdefault(field, exc.message)
            return ""

    def text(self, field: str, label: str, *, max_len: int, required: bool = True, min_len: int = 0) -> str:
        value = self.raw(field, label).strip()
        if field in self.errors:
            return ""
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
        value = self.raw(field, label).strip()
        allowed = [str(c) for c in choices]
        if field in self.errors:
            return ""
        if not value:
            self.errors[field] = f"Choose a {label.lower()}."
        elif value not in allowed:
            self.errors[field] = f"Choose a {label.lower()} from the list."
        return value

    def count(self, field: str, label: str, *, required: bool = True, maximum: int = 10**10) -> int:
        value = self.data.get(field)
        if not isinstance(value, int | float) and not self.raw(field, label).strip():
            if required and field not in self.errors:
                self.errors[field] = f"{label} is required."
            return 0
        try:
            return parse.integer(value, field, label, minimum=0, maximum=maximum)
        except DomainError as exc:
            self.errors.setdefault(field, exc.message)
            return 0

    def email(self, field: str = "email") -> str:
        value = self.raw(field, "E-mail").strip()
        if field in self.errors:
            return ""
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
        value = self.raw(field, "Password")
        if field in self.errors:
            return ""
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



def clean_reason(reason, reader: str, *, what: str = "", required: bool = True) -> str:
    """A reason someone else reads (`reader`: "the owner will see it"), stripped, at most REASON_MAX characters;
    DomainError on the field "reason" when it is missing (unless not `required`), too long, NUL or not text."""
    reason = parse.text(reason, "reason", "The reason").strip()
    if required and not reason:
        raise DomainError(f"Give a reason{f' for this {what}' if what else ''}: {reader}.", "reason")
    if len(reason) > REASON_MAX:
        raise DomainError(f"The reason must be at most {REASON_MAX} characters (it has {len(reason)}).", "reason")
    return reason


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


class CollabForm(Form):
    """services.common.validation.Form plus dates (YYYY-MM-DD) and money amounts (> 0)."""

    def date(self, field: str, label: str, *, required: bool = True) -> date | None:
        value = self.data.get(field)
        if isinstance(value, datetime):
            value = value.date()
        try:
            return parse.day(value, field, label, required=required)
        except DomainError as exc:
            self.errors.setdefault(field, exc.message)
            return None

    def amount(self, field: str, *, required: bool = True) -> int | None:
        value = self.raw(field, "The amount")
        if field in self.errors:
            return None
        try:
            return parse_cents(value, field, required=required, allow_zero=False)
        except DomainError as exc:
            self.error(field, exc.message)
            return None

    def optional_count(self, field: str, label: str) -> int | None:
        value = self.data.get(field)
        if not isinstance(value, int | float) and not self.raw(field, label).strip():
            return None
        return self.count(field, label)
