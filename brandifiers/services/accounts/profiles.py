"""Own-profile editing (influencer profile, social platforms, avatar, sponsor profile): only the caller's
own profile, whose row is locked first; the caller commits. Raises ValidationFailed, DomainError,
NotFound, PermissionDenied. Design: docs/concurrency.md, "Own-profile edits"."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import secrets
import tempfile
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from brandifiers.models import CATEGORIES, InfluencerProfile, Platform, Role, SocialAccount, SponsorProfile, User
from brandifiers.services.common import audit, parse, zones
from brandifiers.services.common.errors import DomainError, NotFound, ValidationFailed
from brandifiers.services.common.money import parse_cents
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.transactions import after_outcome
from brandifiers.services.common.validation import Form

AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}
AVATAR_DIR = "avatars"
AVATAR_MAX_PIXELS = 40_000_000  # decoded size bound: a small file may claim a huge canvas
AVATAR_MAX_SIDE = 1024  # stored pictures are scaled down to this (the page shows them much smaller)
_PIL_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
_SAVE_AS = {v: k for k, v in _PIL_FORMATS.items()}
_PLATFORM_ORDER = [p.value for p in Platform]
_HOST_RE = re.compile(r"(?:[\w-]+\.)+[\w-]{2,}", re.UNICODE)


# ---------------------------------------------------------------- helpers

def _own_profile(session: Session, actor_id: int | None, role: Role, model, *, lock: bool = False):
    """The caller's own profile. `lock` (every mutation): SELECT ... FOR UPDATE on PostgreSQL, so
    concurrent edits of one profile are serialised and the derived reach figures are always
    computed from the committed platform rows."""
    user = require_role(session, actor_id, role)
    stmt = select(model).where(model.user_id == user.id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    profile = session.exec(stmt).first()
    if profile is None:
        raise NotFound("profile")
    return user, profile


def _amount_text(cents: int | None, *, blank_zero: bool = False) -> str:
    """Cents as a plain form value: 150000 -> '1500.00'; None (or 0 when blank_zero) -> ''."""
    if cents is None or (blank_zero and cents == 0):
        return ""
    whole, frac = divmod(int(cents), 100)
    return f"{whole}.{frac:02d}"


def _amount(form: Form, field: str) -> int | None:
    try:
        return parse_cents(form.data.get(field), field, required=False)
    except DomainError as exc:
        form.error(field, exc.message)
        return None


def _apply(obj, values: dict) -> dict[str, tuple]:
    """Set the attributes that differ; returns {field: (before, after)}."""
    changes = {}
    for key, value in values.items():
        if getattr(obj, key) != value:
            changes[key] = (getattr(obj, key), value)
            setattr(obj, key, value)
    return changes


def _audit_changes(session: Session, actor: User, target_type: str, profile, changes: dict,
                   now: datetime | None) -> None:
    if not changes:
        return

    def short(v):
        return v if not isinstance(v, str) or len(v) <= 200 else v[:200] + "…"

    audit.record(session, actor, "profile.update", target_type, profile.id,
                 "updated " + ", ".join(changes),
                 before=json.dumps({k: short(b) for k, (b, _) in changes.items()}, ensure_ascii=False),
                 after=json.dumps({k: short(a) for k, (_, a) in changes.items()}, ensure_ascii=False), now=now)


def _percent_to_fraction(form: Form, field: str, label: str) -> float:
    value = form.data.get(field)
    raw = ("" if value is None else str(value)).strip().rstrip("%").strip()
    if not raw:
        form.error(field, f"{label} is required.")
        return 0.0
    try:
        value = Decimal(raw)
    except InvalidOperation:
        form.error(field, f"{label} must be a percentage, e.g. 3.5.")
        return 0.0
    if not value.is_finite() or value < 0 or value > 100:
        form.error(field, f"{label} must be between 0 and 100 (percent).")
        return 0.0
    return float(value / 100)


def recompute_reach(session: Session, profile: InfluencerProfile) -> None:
    """Refresh the derived total_followers and follower-weighted avg_engagement_rate from the rows."""
    session.flush()
    rows = session.exec(select(SocialAccount.followers, SocialAccount.avg_engagement_rate)
                        .where(SocialAccount.influencer_id == profile.id)).all()
    total = sum(int(f or 0) for f, _ in rows)
    weighted = sum(int(f or 0) * float(r or 0.0) for f, r in rows)
    profile.total_followers = total
    profile.avg_engagement_rate = weighted / total if total else 0.0
    session.add(profile)


# ---------------------------------------------------------------- influencer profile

def get_influencer_profile(session: Session, actor_id: int | None) -> dict:
    _, profile = _own_profile(session, actor_id, Role.INFLUENCER, InfluencerProfile)
    rows = session.exec(select(SocialAccount).where(SocialAccount.influencer_id == profile.id)).all()
    rows = sorted(rows, key=lambda r: (_PLATFORM_ORDER.index(r.platform) if r.platform in _PLATFORM_ORDER
                                       else len(_PLATFORM_ORDER), r.platform))
    return {
        "display_name": profile.display_name,
        "bio": profile.bio or "",
        "category": profile.category,
        "niche": profile.niche or "",
        "location": profile.location or "",
        "asking_price": _amount_text(profile.asking_price_cents),
        "avatar_path": profile.avatar_path or "",
        "platforms": [{"platform": r.platform, "handle": r.handle, "followers": int(r.followers),
                       "engagement_rate_pct": round(float(r.avg_engagement_rate) * 100, 4)} for r in rows],
        "total_followers": int(profile.total_followers),
        "avg_engagement_rate_pct": round(float(profile.avg_engagement_rate) * 100, 4),
    }


def update_influencer_profile(session: Session, actor_id: int | None, data: dict, *,
                              now: datetime | None = None) -> InfluencerProfile:
    """Save the whole profile form (a missing optional key clears that field)."""
    user, profile = _own_profile(session, actor_id, Role.INFLUENCER, InfluencerProfile, lock=True)
    form = Form(data)
    values = {
        "display_name": form.text("display_name", "Display name", max_len=80),
        "bio": form.text("bio", "Bio", max_len=2000, required=False) or None,
        "category": form.choice("category", "Category", CATEGORIES),
        "niche": form.text("niche", "Niche", max_len=80, required=False) or None,
        "location": form.text("location", "Location", max_len=120, required=False) or None,
        "asking_price_cents": _amount(form, "asking_price"),
    }
    form.check()
    _audit_changes(session, user, "influencer_profile", profile, _apply(profile, values), now)
    session.add(profile)
    session.flush()
    return profile


def set_platform(session: Session, actor_id: int | None, data: dict, *,
                 now: datetime | None = None) -> SocialAccount:
    """Add the row for data['platform'] or update it; the derived reach figures follow."""
    user, profile = _own_profile(session, actor_id, Role.INFLUENCER, InfluencerProfile, lock=True)
    form = Form({**data, "handle": parse.text(data.get("handle"), "handle", "Handle").strip().lstrip("@")})
    platform = form.choice("platform", "Platform", _PLATFORM_ORDER)
    handle = form.text("handle", "Handle", max_len=80)
    followers = form.count("followers", "Followers")
    rate = _percent_to_fraction(form, "engagement_rate", "Engagement rate")
    form.check()

    def existing() -> SocialAccount | None:
        return session.exec(select(SocialAccount).where(SocialAccount.influencer_id == profile.id,
                                                        SocialAccount.platform == platform)).first()

    row = existing()
    if row is None:
        row = SocialAccount(influencer_id=profile.id, platform=platform, handle=handle,
                            followers=followers, avg_engagement_rate=rate)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # inserted meanwhile (double submit without the row lock)
            row = existing()
            if row is None:
                raise
    row.handle, row.followers, row.avg_engagement_rate = handle, followers, rate
    session.add(row)
    recompute_reach(session, profile)
    audit.record(session, user, "profile.platform_set", "social_account", row.id,
                 f"{platform} @{handle}: {followers} followers, {rate * 100:g}% engagement", now=now)
    return row


def remove_platform(session: Session, actor_id: int | None, platform: str, *,
                    now: datetime | None = None) -> None:
    user, profile = _own_profile(session, actor_id, Role.INFLUENCER, InfluencerProfile, lock=True)
    rows = session.exec(select(SocialAccount).where(SocialAccount.influencer_id == profile.id)).all()
    row = next((r for r in rows if r.platform == parse.text(platform, "platform", "Platform").strip()), None)
    if row is None:
        raise NotFound("platform")
    if len(rows) <= 1:
        raise DomainError("Keep at least one platform: add another one before removing this one.")
    session.delete(row)
    recompute_reach(session, profile)
    audit.record(session, user, "profile.platform_remove", "social_account", row.id,
                 f"removed {row.platform} @{row.handle}", now=now)


# ---------------------------------------------------------------- sponsor profile

def _website(form: Form, field: str = "website") -> str | None:
    value = form.text(field, "Website", max_len=200, required=False)
    if not value or field in form.errors:
        return value or None
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        host, parts = "", None
    if (parts is None or parts.scheme.lower() not in ("http", "https") or any(c.isspace() for c in value)
            or parts.username or parts.password or not _HOST_RE.fullmatch(host)):
        form.error(field, "Enter a web address like https://example.com.")
    elif len(value) > 200:
        form.error(field, "Website must be at most 200 characters.")
    return value


def get_sponsor_profile(session: Session, actor_id: int | None) -> dict:
    _, profile = _own_profile(session, actor_id, Role.SPONSOR, SponsorProfile)
    return {
        "company_name": profile.company_name,
        "industry": profile.industry,
        "website": profile.website or "",
        "yearly_budget": _amount_text(profile.yearly_budget_cents, blank_zero=True),
        "description": profile.description or "",
    }


def update_sponsor_profile(session: Session, actor_id: int | None, data: dict, *,
                           now: datetime | None = None) -> SponsorProfile:
    user, profile = _own_profile(session, actor_id, Role.SPONSOR, SponsorProfile, lock=True)
    form = Form(data)
    values = {
        "company_name": form.text("company_name", "Company name", max_len=120),
        "industry": form.text("industry", "Industry", max_len=60),
        "website": _website(form),
        "yearly_budget_cents": _amount(form, "yearly_budget") or 0,
        "description": form.text("description", "Description", max_len=2000, required=False) or None,
    }
    form.check()
    _audit_changes(session, user, "sponsor_profile", profile, _apply(profile, values), now)
    session.add(profile)
    session.flush()
    return profile


# ---------------------------------------------------------------- avatar

def _reencode(content: bytes) -> tuple[str, bytes]:
    """(mime type, new bytes): the picture decoded in full by Pillow and written anew, so only its pixels
    are stored (no trailing bytes, metadata or a second file hidden behind a valid header). At most
    AVATAR_MAX_PIXELS are decoded (a small file can claim a huge canvas); larger sides are scaled down."""
    try:
        with Image.open(io.BytesIO(content)) as probe:
            kind = _PIL_FORMATS.get(probe.format or "")
            if kind is None or probe.width * probe.height > AVATAR_MAX_PIXELS:
                return (None, b"") if kind is None else ("too-big", b"")
            probe.verify()
        with Image.open(io.BytesIO(content)) as img:
            img.load()
            img = img.convert("RGBA" if img.mode in ("RGBA", "LA", "P", "PA") and kind != "image/jpeg" else "RGB")
            img.thumbnail((AVATAR_MAX_SIDE, AVATAR_MAX_SIDE))
            out = io.BytesIO()
            img.save(out, format=_SAVE_AS[kind], **({"quality": 90} if kind != "image/png" else {}))
    except Image.DecompressionBombError:  # Pillow's own bound, met at open for an absurd canvas
        return "too-big", b""
    except (OSError, ValueError, SyntaxError):
        return None, b""  # Pillow's errors for a truncated, corrupt or not-quite-image file
    return kind, out.getvalue()


def _own_avatar_file(upload_dir: Path, rel: str | None, user_id: int) -> Path | None:
    """The file behind a stored avatar path, only if it is this user's file in the avatars folder."""
    if not rel:
        return None
    ext = "|".join(re.escape(e) for e in AVATAR_TYPES.values())
    if not re.fullmatch(rf"{AVATAR_DIR}/{user_id}-[0-9a-f]+(?:{ext})", rel):
        return None
    return Path(upload_dir) / rel


def _write_atomically(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        final = folder / name
        os.replace(tmp, final)
        return final
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _unlink_quietly(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def save_avatar(session: Session, actor_id: int | None, filename: str, content: bytes, upload_dir: Path, *,
                now: datetime | None = None) -> str:
    """Store a new profile picture and return its path relative to upload_dir ("avatars/<file>").

    The picture is decoded and re-encoded (Pillow), never trusted by its name or first bytes. The new file is written
    atomically before the database change; the previous file of this user is deleted when the
    transaction commits (and the new file when it is rolled back instead), so a failed save never
    leaves the profile pointing at a missing picture.
    """
    user, profile = _own_profile(session, actor_id, Role.INFLUENCER, InfluencerProfile, lock=True)
    content = bytes(content or b"")
    limit_mb = AVATAR_MAX_BYTES // (1024 * 1024)
    if not content:
        raise ValidationFailed({"avatar": "The file is empty. Choose a PNG, JPEG or WebP picture."})
    if len(content) > AVATAR_MAX_BYTES:
        raise ValidationFailed({"avatar": f"The picture must be at most {limit_mb} MB "
                                          f"(this one is {len(content) / (1024 * 1024):.1f} MB)."})
    kind, content = _reencode(content)
    if kind == "too-big":
        raise ValidationFailed({"avatar": f"The picture is too large: at most {AVATAR_MAX_PIXELS // 10**6} "
                                          "million pixels."})
    if kind is None:
        raise ValidationFailed({"avatar": "That file is not a PNG, JPEG or WebP picture."})

    upload_dir = Path(upload_dir)
    rel = f"{AVATAR_DIR}/{user.id}-{secrets.token_hex(16)}{AVATAR_TYPES[kind]}"
    new_file = _write_atomically(upload_dir / AVATAR_DIR, rel.split("/", 1)[1], content)
    old_file = _own_avatar_file(upload_dir, profile.avatar_path, user.id)
    try:
        profile.avatar_path = rel
        session.add(profile)
        audit.record(session, user, "profile.avatar", "influencer_profile", profile.id,
                     f"new avatar ({kind}, {len(content)} bytes, uploaded as {str(filename or '')[:80]!r})",
                     now=now)
        session.flush()
    except BaseException:
        _unlink_quietly(new_file)
        raise
    after_outcome(session, lambda: _unlink_quietly(old_file), lambda: _unlink_quietly(new_file))
    return rel


# ---------------------------------------------------------------- time zone (every role)

def get_time_zone(session: Session, actor_id: int | None) -> str:
    return require_role(session, actor_id).time_zone


def set_time_zone(session: Session, actor_id: int | None, data: dict, *, now: datetime | None = None) -> str:
    """The person's chosen zone (an unknown name: a message next to the field, nothing written)."""
    user = require_role(session, actor_id)
    name = zones.check_zone(data.get(zones.FIELD) if isinstance(data, dict) else None)
    if name != user.time_zone:
        audit.record(session, user, "user.time_zone", "user", user.id, f"time zone {user.time_zone} -> {name}", now=now)
        user.time_zone = name
        session.add(user)
    return name
