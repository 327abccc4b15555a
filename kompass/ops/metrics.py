"""Prometheus metrics (prometheus-client).

Per-request counters and latency histograms are written by `OpsMiddleware`. With several gunicorn workers set
`PROMETHEUS_MULTIPROC_DIR` to an empty directory writable by all workers (deploy/gunicorn.conf.py does); the
scrape then merges every worker's values. Queue and database gauges are computed at scrape time by
`StateCollector`, so any app server reports the same cluster-wide numbers; behind PgBouncer the pool's own gauges
come from its admin console (`pgbouncer_gauges`, setting KOMPASS_PGBOUNCER_ADMIN_URL)."""

from __future__ import annotations

import logging
import os
import time

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter("kompass_http_requests", "HTTP requests answered, by method, view and status code",
                   ["method", "view", "status"])
LATENCY = Histogram("kompass_http_request_duration_seconds", "Time from request to response, by view",
                    ["view"], buckets=BUCKETS)
PAGE_CACHE = Counter("kompass_page_cache", "Anonymous page cache lookups by result (hit, miss, refresh, stale, "
                     "bypass, error)", ["result"])
EDGE_CACHE = Counter("kompass_edge_cache", "Edge cache (nginx + memcached) stores and flushes by result (stored, "
                     "not_stored, race, error, flush_error, fingerprint_differs)", ["result"])
CACHE_ERRORS = Counter("kompass_cache_errors", "Failed operations on the shared cache (the request went on)",
                       ["operation"])


class StateCollector:
    """Gauges read at scrape time: job queue length and age, Kompass jobs by status, database connections."""

    def collect(self):
        from django.db import connection

        try:
            yield from self._queue()
            yield from self._jobs()
            yield from self._db(connection)
            yield from pgbouncer_gauges()
        except Exception:  # noqa: BLE001 - a broken dependency must not break the scrape itself
            log.warning("metrics: state collection failed", exc_info=True)
            up = GaugeMetricFamily("kompass_state_up", "1 when the scrape could read the database")
            up.add_metric([], 0)
            yield up
            return
        up = GaugeMetricFamily("kompass_state_up", "1 when the scrape could read the database")
        up.add_metric([], 1)
        yield up

    def _queue(self):
        from django.apps import apps
        from django.db.models import Count, Min

        if not apps.is_installed("django_tasks_db"):
            return
        from django_tasks_db.models import DBTaskResult

        length = GaugeMetricFamily("kompass_task_queue_length", "Tasks by status in the task queue", labels=["status"])
        for row in DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by("status"):
            length.add_metric([str(row["status"]).lower()], row["n"])
        yield length
        oldest = DBTaskResult.objects.ready().aggregate(t=Min("enqueued_at"))["t"]
        age = GaugeMetricFamily("kompass_task_queue_oldest_age_seconds",
                                "Age of the oldest task waiting for a worker (0 when none waits)")
        age.add_metric([], max(0.0, time.time() - oldest.timestamp()) if oldest else 0.0)
        yield age

    def _jobs(self):
        from django.db.models import Count

        from kompass.jobs.models import Job

        jobs = GaugeMetricFamily("kompass_jobs", "Kompass background jobs by status", labels=["status"])
        counts = {row["status"]: row["n"] for row in Job.objects.values("status").annotate(n=Count("pk")).order_by()}
        for status in Job.Status.values:
            jobs.add_metric([status], counts.get(status, 0))
        yield jobs

    def _db(self, connection):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cur:
            cur.execute("SELECT COALESCE(state, 'unknown'), COUNT(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() GROUP BY 1 ORDER BY 1")
            rows = cur.fetchall()
            cur.execute("SHOW max_connections")
            max_conn = int(cur.fetchone()[0])
        conns = GaugeMetricFamily("kompass_db_connections", "Server connections to this database by state "
                                  "(seen by PostgreSQL; behind PgBouncer these are PgBouncer's)", labels=["state"])
        for state, n in rows:
            conns.add_metric([state], n)
        yield conns
        limit = GaugeMetricFamily("kompass_db_max_connections", "PostgreSQL's max_connections")
        limit.add_metric([], max_conn)
        yield limit
        pool = getattr(connection, "pool", None)
        if pool is not None:
            stats = pool.get_stats()
            for key, help_text in (("pool_size", "connections in this process's pool"),
                                   ("pool_available", "idle connections in this process's pool"),
                                   ("requests_waiting", "requests waiting for a pooled connection")):
                g = GaugeMetricFamily(f"kompass_db_{key}", help_text)
                g.add_metric([], stats.get(key, 0))
                yield g


PGBOUNCER_CLIENTS = {"cl_active": "active", "cl_waiting": "waiting"}
PGBOUNCER_SERVERS = {"sv_active": "active", "sv_idle": "idle", "sv_used": "used", "sv_tested": "tested",
                     "sv_login": "login"}


def pgbouncer_gauges():
    """The pool behind PgBouncer (transaction mode), from its admin console: clients linked to a server connection
    or waiting for one, server connections by state, the longest wait and the configured pool size, per database.
    `kompass_pgbouncer_up` is 0 when the console cannot be read (the rest of the scrape goes on). Nothing is read
    without KOMPASS_PGBOUNCER_ADMIN_URL."""
    from django.conf import settings

    url = getattr(settings, "KOMPASS_PGBOUNCER_ADMIN_URL", "")
    if not url:
        return
    up = GaugeMetricFamily("kompass_pgbouncer_up", "1 when PgBouncer's admin console answered the scrape")
    try:
        pools, databases = _pgbouncer_show(url)
    except Exception:  # noqa: BLE001 - PgBouncer down or refusing: report it, keep the scrape
        log.warning("metrics: PgBouncer's admin console could not be read", exc_info=True)
        up.add_metric([], 0)
        yield up
        return
    up.add_metric([], 1)
    yield up
    clients = GaugeMetricFamily("kompass_pgbouncer_clients", "Client connections by state (waiting: sent a query "
                                "and wait for a server connection)", labels=["database", "state"])
    servers = GaugeMetricFamily("kompass_pgbouncer_servers", "Server connections of the pool by state",
                                labels=["database", "state"])
    wait = GaugeMetricFamily("kompass_pgbouncer_max_wait_seconds", "Longest time a waiting client has waited",
                             labels=["database"])
    # SHOW POOLS has one row per database and user: sum them per database (one series per label set)
    totals: dict[str, dict[str, float]] = {}
    for row in pools:
        if row["database"] == "pgbouncer":
            continue
        db = totals.setdefault(row["database"], {"wait": 0.0})
        for column in (*PGBOUNCER_CLIENTS, *PGBOUNCER_SERVERS):
            db[column] = db.get(column, 0.0) + float(row.get(column) or 0)
        db["wait"] = max(db["wait"], float(row.get("maxwait") or 0) + float(row.get("maxwait_us") or 0) / 1e6)
    for name, db in sorted(totals.items()):
        for column, state in PGBOUNCER_CLIENTS.items():
            clients.add_metric([name, state], db[column])
        for column, state in PGBOUNCER_SERVERS.items():
            servers.add_metric([name, state], db[column])
        wait.add_metric([name], db["wait"])
    size = GaugeMetricFamily("kompass_pgbouncer_pool_size", "Server connections PgBouncer may open per database "
                             "and user (default_pool_size)", labels=["database"])
    for row in databases:
        if row["name"] != "pgbouncer":
            size.add_metric([row["name"]], float(row.get("pool_size") or 0))
    yield from (clients, servers, wait, size)


def _pgbouncer_show(url: str) -> tuple[list[dict], list[dict]]:
    """SHOW POOLS and SHOW DATABASES on PgBouncer's console; it speaks only the simple query protocol, which
    psycopg's ClientCursor uses. A short connect timeout: a pooler that is away does not hold up the scrape."""
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(url, autocommit=True, connect_timeout=2, cursor_factory=psycopg.ClientCursor,
                         row_factory=dict_row) as conn:
        return conn.execute("SHOW POOLS").fetchall(), conn.execute("SHOW DATABASES").fetchall()


def render() -> bytes:
    """The metrics page: every worker's counters (multiprocess mode) plus the state gauges."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
        return generate_latest(registry) + generate_latest(_state_registry())
    registry.register(StateCollector())
    return generate_latest(registry)


def _state_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(StateCollector())
    return registry
