"""Shared page fragments cached until the next committed write (ADR 0044).

The parts of a page that are the same for every visitor with the same inputs (the measure page's content for an
account without rights on the measure, the idea list, the catalogue) are rendered once and then read from the
shared cache, also for logged-in visitors, whose whole pages the anonymous page cache never stores:

    html = cached_fragment("measures.detail", [measure.slug], lambda: render_to_string(...))

A fragment is stored as (generation, html) and served only while the page cache's invalidation generation is
still the one read before it was rendered — the ordering argument of kompass.ops.invalidation: every committed
write bumps the generation, so no fragment rendered from older data is served after the write commits. kompass.ops
provides the generation (`register_generation_source` in its AppConfig.ready; this layer cannot import it).

Off (every fragment rendered) when KOMPASS_FRAGMENT_CACHE_SECONDS is 0 — the default with a per-process cache,
which another process could not invalidate, and in the test suite — and while the cache cannot be reached.
The key holds the active language and the caller's parts; callers put everything the fragment depends on into the
parts and never cache a fragment with personal content or a CSRF token."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import translation
from django.utils.safestring import mark_safe

log = logging.getLogger("kompass.core.fragments")
_generation_and: Callable[[str], tuple] | None = None


def register_generation_source(func: Callable[[str], tuple]) -> None:
    """`func(key)` returns (current generation, cached value under key) in one round trip, (None, None) when the
    cache cannot be reached (kompass.ops.invalidation.generation_and)."""
    global _generation_and
    _generation_and = func


def enabled() -> bool:
    return bool(getattr(settings, "KOMPASS_FRAGMENT_CACHE_SECONDS", 0)) and _generation_and is not None


def fragment_key(name: str, parts: Iterable) -> str:
    raw = "|".join([name, translation.get_language() or "", *(str(p) for p in parts)])
    return f"kompass:fragment:{hashlib.sha256(raw.encode('utf-8', 'surrogateescape')).hexdigest()}"


def cached_value(name: str, parts: Iterable, compute: Callable[[], object]):
    """`compute()` from the cache while no write has committed since it was computed (any picklable value).
    `compute` must read the database itself (after the generation was read), not use objects read before."""
    if not enabled():
        return compute()
    key = fragment_key(name, parts)
    generation, cached = _generation_and(key)
    if generation is None:  # cache unreachable: compute, store nothing
        return compute()
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == generation:
        return cached[1]
    value = compute()
    try:
        from django.core.cache import caches

        caches["default"].set(key, (generation, value), settings.KOMPASS_FRAGMENT_CACHE_SECONDS)
    except Exception:  # noqa: BLE001 - a cache that fails is a miss next time, never an error
        log.warning("fragment cache set failed", exc_info=True)
    return value


def cached_fragment(name: str, parts: Iterable, render: Callable[[], str]) -> str:
    """The fragment `name` for `parts` from the cache while no write has committed since it was rendered, else
    `render()` (stored for the next request)."""
    return mark_safe(cached_value(name, parts, lambda: str(render())))  # noqa: S308 - our own template output


def account_state(user) -> list:
    """What a user row says (every field but the password hash): part of the key of values computed for one
    account, so that a value computed from an older copy of the row is never found again."""
    return [user.pk, *(getattr(user, f.attname) for f in user._meta.concrete_fields if f.attname != "password")]


def shared_api_answer(name: str):
    """Decorator for a public read operation of the API whose answer depends only on its path, query string and
    language (the same with a token, a session or none): the (status, data) it returns is kept like a fragment,
    keyed by the full path, until the next committed write. The operation then runs only on a miss; ninja still
    validates and serialises the data for each request."""
    import functools

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not enabled() or request.method != "GET":
                return view(request, *args, **kwargs)
            answer = cached_value(f"api:{name}", [request.get_full_path()], lambda: view(request, *args, **kwargs))
            return answer

        return wrapper

    return decorate
