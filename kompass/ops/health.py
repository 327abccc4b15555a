"""Readiness checks. The database and applied migrations are required; the shared cache is reported as
"degraded" but does not take the server out of the load balancer (pages and writes go on without it, and
taking every app server out at once because Redis restarts would be an outage)."""

from __future__ import annotations

import logging
import time
import uuid

from django.db import connection

log = logging.getLogger(__name__)
_migrations_ok = False


def _database() -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
        cur.fetchone()
    return "ok"


def _migrations() -> str:
    global _migrations_ok
    if _migrations_ok:
        return "ok"
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return f"{len(plan)} unapplied"
    _migrations_ok = True
    return "ok"


def _cache() -> str:
    from django.core.cache import caches

    cache = caches["default"]
    key = f"kompass:readyz:{uuid.uuid4().hex}"
    cache.set(key, 1, 10)
    value = cache.get(key)
    cache.delete(key)
    return "ok" if value == 1 else "not stored"


def readiness() -> dict:
    checks: dict[str, str] = {}
    start = time.perf_counter()
    for name, check in (("database", _database), ("migrations", _migrations), ("cache", _cache)):
        try:
            checks[name] = check()
        except Exception as exc:  # noqa: BLE001 - report, never raise
            log.warning("readiness check %s failed", name, exc_info=True)
            checks[name] = f"error: {type(exc).__name__}"
    required_ok = checks["database"] == "ok" and checks["migrations"] == "ok"
    status = "ok" if required_ok and checks["cache"] == "ok" else ("degraded" if required_ok else "fail")
    return {"status": status, "checks": checks, "duration_ms": round((time.perf_counter() - start) * 1000, 1)}
