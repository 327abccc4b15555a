"""Deployment checks of Kompass (`manage.py check --deploy`)."""

import os

from django.conf import settings
from django.core.checks import Error, Tags, register

PER_PROCESS_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


@register(Tags.caches, deploy=True)
def shared_cache_with_several_workers(app_configs=None, **kwargs):
    """Several web workers need a cache they share (Redis or the database): a per-process cache would give each
    worker its own counters and cached pages."""
    try:
        workers = int(os.environ.get("WEB_CONCURRENCY", "1") or 1)
    except ValueError:
        return [Error("WEB_CONCURRENCY is not a number.", id="kompass.E002")]
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if workers > 1 and backend in PER_PROCESS_CACHES:
        return [Error(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is private to each process, but WEB_CONCURRENCY="
            f"{workers} web workers are configured.",
            hint="Set CACHE_URL to redis://… or db://… so that all workers share one cache.", id="kompass.E001")]
    return []
