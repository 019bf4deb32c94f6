"""Own-profile editing: field validation, derived reach figures, roles and avatar uploads."""

from __future__ import annotations

import base64
import io
import struct
import threading
import time
import zlib

import pytest
from PIL import Image
from sqlmodel import Session, func, select

from brandifiers.models import AuditEvent, InfluencerProfile, SocialAccount, SponsorProfile, UserStatus
from brandifiers.services.accounts import auth, profiles
from brandifiers.services.accounts.passwords import hash_password
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from tests.unit import factories


def _png() -> bytes:
    """A real 1x1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


PNG = _png()


def _png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header and IHDR for a huge canvas, with almost no pixel data behind it."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))
JPEG = base64.b64decode(  # a real 16x16 JPEG (CPython's imghdr test image)
    "/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8Q"
    "EBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ"
    "EBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQID"
    "BAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/"
    "2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx"
    "4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+"
    "Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolv"
    "w4KOp1KM6iCNvngZHwetf//Z")
WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")  # a real 1x1 lossless WebP

GOOD_INFLUENCER = {"display_name": "Chef Ana", "bio": "Bread & cakes.", "category": "Food", "niche": "baking",
                   "location": "Lisbon", "asking_price": "1,500"}
GOOD_SPONSOR = {"company_name": "Acme", "industry": "Cosmetics", "website": "acme.example.com",
                "yearly_budget": "20000.50", "description": "We make soap."}


def snapshot(session):
    """Everything a profile service could change."""
    session.expire_all()
    def rows(model):
        return [tuple(r.model_dump().items()) for r in session.exec(select(model).order_by(model.id))]

    infl, spon, social = rows(InfluencerProfile), rows(SponsorProfile), rows(SocialAccount)
    audits = session.exec(select(func.count()).select_from(AuditEvent)).one()
    return infl, spon, social, audits


def own_profile(session, user):
    session.expire_all()
    return session.exec(select(InfluencerProfile).where(InfluencerProfile.user_id == user.id)).one()


@pytest.fixture(scope="module")
def password_hash():
    return hash_password(factories.PASSWORD)


@pytest.fixture
def cast(session, monkeypatch, password_hash):
    # Six accounts per test: hash the password once (argon2 is slow on purpose), not six times.
    monkeypatch.setattr(auth, "hash_password", lambda _: password_hash)
    monkeypatch.setattr(factories, "hash_password", lambda _: password_hash)
    flagged = factories.influencer(session)
    flagged.status, flagged.status_reason = UserStatus.FLAGGED.value, "fake followers"
    session.add(flagged)
    session.commit()
    return {
        "influencer": factories.influencer(session, followers="12000"),
        "other": factories.influencer(session),
        "flagged": flagged,
        "sponsor": factories.sponsor(session, approved=True),
        "pending": factories.sponsor(session),
        "admin": factories.admin(session),
    }


# ---------------------------------------------------------------- influencer profile

def test_get_influencer_profile_gives_form_values(session, cast):
    got = profiles.get_influencer_profile(session, cast["influencer"].id)
    assert got["category"] == "Food" and got["asking_price"] == "" and got["avatar_path"] == ""
    assert got["platforms"] == [{"platform": "instagram", "handle": got["platforms"][0]["handle"],
                                 "followers": 12000, "engagement_rate_pct": 0.0}]
    assert (got["total_followers"], got["avg_engagement_rate_pct"]) == (12000, 0.0)


def test_update_influencer_profile_saves_audits_and_round_trips(session, cast):
    uid = cast["influencer"].id
    profiles.update_influencer_profile(session, uid, GOOD_INFLUENCER)
    session.commit()
    profile = own_profile(session, cast["influencer"])
    assert (profile.display_name, profile.asking_price_cents, profile.location) == ("Chef Ana", 150000, "Lisbon")
    got = profiles.get_influencer_profile(session, uid)
    assert got["asking_price"] == "1500.00" and got["bio"] == "Bread & cakes."
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "profile.update")).one()
    assert (event.actor_id, event.target_id) == (uid, profile.id) and "display_name" in event.summary
    # Clearing the optional fields stores NULLs; the form gets blanks back.
    profiles.update_influencer_profile(session, uid, {"display_name": "Ana", "category": "Travel"})
    session.commit()
    got = profiles.get_influencer_profile(session, uid)
    assert (got["bio"], got["niche"], got["location"], got["asking_price"]) == ("", "", "", "")
    assert own_profile(session, cast["influencer"]).asking_price_cents is None


@pytest.mark.parametrize("field, value", [
    ("display_name", ""), ("display_name", "   "), ("display_name", "x" * 81), ("bio", "b" * 2001),
    ("category", ""), ("category", "Crypto"), ("niche", "n" * 81), ("location", "l" * 121),
    ("asking_price", "-5"), ("asking_price", "abc"), ("asking_price", "1.234"),
])
def test_bad_influencer_field_is_reported_and_nothing_written(session, cast, field, value):
    before = snapshot(session)
    with pytest.raises(ValidationFailed) as err:
        profiles.update_influencer_profile(session, cast["influencer"].id, {**GOOD_INFLUENCER, field: value})
    assert list(err.value.errors) == [field]
    session.commit()
    assert snapshot(session) == before


def test_all_influencer_errors_come_at_once(session, cast):
    bad = {"display_name": "", "category": "Nope", "bio": "b" * 2001, "asking_price": "-1"}
    with pytest.raises(ValidationFailed) as err:
        profiles.update_influencer_profile(session, cast["influencer"].id, bad)
    assert set(err.value.errors) == {"display_name", "category", "bio", "asking_price"}


# ---------------------------------------------------------------- platforms

def test_platforms_add_update_and_recompute_weighted_figures(session, cast):
    uid = cast["influencer"].id
    profiles.set_platform(session, uid, {"platform": "instagram", "handle": "@ana", "followers": "12,000",
                                         "engagement_rate": "3"})
    row = profiles.set_platform(session, uid, {"platform": "tiktok", "handle": "@@ana_tt", "followers": "4000",
                                               "engagement_rate": "7%"})
    session.commit()
    assert (row.handle, row.avg_engagement_rate) == ("ana_tt", pytest.approx(0.07))
    profile = own_profile(session, cast["influencer"])
    assert profile.total_followers == 16000
    assert profile.avg_engagement_rate == pytest.approx((12000 * 0.03 + 4000 * 0.07) / 16000)  # 0.04
    got = profiles.get_influencer_profile(session, uid)
    assert [(p["platform"], p["handle"], p["followers"], p["engagement_rate_pct"]) for p in got["platforms"]] == [
        ("instagram", "ana", 12000, 3.0), ("tiktok", "ana_tt", 4000, 7.0)]
    assert got["avg_engagement_rate_pct"] == pytest.approx(4.0)
    # Updating an existing platform changes that row (no duplicate) and the figures follow.
    profiles.set_platform(session, uid, {"platform": "tiktok", "handle": "ana", "followers": "8000",
                                         "engagement_rate": "1.5"})
    session.commit()
    profile = own_profile(session, cast["influencer"])
    assert session.exec(select(func.count()).select_from(SocialAccount)
                        .where(SocialAccount.influencer_id == profile.id)).one() == 2
    assert profile.total_followers == 20000
    assert profile.avg_engagement_rate == pytest.approx((12000 * 0.03 + 8000 * 0.015) / 20000)
    # Removing recomputes too; another influencer's figures never move.
    other_before = own_profile(session, cast["other"]).total_followers
    profiles.remove_platform(session, uid, "instagram")
    session.commit()
    profile = own_profile(session, cast["influencer"])
    assert (profile.total_followers, profile.avg_engagement_rate) == (8000, pytest.approx(0.015))
    assert own_profile(session, cast["other"]).total_followers == other_before
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.actor_id == uid)).all()
    assert actions.count("profile.platform_set") == 3 and actions.count("profile.platform_remove") == 1


def test_zero_followers_give_zero_engagement(session, cast):
    uid = cast["influencer"].id
    profiles.set_platform(session, uid, {"platform": "instagram", "handle": "a", "followers": "0",
                                         "engagement_rate": "5"})
    session.commit()
    profile = own_profile(session, cast["influencer"])
    assert (profile.total_followers, profile.avg_engagement_rate) == (0, 0.0)


@pytest.mark.parametrize("field, value", [
    ("platform", ""), ("platform", "myspace"), ("handle", ""), ("handle", "@"), ("handle", "h" * 81),
    ("followers", ""), ("followers", "-1"), ("followers", "1.5"), ("followers", "many"),
    ("engagement_rate", ""), ("engagement_rate", "-0.1"), ("engagement_rate", "100.1"),
    ("engagement_rate", "abc"), ("engagement_rate", "nan"), ("engagement_rate", "inf"),
])
def test_bad_platform_field_is_reported_and_nothing_written(session, cast, field, value):
    good = {"platform": "youtube", "handle": "ana", "followers": "500", "engagement_rate": "2.5"}
    before = snapshot(session)
    with pytest.raises(ValidationFailed) as err:
        profiles.set_platform(session, cast["influencer"].id, {**good, field: value})
    assert list(err.value.errors) == [field]
    session.commit()
    assert snapshot(session) == before


def test_last_platform_cannot_be_removed_and_unknown_is_not_found(session, cast):
    uid = cast["influencer"].id
    before = snapshot(session)
    with pytest.raises(DomainError) as err:
        profiles.remove_platform(session, uid, "instagram")
    assert "at least one platform" in err.value.message
    with pytest.raises(NotFound):
        profiles.remove_platform(session, uid, "youtube")
    session.commit()
    assert snapshot(session) == before


def test_concurrent_platform_edits_of_one_profile_are_serialised(session, cast, engine):
    """The profile row lock makes the second writer wait and then see the first one's row."""
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite has one writer at a time anyway)")
    uid = cast["influencer"].id
    profiles.set_platform(session, uid, {"platform": "tiktok", "handle": "a", "followers": "1000",
                                         "engagement_rate": "1"})  # holds the lock, not committed yet
    errors = []

    def second_writer():
        try:
            with Session(engine, expire_on_commit=False) as other:
                profiles.set_platform(other, uid, {"platform": "youtube", "handle": "b", "followers": "3000",
                                                   "engagement_rate": "2"})
                other.commit()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.3)
    assert thread.is_alive(), "the second writer should wait for the profile lock"
    session.commit()
    thread.join(10)
    assert not errors
    profile = own_profile(session, cast["influencer"])
    assert profile.total_followers == 12000 + 1000 + 3000


# ---------------------------------------------------------------- sponsor profile

def test_sponsor_profile_get_update_and_website_normalised(session, cast):
    uid = cast["sponsor"].id
    assert profiles.get_sponsor_profile(session, uid)["yearly_budget"] == "50000.00"
    profiles.update_sponsor_profile(session, uid, GOOD_SPONSOR)
    session.commit()
    got = profiles.get_sponsor_profile(session, uid)
    assert got == {"company_name": "Acme", "industry": "Cosmetics", "website": "https://acme.example.com",
                   "yearly_budget": "20000.50", "description": "We make soap."}
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "profile.update",
                                                 AuditEvent.actor_id == uid)).one().target_type == "sponsor_profile"
    profiles.update_sponsor_profile(session, uid, {**GOOD_SPONSOR, "website": "HTTP://Shop.example.org/a?b=1",
                                                   "yearly_budget": ""})
    session.commit()
    got = profiles.get_sponsor_profile(session, uid)
    assert (got["website"], got["yearly_budget"]) == ("HTTP://Shop.example.org/a?b=1", "")


@pytest.mark.parametrize("field, value", [
    ("company_name", ""), ("company_name", "c" * 121), ("industry", ""), ("industry", "i" * 61),
    ("website", "ftp://files.example.com"), ("website", "javascript:alert(1)"), ("website", "not a url"),
    ("website", "localhost"), ("website", "https://"), ("website", "https://user:pw@example.com"),
    ("website", "example.com/" + "p" * 185), ("yearly_budget", "-1"), ("yearly_budget", "lots"),
    ("description", "d" * 2001),
])
def test_bad_sponsor_field_is_reported_and_nothing_written(session, cast, field, value):
    before = snapshot(session)
    with pytest.raises(ValidationFailed) as err:
        profiles.update_sponsor_profile(session, cast["sponsor"].id, {**GOOD_SPONSOR, field: value})
    assert list(err.value.errors) == [field]
    session.commit()
    assert snapshot(session) == before


# ---------------------------------------------------------------- roles

INFLUENCER_CALLS = {
    "get": lambda s, uid, d: profiles.get_influencer_profile(s, uid),
    "update": lambda s, uid, d: profiles.update_influencer_profile(s, uid, GOOD_INFLUENCER),
    "set_platform": lambda s, uid, d: profiles.set_platform(
        s, uid, {"platform": "youtube", "handle": "x", "followers": "1", "engagement_rate": "1"}),
    "remove_platform": lambda s, uid, d: profiles.remove_platform(s, uid, "instagram"),
    "avatar": lambda s, uid, d: profiles.save_avatar(s, uid, "a.png", PNG, d),
}
SPONSOR_CALLS = {
    "get": lambda s, uid, d: profiles.get_sponsor_profile(s, uid),
    "update": lambda s, uid, d: profiles.update_sponsor_profile(s, uid, GOOD_SPONSOR),
}


@pytest.mark.parametrize("who", ["sponsor", "pending", "flagged", "admin", None])
@pytest.mark.parametrize("call", list(INFLUENCER_CALLS))
def test_influencer_functions_refuse_other_roles_and_statuses(session, cast, tmp_path, who, call):
    before = snapshot(session)
    with pytest.raises(PermissionDenied):
        INFLUENCER_CALLS[call](session, cast[who].id if who else None, tmp_path)
    session.rollback()
    assert snapshot(session) == before and not list(tmp_path.rglob("*"))


@pytest.mark.parametrize("who", ["influencer", "pending", "flagged", "admin", None])
@pytest.mark.parametrize("call", list(SPONSOR_CALLS))
def test_sponsor_functions_refuse_other_roles_and_statuses(session, cast, who, call):
    before = snapshot(session)
    with pytest.raises(PermissionDenied) as err:
        SPONSOR_CALLS[call](session, cast[who].id if who else None, None)
    if who == "pending":
        assert "awaiting approval" in err.value.message
    session.rollback()
    assert snapshot(session) == before


# ---------------------------------------------------------------- avatar

@pytest.mark.parametrize("content, ext", [(PNG, ".png"), (JPEG, ".jpg"), (WEBP, ".webp")])
def test_real_pictures_are_stored_by_their_real_type(session, cast, tmp_path, content, ext):
    user = cast["influencer"]
    rel = profiles.save_avatar(session, user.id, "holiday.gif", content, tmp_path)
    session.commit()
    assert rel.startswith(f"avatars/{user.id}-") and rel.endswith(ext)
    with Image.open(tmp_path / rel) as stored, Image.open(io.BytesIO(content)) as sent:
        assert stored.format == sent.format and stored.size == sent.size  # re-encoded, the same picture
    assert own_profile(session, user).avatar_path == rel
    assert profiles.get_influencer_profile(session, user.id)["avatar_path"] == rel
    assert [p.name for p in (tmp_path / "avatars").iterdir()] == [rel.split("/")[1]]  # no temp files left
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "profile.avatar")).one().actor_id == user.id


@pytest.mark.parametrize("name, content, message", [
    ("x.png", b"just some text, not a picture", "not a PNG, JPEG or WebP"),
    ("x.png", b"GIF89a" + PNG, "not a PNG, JPEG or WebP"),
    ("x.webp", b"RIFF\x00\x00\x00\x00AVI LIST", "not a PNG, JPEG or WebP"),
    ("x.png", b"", "empty"),
    ("x.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", "not a PNG, JPEG or WebP"),
    ("x.jpg", JPEG[:200], "not a PNG, JPEG or WebP"),  # a truncated picture does not decode
    ("x.png", _png_claiming(20_000, 20_000), "too large"),  # a few bytes claiming 400 million pixels
    ("x.png", PNG + b"\x00" * (profiles.AVATAR_MAX_BYTES - len(PNG) + 1), "at most 2 MB"),
])
def test_bad_uploads_are_refused_and_nothing_written(session, cast, tmp_path, name, content, message):
    before = snapshot(session)
    with pytest.raises(ValidationFailed) as err:
        profiles.save_avatar(session, cast["influencer"].id, name, content, tmp_path)
    assert message in err.value.errors["avatar"]
    session.commit()
    assert snapshot(session) == before and not list(tmp_path.rglob("*"))


def test_exactly_the_limit_is_accepted_and_only_the_pixels_are_stored(session, cast, tmp_path):
    content = PNG + b"<html>" + b"\x00" * (profiles.AVATAR_MAX_BYTES - len(PNG) - 6)
    rel = profiles.save_avatar(session, cast["influencer"].id, "big.png", content, tmp_path)
    stored = (tmp_path / rel).read_bytes()
    assert len(stored) < 1000 and b"<html>" not in stored  # re-encoded: what followed the picture is gone
    with Image.open(tmp_path / rel) as img:
        assert (img.format, img.size) == ("PNG", (1, 1))


def test_a_large_picture_is_scaled_down_and_its_metadata_dropped(session, cast, tmp_path):
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "secret GPS note"  # ImageDescription
    Image.new("RGB", (3000, 1500), (200, 10, 10)).save(buf, format="JPEG", exif=exif)
    rel = profiles.save_avatar(session, cast["influencer"].id, "big.jpg", buf.getvalue(), tmp_path)
    with Image.open(tmp_path / rel) as img:
        assert img.format == "JPEG" and img.size == (profiles.AVATAR_MAX_SIDE, profiles.AVATAR_MAX_SIDE // 2)
        assert b"secret GPS note" not in (tmp_path / rel).read_bytes()


def test_replacing_removes_the_old_file_on_commit(session, cast, tmp_path):
    uid = cast["influencer"].id
    first = profiles.save_avatar(session, uid, "a.png", PNG, tmp_path)
    session.commit()
    other = profiles.save_avatar(session, cast["other"].id, "o.png", PNG, tmp_path)
    session.commit()
    second = profiles.save_avatar(session, uid, "b.jpg", JPEG, tmp_path)
    assert (tmp_path / first).exists(), "the old file stays until the change is committed"
    session.commit()
    assert not (tmp_path / first).exists()
    with Image.open(tmp_path / second) as img:
        assert (img.format, img.size) == ("JPEG", (16, 16))
    assert (tmp_path / other).exists()  # somebody else's picture is never touched


def test_a_rolled_back_replacement_keeps_the_old_picture(session, cast, tmp_path):
    uid = cast["influencer"].id
    first = profiles.save_avatar(session, uid, "a.png", PNG, tmp_path)
    session.commit()
    second = profiles.save_avatar(session, uid, "b.png", PNG, tmp_path)
    session.rollback()
    assert (tmp_path / first).exists() and not (tmp_path / second).exists()
    assert own_profile(session, cast["influencer"]).avatar_path == first
    # Inside a savepoint that is rolled back, then an outer commit: still the old picture.
    with pytest.raises(RuntimeError), session.begin_nested():
        third = profiles.save_avatar(session, uid, "c.png", PNG, tmp_path)
        raise RuntimeError("abort the savepoint")
    session.commit()
    assert (tmp_path / first).exists() and not (tmp_path / third).exists()
    assert own_profile(session, cast["influencer"]).avatar_path == first


def test_a_stored_path_outside_the_users_avatars_is_never_deleted(session, cast, tmp_path):
    user = cast["influencer"]
    victim = tmp_path / "avatars" / f"{cast['other'].id}-abc.png"
    victim.parent.mkdir()
    victim.write_bytes(PNG)
    profile = own_profile(session, user)
    profile.avatar_path = f"avatars/{victim.name}"
    session.add(profile)
    session.commit()
    profiles.save_avatar(session, user.id, "a.png", PNG, tmp_path)
    session.commit()
    assert victim.exists()
