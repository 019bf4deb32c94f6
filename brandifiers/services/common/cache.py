"""A get-or-compute cache with expiry for the dashboards' aggregates (in-process, or Redis when
REFLEX_REDIS_URL is set); writers drop entries once their transaction commits
(`invalidate_after_commit`). Values must be JSON-serialisable. See docs/caching.md."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from brandifiers import config
from brandifiers.services.common.transactions import after_commit

DEFAULT_TTL = 60.0
SEARCH_CACHE_PREFIX = "search:"  # discovery pages (services/discovery/search_cache.py); moderation drops them
REDIS_NAMESPACE = "brandifiers:cache:"


class MemoryBackend:
    """Entries live in this process: {key: (expires at monotonic seconds, json text)}."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._data: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            if entry[0] <= self._clock():
                del self._data[key]
                return None
            return entry[1]

    def set(self, key: str, text: str, ttl: float) -> None:
        with self._lock:
            self._data[key] = (self._clock() + ttl, text)

    def invalidate(self, prefix: str) -> int:
        with self._lock:
            doomed = [k for k in self._data if k.startswith(prefix)]
            for k in doomed:
                del self._data[k]
            return len(doomed)


class RedisBackend:
    """Entries in Redis under `namespace` + key, with Redis's own expiry (PX)."""

    def __init__(self, url: str, namespace: str = REDIS_NAMESPACE):
        import redis  # installed with reflex; imported only when Redis is configured

        self._redis = redis.Redis.from_url(url)
        self.namespace = namespace

    def get(self, key: str) -> str | None:
        raw = self._redis.get(self.namespace + key)
        return None if raw is None else raw.decode()

    def set(self, key: str, text: str, ttl: float) -> None:
        self._redis.set(self.namespace + key, text, px=max(1, int(ttl * 1000)))

    def invalidate(self, prefix: str) -> int:
        pattern = _glob_escape(self.namespace + prefix) + "*"
        count = 0
        batch: list[bytes] = []
        for k in self._redis.scan_iter(match=pattern, count=500):
            batch.append(k)
            if len(batch) >= 500:
                count += self._redis.delete(*batch)
                batch = []
        if batch:
            count += self._redis.delete(*batch)
        return count


def _glob_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)


_backend: MemoryBackend | RedisBackend | None = None
_backend_url: str | None = None


def backend() -> MemoryBackend | RedisBackend:
    """The configured backend (re-chosen when REFLEX_REDIS_URL changes)."""
    global _backend, _backend_url
    url = config.redis_url()
    if _backend is None or url != _backend_url:
        _backend = RedisBackend(url) if url else MemoryBackend()
        _backend_url = url
    return _backend


def get_or_compute(key: str, compute: Callable[[], Any], ttl: float = DEFAULT_TTL, *, store=None) -> Any:
    """The cached value of `key`, or compute() stored for `ttl` seconds. `store`: a backend (tests)."""
    store = store or backend()
    text = store.get(key)
    if text is not None:
        return json.loads(text)
    value = compute()
    text = json.dumps(value, default=_jsonable)
    store.set(key, text, ttl)
    return json.loads(text)


def invalidate(prefix: str, *, store=None) -> int:
    """Drop every entry whose key starts with `prefix`; returns how many were dropped."""
    return (store or backend()).invalidate(prefix)


def invalidate_after_commit(session, prefix: str) -> None:
    """Drop the entries of `prefix` once `session`'s current transaction commits (nothing on rollback)."""
    after_commit(session, lambda: invalidate(prefix))


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")
