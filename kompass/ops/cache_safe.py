"""Cache calls that never fail a request: the shared cache (Redis) may restart or be unreachable for a moment.

A failed call is logged, counted in `kompass_cache_errors_total` and treated as a miss."""

from __future__ import annotations

import logging

from django.core.cache import caches

from kompass.ops.metrics import CACHE_ERRORS

log = logging.getLogger("kompass.ops.cache")


def cache():
    return caches["default"]


def get(key: str, default=None):
    try:
        return cache().get(key, default)
    except Exception:  # noqa: BLE001 - redis-py raises its own ConnectionError/TimeoutError family
        CACHE_ERRORS.labels("get").inc()
        log.warning("cache get failed", exc_info=True)
        return default


def set(key: str, value, timeout: int) -> bool:  # noqa: A001 - mirrors the cache API
    try:
        cache().set(key, value, timeout)
        return True
    except Exception:  # noqa: BLE001
        CACHE_ERRORS.labels("set").inc()
        log.warning("cache set failed", exc_info=True)
        return False


def add(key: str, value, timeout: int) -> bool | None:
    """`cache.add` (SET NX on Redis): True if stored, False if the key existed, None if the cache failed."""
    try:
        return bool(cache().add(key, value, timeout))
    except Exception:  # noqa: BLE001
        CACHE_ERRORS.labels("add").inc()
        log.warning("cache add failed", exc_info=True)
        return None


def delete(key: str) -> None:
    try:
        cache().delete(key)
    except Exception:  # noqa: BLE001
        CACHE_ERRORS.labels("delete").inc()
        log.warning("cache delete failed", exc_info=True)
