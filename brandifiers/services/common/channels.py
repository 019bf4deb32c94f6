"""Which channels a notification takes beyond in-app: the kinds a person chooses for (KINDS, by role),
their choices (e-mail, chat; immediate or daily digest; defaults when unset) and the signed one-click
unsubscribe token. Raises DomainError (a bad choice or token). Design: docs/notifications.md."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.config import get_settings
from brandifiers.models import NotificationChoice, Role, Setting, User
from brandifiers.models.jobs import UserPreference
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.parse import is_digits

_S, _I = Role.SPONSOR.value, Role.INFLUENCER.value
DIGEST = "digest"  # the unsubscribe key of a digest e-mail: every kind sent in the digest
REMINDER = "reminder"  # the daily reminder's e-mail (its NotificationChoice row; not a kind of the table)
SECRET_KEY = "secret.unsubscribe"  # the Setting row holding the signing key when no env key is set


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    roles: tuple[str, ...]
    notes: tuple[str, ...]  # the Notification kinds it covers
    urgent: bool = False  # money and approvals: e-mail at once by default (the rest: the daily digest)


KINDS: tuple[Kind, ...] = (
    Kind("new_request", "New request or application", (_S, _I), ("request.new",)),
    Kind("counter", "Counter-offer", (_S, _I), ("request.counter",)),
    Kind("accepted", "Acceptance", (_S, _I), ("request.accepted",)),
    Kind("rejected", "Rejection or withdrawal", (_S, _I), ("request.rejected", "request.withdrawn")),
    Kind("submitted", "Delivery submitted", (_S,), ("request.submit",)),
    Kind("revision", "Revision requested", (_I,), ("request.revise",)),
    Kind("approval", "Approval (delivery or campaign)", (_S, _I), ("request.approve", "campaign.approve"), True),
    Kind("payment", "Payment recorded, funded, confirmed or disputed", (_S, _I),
         ("request.payment", "request.funding", "request.payment_confirmed", "request.payment_disputed",
          "request.payment_resolved"), True),  # funding: by card
    Kind("moderation", "Flag or freeze, with its reason", (_S, _I),
         ("account.flagged", "account.unflagged", "account.deactivated", "account.reactivated", "campaign.flag",
          "campaign.reject", "campaign.unflag", "adrequest.flag", "adrequest.unflag")),
    Kind("account", "Account approved or rejected", (_S,), ("account.approved", "account.rejected"), True),
    Kind("report", "Monthly report ready", (_S,), ("report.monthly",), True),
)
BY_KEY = {k.key: k for k in KINDS}
BY_NOTE = {note: k for k in KINDS for note in k.notes}


@dataclass
class Choice:
    email: bool
    chat: bool
    digest: bool


def kinds_for(role: str) -> list[Kind]:
    return [k for k in KINDS if role in k.roles]


def default(kind: Kind) -> Choice:
    return Choice(email=True, chat=False, digest=not kind.urgent)


def choices(session: Session, user_id: int, role: str) -> dict[str, Choice]:
    """Every kind of the role -> the person's choice (the default where none is stored)."""
    rows = {r.kind: r for r in session.exec(select(NotificationChoice).where(NotificationChoice.user_id == user_id))}
    out = {}
    for kind in kinds_for(role):
        row = rows.get(kind.key)
        out[kind.key] = Choice(row.email, row.chat, row.digest) if row else default(kind)
    return out


def _checked(value) -> bool:
    return value in (True, "on", "true", "1", 1)


def parse_choices(data: dict, role: str, has_webhook: bool) -> dict[str, Choice] | None:
    """The kinds × channels form (email__KEY, chat__KEY, mode__KEY = immediate|digest; an unchecked box is
    absent) for the role, and the daily reminder's box (reminder_email, under REMINDER); None when the form
    has no table (no mode__ field). DomainError: a kind that is
    not the role's, a bad mode, or chat without a webhook."""
    mine = {k.key for k in kinds_for(role)}
    if not any(str(name).startswith("mode__") for name in data):
        return None
    for name in data:
        prefix, _, key = str(name).partition("__")
        if prefix in ("email", "chat", "mode") and key not in mine:
            raise DomainError("This kind of notification is not one you can receive.", "notify_kinds")
    out = {}
    for kind in kinds_for(role):
        mode = data.get(f"mode__{kind.key}", "digest" if default(kind).digest else "immediate")
        if mode not in ("immediate", "digest"):
            raise DomainError(f"{kind.label}: choose at once or in the daily digest.", "notify_kinds")
        out[kind.key] = Choice(_checked(data.get(f"email__{kind.key}")), _checked(data.get(f"chat__{kind.key}")),
                               mode == "digest")
    if not has_webhook and any(c.chat for c in out.values()):
        raise DomainError("Add your Google Chat webhook URL to get notifications there.", "chat_webhook_url")
    out[REMINDER] = Choice(_checked(data.get("reminder_email")), True, False)  # the box beside the table
    return out


def reminder_choice(session: Session, user_id: int) -> Choice:
    """The daily reminder: by e-mail unless the person turned it off (its chat copy follows the chat opt-out)."""
    row = session.get(NotificationChoice, (user_id, REMINDER))
    return Choice(row.email if row else True, True, False)


def store(session: Session, user_id: int, chosen: dict[str, Choice] | None, *, now: datetime | None = None) -> None:
    if not chosen:
        return
    rows = {r.kind: r for r in session.exec(select(NotificationChoice).where(NotificationChoice.user_id == user_id))}
    for key, c in chosen.items():
        row = rows.get(key) or NotificationChoice(user_id=user_id, kind=key)
        row.email, row.chat, row.digest, row.updated_at = c.email, c.chat, c.digest, now or utcnow()
        session.add(row)


def targets(session: Session, user: User, kind: Kind, *, digest: bool) -> list[tuple[str, str]]:
    """(channel, recipient) of the e-mail and chat messages `user` wants for `kind` at once (digest=False)
    or in the digest (digest=True); the opt-outs of the whole channel win."""
    if user.role not in kind.roles:
        return []
    choice = choices(session, user.id, user.role)[kind.key]
    if choice.digest != digest:
        return []
    prefs = session.get(UserPreference, user.id) or UserPreference(user_id=user.id)
    out = []
    if choice.email and not prefs.email_opt_out:
        out.append(("email", user.email))
    if choice.chat and prefs.chat_webhook_url and not prefs.chat_opt_out:
        out.append(("chat", prefs.chat_webhook_url))
    return out


# ---- one-click unsubscribe (a signed token: user id, kind key) -----------------------------------------

def _secret(session: Session) -> bytes:
    env = os.environ.get("BRANDIFIERS_SECRET_KEY", "").strip()
    if env:
        return env.encode()
    row = session.get(Setting, SECRET_KEY)
    if row is None:
        try:
            with session.begin_nested():
                row = Setting(key=SECRET_KEY, value=secrets.token_urlsafe(32))
                session.add(row)
                session.flush()
        except IntegrityError:  # another process made it first
            row = session.get(Setting, SECRET_KEY)
    return row.value.encode()


def _sign(session: Session, user_id: int, key: str) -> str:
    mac = hmac.new(_secret(session), f"unsubscribe:{user_id}:{key}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode()


def unsubscribe_token(session: Session, user_id: int, key: str) -> str:
    return f"{user_id}.{key}.{_sign(session, user_id, key)}"


def unsubscribe_urls(session: Session, user_id: int, key: str) -> tuple[str, str]:
    """(the page a person opens, the one-click POST address of the List-Unsubscribe header)."""
    settings, token = get_settings(), unsubscribe_token(session, user_id, key)
    return f"{settings.public_url}/unsubscribe?t={token}", f"{settings.api_url}/api/unsubscribe?t={token}"


def unsubscribe(session: Session, token: str, *, now: datetime | None = None) -> str:
    """Turn off the e-mail the token names (a kind, every digest kind, or the daily reminder); returns what
    was turned off.
    A forged, altered or unknown token: DomainError, nothing written."""
    parts = str(token or "").strip().split(".")
    bad = DomainError("This unsubscribe link is not valid. Change your notifications on your profile page.")
    if len(parts) != 3 or not is_digits(parts[0]) or len(parts[0]) > 9:
        raise bad
    user = session.get(User, int(parts[0]))
    if user is None or not hmac.compare_digest(parts[2], _sign(session, user.id, parts[1])):
        raise bad
    current = choices(session, user.id, user.role)
    if parts[1] == REMINDER and current:  # a sponsor or an influencer (they get the reminder)
        store(session, user.id, {REMINDER: Choice(False, True, False)}, now=now)
        return "The daily reminder e-mail is now off."
    if parts[1] == DIGEST:
        keys = [k for k, c in current.items() if c.digest]
        what = "E-mail for everything in your daily digest"
    elif parts[1] in current:
        keys, what = [parts[1]], f"E-mail for “{BY_KEY[parts[1]].label}”"
    else:
        raise bad
    store(session, user.id, {k: Choice(False, current[k].chat, current[k].digest) for k in keys}, now=now)
    return f"{what} is now off."
