"""The shared cache (rate limits, API throttles, the client-link counters) and how it degrades.

Production points CACHE_URL at Redis so every gunicorn worker counts in one place (docs/deployment.md). Redis
is a helper, never a dependency of a page: when it is down or slow, `DegradingRedisCache` answers

- a read (`get`, `get_many`, `has_key`) with a miss: limits fail open, the request is served;
- a write (`set`, `add`, `touch`, `delete`…) with nothing done;
- `incr` and `get_strict` with `CacheUnavailable`, for the callers that must decide: a login refuses
  (`login_unavailable_message`, "try again later"), the client-link counter lets the attempt through.

Connection and read timeouts are short (setting `CACHE_TIMEOUT_SECONDS`) and a failure keeps Redis out of the way
for a few seconds, so a dead or hanging Redis costs a request at most one timeout, never a 500.
"""
import logging
import time

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
    """Django's RedisCache that never lets a connection error through (see the module docstring). After a failure
    Redis is left alone for RETRY_AFTER_SECONDS (this process and thread), so a Redis that hangs costs one timeout
    every few seconds, not one per cache call."""

    RETRY_AFTER_SECONDS = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _call(self, op: str, method, *args, **kwargs):
        if time.monotonic() < self._down_until:
            raise CacheUnavailable("recently unreachable")
        try:
            return method(*args, **kwargs)
        except CACHE_ERRORS as exc:
            self._down_until = time.monotonic() + self.RETRY_AFTER_SECONDS
            log.warning("cache unavailable (%s): %s", op, exc)
            raise CacheUnavailable(str(exc)) from exc

    def _or(self, fallback, op: str, method, *args, **kwargs):
        try:
            return self._call(op, method, *args, **kwargs)
        except CacheUnavailable:
            return fallback

    # reads: a miss
    def get(self, key, default=None, version=None):
        return self._or(default, "get", super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._or({}, "get_many", super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._or(False, "has_key", super().has_key, key, version)

    # writes: nothing done ("not added" for add, so a counter's caller goes on to incr, which says the cache is down)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(None, "set", super().set, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, "add", super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, "touch", super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._or(False, "delete", super().delete, key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(list(data), "set_many", super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._or(None, "delete_many", super().delete_many, keys, version)

    def clear(self):
        return self._or(False, "clear", super().clear)

    # the callers that must decide: CacheUnavailable
    def incr(self, key, delta=1, version=None):
        return self._call("incr", super().incr, key, delta, version)

    def get_strict(self, key, default=None, version=None):
        return self._call("get", super().get, key, default, version)


def get_strict(cache, key, default=None):
    """A read that must not silently miss (a login's throttle history): raises CacheUnavailable when the cache
    is down. Caches that cannot be down (the per-process memory of development and tests) just read."""
    strict = getattr(cache, "get_strict", None)
    return strict(key, default) if strict is not None else cache.get(key, default)


def check_shared_cache(app_configs=None, **kwargs):
    """`manage.py check --deploy`: the limits need a cache every web worker shares, and the client's address
    needs the proxy in front to be trusted (docs/deployment.md)."""
    from django.conf import settings
    from django.core.checks import Warning

    warnings = []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("LocMemCache", "DummyCache")):
        warnings.append(Warning(
            "The default cache is per process: the API throttles and the client-link limit count per gunicorn worker.",
            hint="Set CACHE_URL=redis://127.0.0.1:6379/1 (or dbcache://servicedesk_cache after createcachetable).",
            id="servicedesk.W001",
        ))
    if not getattr(settings, "TRUSTED_PROXIES", None):
        warnings.append(Warning(
            "TRUSTED_PROXIES is empty: behind nginx every client has the proxy's address, and one client's failed "
            "tries limit everyone.",
            hint="Set TRUSTED_PROXIES=127.0.0.1,::1 with the shipped nginx on the same host (deploy/servicedesk.env.example).",
            id="servicedesk.W002",
        ))
    return warnings
