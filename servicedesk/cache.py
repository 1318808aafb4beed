"""The shared cache (rate limits, API throttles, the client-link counters) and how it degrades.

Production points CACHE_URL at Redis so every gunicorn worker counts in one place (docs/deployment.md). Redis
is a helper, never a dependency of a page: when it is down or slow, `DegradingRedisCache` answers

- a read (`get`, `get_many`, `has_key`) with a miss: limits fail open, the request is served;
- a write (`set`, `add`, `touch`, `delete`…) with nothing done;
- `incr` and `get_strict` with `CacheUnavailable`, for the callers that must decide: a login refuses
  (`login_unavailable_message`, "try again later"), the client-link counter lets the attempt through.

Connection and read timeouts are short (settings `CACHE_TIMEOUT_SECONDS`), so a dead Redis costs a request at
most that long, never a 500.
"""
import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

try:  # redis-py comes with celery[redis]
    from redis.exceptions import ConnectionError as _RedisConnectionError
    from redis.exceptions import TimeoutError as _RedisTimeoutError

    CACHE_ERRORS: tuple = (_RedisConnectionError, _RedisTimeoutError, OSError)
except ImportError:  # pragma: no cover - without redis-py the Redis cache cannot be configured at all
    CACHE_ERRORS = (OSError,)


class CacheUnavailable(Exception):
    """The shared cache cannot be reached; the caller chooses to fail open or to refuse."""


def login_unavailable_message() -> str:
    return _("暂时无法登录,请稍后再试。")


class DegradingRedisCache(RedisCache):
    """Django's RedisCache that never lets a connection error through (see the module docstring)."""

    def _down(self, op: str, exc: Exception) -> None:
        log.warning("cache unavailable (%s): %s", op, exc)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except CACHE_ERRORS as exc:
            self._down("get", exc)
            return default

    def get_strict(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except CACHE_ERRORS as exc:
            self._down("get", exc)
            raise CacheUnavailable(str(exc)) from exc

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except CACHE_ERRORS as exc:
            self._down("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except CACHE_ERRORS as exc:
            self._down("has_key", exc)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._quiet("set", super().set, key, value, timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # a failed add says "not added": a counter's caller then goes on to incr, which raises CacheUnavailable
        try:
            return super().add(key, value, timeout, version)
        except CACHE_ERRORS as exc:
            self._down("add", exc)
            return False

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return bool(self._quiet("touch", super().touch, key, timeout, version=version))

    def delete(self, key, version=None):
        return bool(self._quiet("delete", super().delete, key, version=version))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        result = self._quiet("set_many", super().set_many, data, timeout, version=version)
        return list(data) if result is None else result

    def delete_many(self, keys, version=None):
        self._quiet("delete_many", super().delete_many, keys, version=version)

    def clear(self):
        return bool(self._quiet("clear", super().clear))

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except CACHE_ERRORS as exc:
            self._down("incr", exc)
            raise CacheUnavailable(str(exc)) from exc

    def _quiet(self, op, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except CACHE_ERRORS as exc:
            self._down(op, exc)
            return None


def get_strict(cache, key, default=None):
    """A read that must not silently miss (a login's throttle history): raises CacheUnavailable when the cache
    is down. Caches that cannot be down (the per-process memory of development and tests) just read."""
    strict = getattr(cache, "get_strict", None)
    return strict(key, default) if strict is not None else cache.get(key, default)
