"""Deployment checks of Kompass (`manage.py check --deploy`)."""

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

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


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "[::1]"}


def _site_url_problem(url: str) -> str | None:
    """Why `url` cannot be a production site's public address, or None."""
    from urllib.parse import urlsplit

    if not url:
        return "KOMPASS_SITE_URL is not set."
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return f"KOMPASS_SITE_URL={url!r} is not a URL."
    if parts.scheme not in ("http", "https") or not host:
        return f"KOMPASS_SITE_URL={url!r} is not an absolute http(s) address."
    if host in LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127."):
        return f"KOMPASS_SITE_URL={url!r} points to this machine ({host})."
    return None


@register(Tags.urls, deploy=True)
def site_url_is_public(app_configs=None, **kwargs):
    """Links that leave the page (emails, digests, feeds, data packages, a candidate's link to its idea) start
    with KOMPASS_SITE_URL (`kompass.core.urls`, ADR 0076). Unset, they fall back to the request's host or stay
    relative; pointing to localhost, every email link is dead for its reader."""
    problem = _site_url_problem(getattr(settings, "KOMPASS_SITE_URL", "") or "")
    if problem is None:
        return []
    return [Warning(problem, hint="Set KOMPASS_SITE_URL to the public address, e.g. https://kompass.example.org "
                                  "(docs/operations.md, \"The public address\").", id="kompass.W001")]
