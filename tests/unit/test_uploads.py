"""Uploads are refused by their declared size before any byte is read, and never read past the cap."""

from __future__ import annotations

import io

import pytest

from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.uploads import CHUNK, read_capped


class Counting(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.read_bytes = 0

    def read(self, n=-1):
        out = super().read(n)
        self.read_bytes += len(out)
        return out


def test_a_declared_size_over_the_cap_is_refused_unread():
    stream = Counting(b"x" * 100)
    with pytest.raises(DomainError) as err:
        read_capped(stream, 3 * 1024 * 1024, 2 * 1024 * 1024, "avatar", "The picture")
    assert err.value.field == "avatar" and "at most 2 MB" in err.value.message and "3.0 MB" in err.value.message
    assert stream.read_bytes == 0


def test_an_unknown_or_false_size_stops_one_chunk_past_the_cap():
    cap = 3 * CHUNK
    stream = Counting(b"x" * (50 * CHUNK))
    with pytest.raises(DomainError):
        read_capped(stream, 10, cap, "file", "The file")  # the size claimed is a lie
    assert stream.read_bytes <= cap + CHUNK


def test_up_to_the_cap_is_read_whole():
    assert read_capped(Counting(b"ab" * CHUNK), None, 2 * CHUNK, "file", "The file") == b"ab" * CHUNK
