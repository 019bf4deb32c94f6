"""The influencer's profile picture in a real browser: a real PNG is uploaded and shown; a file
that is not a picture, one over the size limit and a type the drop zone refuses are refused with a
message next to the field."""

from __future__ import annotations

import re
import struct
import zlib

from playwright.sync_api import expect
from sqlmodel import Session, select

from brandifiers.db import get_engine
from brandifiers.models import InfluencerProfile, User
from brandifiers.services.accounts import auth
from brandifiers.services.accounts.profiles import AVATAR_MAX_BYTES
from tests.e2e.conftest import goto, login, shot

EMAIL, PASSWORD = "avatar-creator@example.com", "avatar-password"


def png(width: int = 24, height: int = 24) -> bytes:
    """A valid RGB PNG: a diagonal orange/teal split (so a broken image is easy to tell apart)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"".join(b"\xf0\x8c\x28" if x > y else b"\x1a\x9e\x96" for x in range(width))
                    for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def avatar_path(db_url: str) -> str | None:
    with Session(get_engine(db_url)) as s:
        return s.exec(select(InfluencerProfile.avatar_path).join(User, User.id == InfluencerProfile.user_id)
                      .where(User.email == EMAIL)).one()


def choose_file(page, name: str, content: bytes, mime: str) -> None:
    page.locator("#avatar-upload input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content})
    expect(page.get_by_text(name, exact=True)).to_be_visible()  # listed under the drop zone


def test_influencer_uploads_a_picture_and_sees_clear_refusals(new_page, db_url):
    with Session(get_engine(db_url)) as s:
        auth.signup_influencer(s, {"email": EMAIL, "password": PASSWORD, "display_name": "Pixel Paula",
                                   "category": "Travel", "niche": "city breaks", "platform": "instagram",
                                   "handle": "pixelpaula", "followers": "12000"})
        s.commit()
    page = new_page()
    login(page, EMAIL, PASSWORD, "/influencer")
    goto(page, "/influencer/profile")
    expect(page.locator("#avatar")).to_have_count(0)  # no picture yet

    # A real PNG: stored, then shown as a loaded image served from the upload folder.
    choose_file(page, "paula.png", png(), "image/png")
    page.click("#avatar-submit")
    picture = page.locator("#avatar")
    expect(picture).to_be_visible()
    expect(picture).to_have_attribute("src", re.compile(r"/_upload/avatars/\d+-[0-9a-f]{32}\.png$"))
    page.wait_for_function("() => { const i = document.querySelector('#avatar');"
                           " return i && i.complete && i.naturalWidth === 24; }")
    stored = avatar_path(db_url)
    assert stored and stored.startswith("avatars/") and stored.endswith(".png")
    expect(page.locator("#error-avatar")).to_have_count(0)

    # Not a picture, whatever its name says: refused next to the field; the picture stays.
    choose_file(page, "notes.png", b"just some text, not an image\n", "image/png")
    page.click("#avatar-submit")
    expect(page.locator("#error-avatar")).to_have_text("That file is not a PNG, JPEG or WebP picture.")
    assert avatar_path(db_url) == stored

    # Over the limit (a PNG header and 3 MiB of padding): the message names the limit and the size.
    big = png() + b"\x00" * (AVATAR_MAX_BYTES + 1024 * 1024)
    choose_file(page, "huge.png", big, "image/png")
    page.click("#avatar-submit")
    expect(page.locator("#error-avatar")).to_have_text("The picture must be at most 2 MB (this one is 3.0 MB).")
    assert avatar_path(db_url) == stored

    # A type the drop zone itself refuses (it never reaches the server): said next to the field too.
    page.locator("#avatar-upload input[type=file]").set_input_files(
        {"name": "party.gif", "mimeType": "image/gif", "buffer": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"})
    expect(page.locator("#error-avatar")).to_have_text(
        "party.gif was not accepted: choose a PNG, JPEG or WebP picture of at most 2 MB.")
    assert avatar_path(db_url) == stored
    expect(picture).to_have_attribute("src", re.compile(re.escape(stored) + "$"))
    shot(page, "avatar-upload-refused")
