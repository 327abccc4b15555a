"""The shared cache backend: Django's RedisCache, degrading to "no cache" while Redis cannot be reached.

A restarted or unreachable Redis must never turn a page view into a 500 (found by `make cluster-test`: the
fact-sheet PDF cache and the district bounding box called the cache directly). Reads answer the default (a
miss), writes and deletes report nothing stored; every such failure is logged and counted in
`kompass_cache_errors_total{operation=…}`. `incr`/`decr` keep raising, because a caller that counts (the shared
rate limiter) must know the count failed and fall back to its database counter rather than count zero.

settings: CACHE_URL=redis://… selects this backend."""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger("kompass.ops.cache")


def _errors():
    from redis.exceptions import RedisError

    return (RedisError, OSError)


def _degrading(operation: str, fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _errors():
                from kompass.ops.metrics import CACHE_ERRORS

                CACHE_ERRORS.labels(operation).inc()
                log.warning("shared cache %s failed; answered as a miss", operation, exc_info=True)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new redis.Redis object for every cache call (which builds its table of about 170
    response callbacks each time: a third of a millisecond per call, several calls per logged-in request, ADR
    0083). One redis.Redis per connection pool does the same work: it holds no connection of its own, and it and
    its pool may be shared by threads (a pool reconnects after a fork by itself)."""

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_kompass_clients", {})
        client = clients.get(index)
        if client is None:
            client = clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    get = _degrading("get", _default)(RedisCache.get)
    get_many = _degrading("get_many", lambda *a, **k: {})(RedisCache.get_many)
    has_key = _degrading("has_key", lambda *a, **k: False)(RedisCache.has_key)
    set = _degrading("set", lambda *a, **k: None)(RedisCache.set)
    set_many = _degrading("set_many", lambda data, *a, **k: list(data))(RedisCache.set_many)
    add = _degrading("add", lambda *a, **k: False)(RedisCache.add)
    touch = _degrading("touch", lambda *a, **k: False)(RedisCache.touch)
    delete = _degrading("delete", lambda *a, **k: False)(RedisCache.delete)
    delete_many = _degrading("delete_many", lambda *a, **k: None)(RedisCache.delete_many)
    clear = _degrading("clear", lambda *a, **k: False)(RedisCache.clear)
