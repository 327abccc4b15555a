"""Anonymous page cache in the shared `default` cache.

Serves GET/HEAD requests of visitors without a session or messages cookie from the cache. A response is stored
only when it is a 200 that sets no cookie, does not vary on Cookie (a page that used the CSRF token does) and is
not marked private/no-store. Keys hold the language, the htmx flag, the host and the full path with query
string; the value holds the invalidation generation it was rendered under (kompass.ops.invalidation) and whether
the render read the session (then the hit carries the miss's "Vary: Cookie" too). Sits after
LocaleMiddleware and before CommonMiddleware/CsrfViewMiddleware in MIDDLEWARE. It also tells the edge cache in
nginx (kompass.ops.edgecache) which responses are anonymous and cacheable: only this middleware sees the response
before SessionMiddleware adds its own Vary: Cookie.

Expiry without a stampede (ADR 0088): an entry is fresh for KOMPASS_PAGE_CACHE_SECONDS and kept
KOMPASS_PAGE_CACHE_GRACE_SECONDS longer. After its fresh time the first request takes a short refresh lock (`add`,
SET NX on Redis, REFRESH_LOCK_SECONDS) and renders the page again; requests meanwhile get the kept copy ("stale"),
which is of the current generation, so a committed write is never the reason it differs. A changed generation is a
miss for everybody, as before; a lock whose holder died expires by itself. A kept copy is not written to the edge
cache, so nginx keeps asking until the fresh render is stored there."""

from __future__ import annotations

import hashlib
import time
import uuid

from django.conf import settings
from django.utils.cache import cc_delim_re, has_vary_header

from kompass.ops import cache_safe, invalidation
from kompass.ops.metrics import PAGE_CACHE

# How long one request may re-render an expired entry while others get the kept copy: well above a render under
# load (0.1-2 s), short enough that a holder that died (worker killed) delays the next refresh only briefly.
REFRESH_LOCK_SECONDS = 10
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


def _entry(cached, generation):
    """The cached (generation, response, session_read, fresh_until) if it is of `generation`, else None (entries
    of another layout, e.g. from the previous release, are misses)."""
    if isinstance(cached, tuple) and len(cached) == 4 and cached[0] == generation:
        return cached
    return None


def refresh_lock(cache_key: str) -> str | None:
    """A token if this request may re-render `cache_key` (it won the lock, or the cache cannot say), else None."""
    token = uuid.uuid4().hex
    lock_key = cache_key + ":refresh"
    if cache_safe.add(lock_key, token, REFRESH_LOCK_SECONDS) is False:
        return None
    return token


def release(cache_key: str, token: str) -> None:
    """Remove the lock if it is still ours (it expired and another request took it otherwise)."""
    lock_key = cache_key + ":refresh"
    if cache_safe.get(lock_key) == token:
        cache_safe.delete(lock_key)


class PageCacheMiddleware:
    """One round trip to the shared cache per hit: the generation and the page are read together (MGET on
    Redis). A page is stored as (generation read before its view ran, response, session read, fresh until) and
    served only while that generation is still the current one (the ordering argument is in
    kompass.ops.invalidation); after its fresh time by one request re-rendered, the others served the kept copy."""

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
        entry = _entry(cached, generation)
        if entry is None:
            PAGE_CACHE.labels("miss").inc()
            return self._render(request, cache_key, generation)
        if time.time() < entry[3]:
            PAGE_CACHE.labels("hit").inc()
            request._kompass_edge_cacheable = True
            request._kompass_page_generation = entry[0]  # the edge cache checks it like a fresh render's
            return self._serve(request, entry, "hit")
        token = refresh_lock(cache_key)
        if token is None:  # another request re-renders it: the kept copy, of this same generation
            PAGE_CACHE.labels("stale").inc()
            return self._serve(request, entry, "stale")
        PAGE_CACHE.labels("refresh").inc()
        try:
            return self._render(request, cache_key, generation)
        finally:
            release(cache_key, token)

    @staticmethod
    def _serve(request, entry, how: str):
        response = entry[1]
        if entry[2] and hasattr(request, "session"):
            # The render read the session, so SessionMiddleware added "Vary: Cookie" to the miss; the hit
            # gets the same Vary (in the same place), as a client and the edge cache must see one page.
            request.session.accessed = True
        response["X-Kompass-Cache"] = how
        return response

    def _render(self, request, cache_key: str, generation):
        response = self.get_response(request)
        if cacheable_response(response):
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            session_read = bool(getattr(getattr(request, "session", None), "accessed", False))
            fresh = settings.KOMPASS_PAGE_CACHE_SECONDS
            cache_safe.set(cache_key, (generation, response, session_read, time.time() + fresh),
                           fresh + settings.KOMPASS_PAGE_CACHE_GRACE_SECONDS)
            response["X-Kompass-Cache"] = "miss"
            request._kompass_edge_cacheable = True
        return response
