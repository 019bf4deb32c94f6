"""Password hashing with libpass (the maintained passlib): argon2 now, older schemes upgraded at login."""

from __future__ import annotations

from passlib.context import CryptContext

# argon2id at OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): argon2-cffi's default (64 MiB,
# 3 passes, 4 lanes) cost several times the CPU, so a burst of log-ins starved the other users of a small
# server (figures: bench/README.md, 2026-12-05). Hashes with other settings, and pbkdf2_sha256 ones from
# older installs, still verify and are re-hashed at the next successful login.
pwd_context = CryptContext(schemes=["argon2", "pbkdf2_sha256"], deprecated="auto",
                           argon2__memory_cost=19456, argon2__time_cost=2, argon2__parallelism=1)

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
