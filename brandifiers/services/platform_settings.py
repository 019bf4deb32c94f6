"""Platform-wide settings changed by admins (the Setting key/value table).

Each setting is declared once in SETTINGS with its type and default; reading an unset key
gives the default. Changes are audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from brandifiers.clock import utcnow
from brandifiers.models import Role, Setting
from brandifiers.services import audit
from brandifiers.services.errors import DomainError
from brandifiers.services.rbac import require_role


@dataclass(frozen=True)
class SettingSpec:
    label: str
    default: bool
    help: str


HOLD_PUBLIC_CAMPAIGNS = "campaigns.hold_public_for_approval"

SETTINGS: dict[str, SettingSpec] = {
    HOLD_PUBLIC_CAMPAIGNS: SettingSpec(
        "Hold new public campaigns for approval", False,
        "When on, a new public campaign (or one made public) stays out of influencer discovery until an "
        "administrator approves it."),
}


def get_flag(session: Session, key: str) -> bool:
    """The value of a boolean setting (its default when never set). No role needed: services read it."""
    spec = SETTINGS[key]
    row = session.get(Setting, key)
    return spec.default if row is None else row.value == "1"


def set_flag(session: Session, actor_id: int | None, key: str, value: bool, *,
             now: datetime | None = None) -> bool:
    admin = require_role(session, actor_id, Role.ADMIN)
    if key not in SETTINGS:
        raise DomainError("Unknown setting.")
    now = now or utcnow()
    old = get_flag(session, key)
    row = session.get(Setting, key) or Setting(key=key, value="0")
    row.value, row.updated_at = ("1" if value else "0"), now
    session.add(row)
    audit.record(session, admin, "setting.change", "setting", None, f"{SETTINGS[key].label}: {'on' if value else 'off'}",
                 before="on" if old else "off", after="on" if value else "off", now=now)
    return bool(value)


def all_flags(session: Session, actor_id: int | None) -> list[tuple[str, SettingSpec, bool]]:
    require_role(session, actor_id, Role.ADMIN)
    return [(key, spec, get_flag(session, key)) for key, spec in SETTINGS.items()]
