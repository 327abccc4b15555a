"""Invalidation of the anonymous page cache: one "generation" number in the shared cache.

Every cached page is stored with the generation current when it was rendered, and served only while that
generation is current. Any committed write — a model saved, deleted or its many-to-many links changed, including
every `AuditEvent` that services record next to their `.update()` calls — bumps the generation in
`transaction.on_commit`, once per transaction. Pages of an old generation are never served again; they are
overwritten or expire on their own.

Ordering argument (why no stale page is served after a write commits): a request reads the generation
*before* it reads the database. The writer bumps right after its COMMIT and before its own response is sent.
So a request that saw the new generation started its reads after the commit and sees the new data; a request
that rendered old data stored it under the old generation, which nobody reads any more.

If the bump itself fails (cache unreachable), pages are still re-rendered after `KOMPASS_PAGE_CACHE_SECONDS`: the
first request after it renders, others get the kept copy only until that render is stored (at most
`pagecache.REFRESH_LOCK_SECONDS` each time, ADR 0088); a restarted Redis without persistence is empty anyway. A
kept copy is served only under the current generation, so after a bump that succeeded it is never served.

The edge cache in nginx (kompass.ops.edgecache, ADR 0043) cannot check a generation on a hit, so the writer
empties it: after its COMMIT it bumps the generation and THEN flushes memcached, both before its response. A
reader reads the generation (g1) before its view, and after rendering checks it again, stores, and checks it a
third time, deleting its own entry if it changed. A page rendered from data older than the commit was read after
g1 was read and before the commit, so g1 is older than the bump. Either its store landed before the flush (the
flush removes it) or after it — then the bump came before that store, the third read sees the new generation and
the reader deletes the entry itself. What the protocol leaves open is the moment between such a late store and its
delete (a reader whose pre-store check fell between the writer's bump and flush), ended by the delete or at the
latest by the entry's lifetime, KOMPASS_EDGE_CACHE_SECONDS."""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from kompass.ops.metrics import CACHE_ERRORS

log = logging.getLogger("kompass.ops.cache")
GENERATION_KEY = "kompass:pagecache:generation"
# Writes that never change what an anonymous visitor sees (and happen constantly).
IGNORED = {"sessions.Session", "django_tasks_db.DBTaskResult", "contenttypes.ContentType", "admin.LogEntry"}


def generation() -> int | None:
    """The current generation, created on first use; None when the cache cannot be reached."""
    from django.core.cache import caches

    cache = caches["default"]
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            # A fresh cache (first start, restarted Redis): start from the clock so that numbers never repeat.
            cache.add(GENERATION_KEY, time.time_ns(), None)
            value = cache.get(GENERATION_KEY)
        return value
    except Exception:  # noqa: BLE001
        CACHE_ERRORS.labels("generation").inc()
        log.warning("cache generation read failed", exc_info=True)
        return None


def generation_and(key: str):
    """The current generation and the cached value under `key`, in one round trip to the cache (MGET on Redis);
    (None, None) when the cache cannot be reached."""
    from django.core.cache import caches

    try:
        values = caches["default"].get_many([GENERATION_KEY, key])
    except Exception:  # noqa: BLE001 - a per-process or database cache that fails
        values = {}
    value = values.get(GENERATION_KEY)
    if value is None:
        return generation(), None  # a fresh (or unreachable) cache: create the generation, nothing cached yet
    return value, values.get(key)


def bump() -> None:
    """After a commit: a new generation, then the edge cache flushed (this order; see the module docstring)."""
    from django.core.cache import caches

    from kompass.ops import edgecache

    _bump_generation(caches["default"])
    edgecache.flush()


def _bump_generation(cache) -> None:
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet: every page in the cache is of no generation at all
            cache.add(GENERATION_KEY, time.time_ns(), None)
    except Exception:  # noqa: BLE001
        CACHE_ERRORS.labels("bump").inc()
        log.error("page cache generation bump failed; pages may be stale until they expire", exc_info=True)


def _schedule(using: str) -> None:
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        # once per transaction: on_commit callbacks of a rolled-back block are dropped together with ours
        if any(func is bump for _sids, func, _robust in connection.run_on_commit):
            return
    transaction.on_commit(bump, using=using)


def _on_write(sender, using="default", update_fields=None, **kwargs) -> None:
    if sender._meta.label in IGNORED:
        return
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login changes no public page
    _schedule(using)


def _on_m2m(sender, action, using="default", **kwargs) -> None:
    if action.startswith("post_"):
        _on_write(sender, using=using)


def connect() -> None:
    post_save.connect(_on_write, dispatch_uid="kompass.ops.pagecache.save")
    post_delete.connect(_on_write, dispatch_uid="kompass.ops.pagecache.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="kompass.ops.pagecache.m2m")
