"""Reading an uploaded file with a byte cap: refused by its declared size before any byte is read, and
read in chunks that stop one chunk past the cap (a lying or unknown size reads no further)."""

from __future__ import annotations

from typing import BinaryIO

from brandifiers.services.common.errors import DomainError

CHUNK = 64 * 1024


def too_large(cap: int, size: int | None, field: str, what: str) -> DomainError:
    shown = f" (this one is {size / (1024 * 1024):.1f} MB)" if size else ""
    return DomainError(f"{what} must be at most {cap // (1024 * 1024)} MB{shown}.", field)


def read_capped(stream: BinaryIO, size: int | None, cap: int, field: str, what: str) -> bytes:
    """The whole content of stream, or DomainError(field) when it is over cap bytes."""
    if size is not None and size > cap:
        raise too_large(cap, size, field, what)
    parts, total = [], 0
    while chunk := stream.read(CHUNK):
        total += len(chunk)
        if total > cap:
            raise too_large(cap, None, field, what)
        parts.append(chunk)
    return b"".join(parts)
