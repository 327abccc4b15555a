"""Anonymous page cache in the shared `default` cache.

Serves GET/HEAD requests of visitors without a session or messages cookie from the cache. A response is stored
only when it is a 200 that sets no cookie, does not vary on Cookie (a page that used the CSRF token does) and is
not marked private/no-store. Keys hold the language, the htmx flag, the host and the full path with query
string; the value holds the invalidation generation it was rendered under (kompass.ops.invalidation) and whether
the render read the session (then the hit carries the miss's "Vary: Cookie" too). Sits after
LocaleMiddleware and before CommonMiddleware/CsrfViewMiddleware in MIDDLEWARE. It also tells the edge cache in
nginx (kompass.ops.edgecache) which responses are anonymous and cacheable: only this middleware sees the response
before SessionMiddleware adds its own Vary: Cookie."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils.cache import cc_delim_re, has_vary_header

from kompass.ops import cache_safe, invalidation
from kompass.ops.metrics import PAGE_CACHE

SKIP_PREFIXES = ("/backoffice/", "/healthz", "/readyz", "/metrics", "/static/", "/media/")


def _skip_path(path: str) -> bool:
    if path.startswith(SKIP_PREFIXES):
        return True
    # per-visitor pages (accounts, jobs, notifications) also under the /en/ prefix
    bare = path[3:] if path.startswith("/en/") else path
    return bare.startswith(("/accounts/", "/jobs/", "/notifications/", "/moderation/"))


def cacheable_request(request) -> bool:
    return bool(settings.KOMPASS_PAGE_CACHE_SECONDS) and anonymous_request(request)


def anonymous_request(request) -> bool:
    """The rules nginx's edge cache mirrors (kompass edge_cache_nginx writes them as its bypass maps)."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:  # API tokens
        return False
    return not _skip_path(request.path)


def cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if has_vary_header(response, "Cookie"):
        return False
    cache_control = {part.strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not cache_control & {"private", "no-store", "no-cache"}


def key(request) -> str:
    raw = "|".join([request.method, request.get_host(), request.get_full_path(), getattr(request, "LANGUAGE_CODE", ""),
                    "hx" if request.headers.get("HX-Request") else ""])
    return f"kompass:page:{hashlib.sha256(raw.encode('utf-8', 'surrogateescape')).hexdigest()}"


class PageCacheMiddleware:
    """One round trip to the shared cache per hit: the generation and the page are read together (MGET on
    Redis). A page is stored as (generation read before its view ran, response) and served only while that
    generation is still the current one (the ordering argument is in kompass.ops.invalidation)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not anonymous_request(request):
            PAGE_CACHE.labels("bypass").inc()
            return self.get_response(request)
        if not settings.KOMPASS_PAGE_CACHE_SECONDS:
            response = self.get_response(request)
            request._kompass_edge_cacheable = cacheable_response(response)  # for the edge cache (ADR 0043)
            return response
        cache_key = key(request)
        generation, cached = invalidation.generation_and(cache_key)  # read BEFORE the view reads the database
        if generation is None:
            PAGE_CACHE.labels("error").inc()
            return self.get_response(request)
        if isinstance(cached, tuple) and len(cached) == 3 and cached[0] == generation:
            PAGE_CACHE.labels("hit").inc()
            request._kompass_edge_cacheable = True
            request._kompass_page_generation = cached[0]  # the edge cache checks it like a fresh render's
            response = cached[1]
            if cached[2] and hasattr(request, "session"):
                # The render read the session, so SessionMiddleware added "Vary: Cookie" to the miss; the hit
                # gets the same Vary (in the same place), as a client and the edge cache must see one page.
                request.session.accessed = True
            response["X-Kompass-Cache"] = "hit"
            return response
        PAGE_CACHE.labels("miss").inc()
        response = self.get_response(request)
        if cacheable_response(response):
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            session_read = bool(getattr(getattr(request, "session", None), "accessed", False))
            cache_safe.set(cache_key, (generation, response, session_read), settings.KOMPASS_PAGE_CACHE_SECONDS)
            response["X-Kompass-Cache"] = "miss"
            request._kompass_edge_cacheable = True
        return response
