"""Password hashing with libpass (the maintained passlib): argon2 now, older schemes upgraded at login."""

from __future__ import annotations

from passlib.context import CryptContext

# argon2 is the scheme for new hashes; pbkdf2_sha256 is accepted for hashes made by
# older installs and is re-hashed to argon2 at the next successful login.
pwd_context = CryptContext(schemes=["argon2", "pbkdf2_sha256"], deprecated="auto")

# A real hash to verify against when the e-mail is unknown, so both paths take as long.
_DUMMY_HASH = pwd_context.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return pwd_context.hash(password)


def verify_password(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """(matches, new_hash_or_None). new_hash is set when the stored hash should be upgraded."""
    if not password_hash:
        pwd_context.verify(password, _DUMMY_HASH)
        return False, None
    return pwd_context.verify_and_update(password, password_hash)
