"""The get-or-compute cache on both backends: in-process and Redis (a key prefix of its own per run)."""

from __future__ import annotations

import uuid

import pytest

from brandifiers.services.common import cache


class FakeClock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _redis_or_skip(namespace: str):
    backend = cache.RedisBackend("redis://127.0.0.1:6379/0", namespace=namespace)
    try:
        backend._redis.ping()
    except Exception as err:  # any connection failure means: no Redis here
        pytest.skip(f"Redis is not running on 127.0.0.1:6379: {err}")
    return backend


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        yield cache.MemoryBackend()
        return
    namespace = f"brandifiers-test:{uuid.uuid4().hex}:"
    backend = _redis_or_skip(namespace)
    yield backend
    keys = list(backend._redis.scan_iter(match=namespace + "*"))
    if keys:
        backend._redis.delete(*keys)
    assert not list(backend._redis.scan_iter(match=namespace + "*"))


def test_computes_once_then_serves_the_stored_value(store):
    calls = []

    def compute():
        calls.append(1)
        return {"views": 10, "series": [1, 2], "ratio": None}

    first = cache.get_or_compute("stats:a", compute, store=store)
    second = cache.get_or_compute("stats:a", compute, store=store)
    assert first == second == {"views": 10, "series": [1, 2], "ratio": None} and len(calls) == 1


def test_invalidate_by_prefix(store):
    for key in ("stats:campaign:1", "stats:campaign:2", "stats:sponsor:1", "other:1"):
        cache.get_or_compute(key, lambda: 1, store=store)
    assert cache.invalidate("stats:campaign:", store=store) == 2
    assert store.get("stats:campaign:1") is None and store.get("stats:sponsor:1") == "1"
    assert cache.invalidate("stats:", store=store) == 1 and store.get("other:1") == "1"


def test_prefix_with_glob_characters_is_literal(store):
    cache.get_or_compute("stats:[x]*", lambda: 1, store=store)
    cache.get_or_compute("stats:ab", lambda: 2, store=store)
    assert cache.invalidate("stats:[x]", store=store) == 1 and store.get("stats:ab") == "2"


def test_values_must_be_json(store):
    with pytest.raises(TypeError):
        cache.get_or_compute("stats:bad", lambda: object(), store=store)
    assert store.get("stats:bad") is None


def test_memory_entries_expire():
    clock = FakeClock()
    store = cache.MemoryBackend(clock=clock)
    values = iter([1, 2])
    assert cache.get_or_compute("k", lambda: next(values), ttl=60, store=store) == 1
    clock.t += 59
    assert cache.get_or_compute("k", lambda: next(values), ttl=60, store=store) == 1
    clock.t += 1
    assert cache.get_or_compute("k", lambda: next(values), ttl=60, store=store) == 2


def test_redis_entries_carry_an_expiry():
    namespace = f"brandifiers-test:{uuid.uuid4().hex}:"
    store = _redis_or_skip(namespace)
    try:
        cache.get_or_compute("k", lambda: 1, ttl=60, store=store)
        assert 0 < store._redis.pttl(namespace + "k") <= 60_000
    finally:
        store._redis.delete(namespace + "k")


def test_the_backend_follows_the_environment(monkeypatch):
    monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    assert isinstance(cache.backend(), cache.MemoryBackend)
    monkeypatch.setenv("REFLEX_REDIS_URL", "redis://127.0.0.1:6379/0")
    assert isinstance(cache.backend(), cache.RedisBackend)
    monkeypatch.delenv("REFLEX_REDIS_URL")
    assert isinstance(cache.backend(), cache.MemoryBackend)
