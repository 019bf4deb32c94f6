"""Platform-wide settings changed by admins (the Setting table): each declared once in SETTINGS with its
type and default (an unset key reads as the default); changes are audited. Raises DomainError and,
for non-admins, PermissionDenied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from brandifiers.clock import utcnow
from brandifiers.models import Role, Setting
from brandifiers.services.common import audit, outbound, parse
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.rbac import require_role


@dataclass(frozen=True)
class SettingSpec:
    label: str
    default: bool | str
    help: str
    placeholder: str = ""


HOLD_PUBLIC_CAMPAIGNS = "campaigns.hold_public_for_approval"
CHAT_WEBHOOK_URL = "chat.webhook_url"
CHAT_WEBHOOK_HOSTS = "chat.webhook_hosts"
URL_MAX = 500

SETTINGS: dict[str, SettingSpec] = {
    HOLD_PUBLIC_CAMPAIGNS: SettingSpec(
        "Hold new public campaigns for approval", False,
        "When on, a new public campaign (or one made public) stays out of influencer discovery until an "
        "administrator approves it."),
    CHAT_WEBHOOK_URL: SettingSpec(
        "Google Chat webhook for the daily digest", "",
        "An incoming-webhook URL of a Google Chat space: each day's reminders are summed up there. Empty: off.",
        "https://chat.googleapis.com/v1/spaces/…"),
    CHAT_WEBHOOK_HOSTS: SettingSpec(
        "Other allowed webhook hosts", "",
        "Host names, besides chat.googleapis.com, that webhook URLs (yours and users') may use, separated by "
        "commas. Only https, and never a host whose address is private, loopback or link-local. Empty: none.",
        "hooks.example.com"),
}


def get_flag(session: Session, key: str) -> bool:
    """The value of a boolean setting (its default when never set). No role needed: services read it."""
    spec = SETTINGS[key]
    row = session.get(Setting, key)
    return spec.default if row is None else row.value == "1"


def set_flag(session: Session, actor_id: int | None, key: str, value: bool, *,
             now: datetime | None = None) -> bool:
    admin = require_role(session, actor_id, Role.ADMIN)
    if key not in SETTINGS or not isinstance(SETTINGS[key].default, bool):
        raise DomainError("Unknown setting.")
    now = now or utcnow()
    old = get_flag(session, key)
    row = session.get(Setting, key) or Setting(key=key, value="0")
    row.value, row.updated_at = ("1" if value else "0"), now
    session.add(row)
    audit.record(session, admin, "setting.change", "setting", None,
                 f"{SETTINGS[key].label}: {'on' if value else 'off'}",
                 before="on" if old else "off", after="on" if value else "off", now=now)
    return bool(value)


def get_text(session: Session, key: str) -> str:
    row = session.get(Setting, key)
    return str(SETTINGS[key].default) if row is None else row.value


def webhook_hosts(session: Session) -> list[str]:
    """The admin's extra allowed webhook hosts (besides outbound.DEFAULT_HOSTS)."""
    try:
        return outbound.parse_hosts(get_text(session, CHAT_WEBHOOK_HOSTS))
    except outbound.Refused:  # cannot be saved so; an unreadable list allows nothing extra
        return []


def check_webhook_url(session: Session, url: str, field: str) -> str:
    """A webhook URL that passes the outbound rule (the one the sending place applies), or "" to
    switch off; DomainError on `field` otherwise. A host that does not resolve now is accepted:
    the sending place checks again."""
    url = parse.text(url, field, "The address").strip()
    if not url:
        return ""
    if len(url) > URL_MAX:
        raise DomainError(f"The URL must be at most {URL_MAX} characters.", field)
    try:
        outbound.check(url, webhook_hosts(session))
    except outbound.Refused as exc:
        raise DomainError(f"This webhook URL cannot be used: {exc}. Use an https://chat.googleapis.com/… "
                          "incoming-webhook URL.", field) from exc
    except outbound.Unresolved:
        pass
    return url


def _checked_text(session: Session, key: str, value: str) -> str:
    if key == CHAT_WEBHOOK_URL:
        return check_webhook_url(session, value, key)
    if key == CHAT_WEBHOOK_HOSTS:
        if len(value or "") > URL_MAX:
            raise DomainError(f"The list must be at most {URL_MAX} characters.", key)
        try:
            return ", ".join(outbound.parse_hosts(value))
        except outbound.Refused as exc:
            raise DomainError(f"{exc}.", key) from exc
    raise DomainError("Unknown setting.")


def set_text(session: Session, actor_id: int | None, key: str, value: str, *, now: datetime | None = None) -> str:
    admin = require_role(session, actor_id, Role.ADMIN)
    value = _checked_text(session, key, value)
    now = now or utcnow()
    old = get_text(session, key)
    row = session.get(Setting, key) or Setting(key=key, value="")
    row.value, row.updated_at = value, now
    session.add(row)
    audit.record(session, admin, "setting.change", "setting", None, f"{SETTINGS[key].label} changed",
                 before=old or "(empty)", after=value or "(empty)", now=now)
    return value


def all_flags(session: Session, actor_id: int | None) -> list[tuple[str, SettingSpec, bool]]:
    """The on/off settings with their values (admin page)."""
    require_role(session, actor_id, Role.ADMIN)
    return [(key, spec, get_flag(session, key)) for key, spec in SETTINGS.items() if isinstance(spec.default, bool)]


def all_texts(session: Session, actor_id: int | None) -> list[tuple[str, SettingSpec, str]]:
    require_role(session, actor_id, Role.ADMIN)
    return [(key, spec, get_text(session, key)) for key, spec in SETTINGS.items() if isinstance(spec.default, str)]
