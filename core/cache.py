"""A Redis cache that degrades instead of failing: a cache outage is not a site outage.

Django's RedisCache raises on every operation while Redis is unreachable, and every
caller then answers 500: article and entity pages (the page cache), the anonymous API
(its throttle), token login (its lockout counter). Here each operation that meets a
Redis error behaves as a miss (reads return the default, writes do nothing, `incr`
reports the key absent), and the backend stops calling Redis for
NEWSROOM_CACHE_RETRY_SECONDS, so a dead or hanging server costs at most one short
timeout per interval. One warning is logged per interval, not one per request.

What the misses mean, by choice (README, "Degraded services"):
- pages render from the database (the page cache is only a shortcut);
- the anonymous API throttle fails open: readers keep reading, the front end's own
  limits still apply;
- the token login lockout fails open too: its counter cannot be kept, so while Redis is
  down failed logins are not counted (logged), rather than locking every tool out.
"""

import contextlib
import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("newsroom.cache")

DEFAULT_RETRY_SECONDS = 5.0


class _Breaker:
    """Skip Redis for a while after an error; warn once per interval."""

    def __init__(self) -> None:
        self.open_until = 0.0
        self.lock = threading.Lock()

    @property
    def retry_seconds(self) -> float:
        return float(getattr(settings, "NEWSROOM_CACHE_RETRY_SECONDS", DEFAULT_RETRY_SECONDS))

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, location: str, operation: str, exc: Exception) -> None:
        with self.lock:
            if self.is_open():
                return
            self.open_until = time.monotonic() + self.retry_seconds
        logger.warning(
            "Cache %s unavailable (%s: %s); serving without it for %.0f s.",
            location,
            operation,
            exc,
            self.retry_seconds,
        )


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(location: str) -> _Breaker:
    """One breaker per server and process (Django builds a cache object per thread)."""
    with _breakers_lock:
        return _breakers.setdefault(location, _Breaker())


class _Miss(Exception):
    """The cache could not answer; the caller gets the operation's miss value."""


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options) -> None:
        super().__init__(servers, **options)
        self._location = ",".join(servers)
        self._breaker = _breaker_for(self._location)

    def _call(self, operation: str, *args):
        if self._breaker.is_open():
            raise _Miss
        try:
            return getattr(super(), operation)(*args)
        except RedisError as exc:
            self._breaker.trip(self._location, operation, exc)
            raise _Miss from exc

    def add(self, key, value, timeout):
        try:
            return self._call("add", key, value, timeout)
        except _Miss:
            return False

    def get(self, key, default):
        try:
            return self._call("get", key, default)
        except _Miss:
            return default

    def set(self, key, value, timeout):
        with contextlib.suppress(_Miss):
            self._call("set", key, value, timeout)

    def touch(self, key, timeout):
        try:
            return self._call("touch", key, timeout)
        except _Miss:
            return False

    def delete(self, key):
        try:
            return self._call("delete", key)
        except _Miss:
            return False

    def get_many(self, keys):
        try:
            return self._call("get_many", keys)
        except _Miss:
            return {}

    def has_key(self, key):
        try:
            return self._call("has_key", key)
        except _Miss:
            return False

    def incr(self, key, delta):
        try:
            return self._call("incr", key, delta)
        except _Miss:
            # As for a missing key (Django's contract): callers then set() a fresh value.
            raise ValueError("Key not available: the cache is unreachable.") from None

    def set_many(self, data, timeout):
        with contextlib.suppress(_Miss):
            self._call("set_many", data, timeout)

    def delete_many(self, keys):
        with contextlib.suppress(_Miss):
            self._call("delete_many", keys)

    def clear(self):
        try:
            return self._call("clear")
        except _Miss:
            return False


class ResilientRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache whose outages read as misses."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
