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
    key, generation, hit, value = _lookup(name, parts)
    if hit:
        return value
    value = compute()
    if generation is not None:  # None: the cache is unreachable, store nothing
        _store(key, generation, value)
    return value


def _lookup(name: str, parts: Iterable) -> tuple[str, object, bool, object]:
    """(key, current generation, hit, cached value) in one round trip."""
    key = fragment_key(name, parts)
    generation, cached = _generation_and(key)
    if generation is not None and isinstance(cached, tuple) and len(cached) == 2 and cached[0] == generation:
        return key, generation, True, cached[1]
    return key, generation, False, None


def _store(key: str, generation, value) -> None:
    try:
        from django.core.cache import caches

        caches["default"].set(key, (generation, value), settings.KOMPASS_FRAGMENT_CACHE_SECONDS)
    except Exception:  # noqa: BLE001 - a cache that fails is a miss next time, never an error
        log.warning("fragment cache set failed", exc_info=True)


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
    language (the same with a token, a session or none): the finished answer (status, JSON bytes) is kept like a
    fragment, keyed by the host and full path, until the next committed write (ADR 0044, 0083). On a hit neither
    the operation nor ninja's validation and serialisation run; on a miss the operation runs and the answer ninja
    makes of it is stored (`install_shared_api_answers` on the NinjaAPI)."""
    import functools

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not enabled() or request.method != "GET" or not _api_installed:
                return view(request, *args, **kwargs)
            key, generation, hit, value = _lookup(f"api:{name}", [request.get_host(), request.get_full_path()])
            if hit:
                from django.http import HttpResponse

                status, content, content_type = value
                return HttpResponse(content, status=status, content_type=content_type)
            if generation is not None:
                request._kompass_shared_api = (key, generation)  # stored by the API's create_response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


_api_installed: list = []


def install_shared_api_answers(api) -> None:
    """Let `api` (a NinjaAPI) store the answers of `shared_api_answer` operations once it has made them (answers
    below 500 only; a server error is never kept)."""
    create = api.create_response

    def create_response(request, *args, **kwargs):
        response = create(request, *args, **kwargs)
        pending = getattr(request, "_kompass_shared_api", None)
        if pending is not None:
            request._kompass_shared_api = None
            if response.status_code < 500 and not response.cookies:
                _store(*pending, (response.status_code, response.content, response["Content-Type"]))
        return response

    api.create_response = create_response
    _api_installed[:] = [api]


# --- Whole pages for logged-in visitors: the frame and the body once, the person's parts at request time ---------

CSRF_MARKER = "kompassCsrfTokenPlaceholder7f3c"  # letters and digits only: escaping leaves it as it is
_frame_source: list[Callable] = []


def register_frame_source(func: Callable) -> None:
    """portal provides `func(request)` -> dict of everything the page frame shows that depends on the visitor
    (logged in, the account menu's links and unread count, the back-office link): values that are the same for
    many accounts. A page is shared by every visitor with the same frame facts (`cached_page`)."""
    _frame_source[:] = [func]


class FrameVisitor:
    """The visitor as the frame of a shared page sees it: only the frame facts (no name, no e-mail, no id). Any
    other attribute a template asks for is missing (renders as nothing), so a template that starts to show
    something personal in the frame shows it to nobody rather than to the wrong person (and the tests that compare
    shared pages with rendered ones fail)."""

    def __init__(self, facts: dict):
        self.is_authenticated = bool(facts.get("auth"))
        self.is_anonymous = not self.is_authenticated
        self.is_strategy_office = self.is_superuser = bool(facts.get("backoffice"))

    def has_perm(self, *args) -> bool:
        return False


def csrf_placeholder() -> dict:
    """Context for a fragment that holds a form: the CSRF token as a placeholder that `personalise` replaces with
    the visitor's token (only while fragments are on; otherwise the real token is rendered)."""
    return {"csrf_token": CSRF_MARKER} if enabled() else {}


def personalise(html: str, request) -> str:
    """`html` with the visitor's CSRF token where a shared fragment or page holds the placeholder."""
    if CSRF_MARKER not in html:
        return html
    from django.middleware.csrf import get_token

    return html.replace(CSRF_MARKER, get_token(request))


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    try:
        return bool(storage is not None and len(storage))  # len() reads the messages without consuming them
    except Exception:  # noqa: BLE001 - unreadable messages: render the page as usual
        return True


def cached_page(request, name: str, parts: Iterable, render_page: Callable[[dict], object]):
    """The whole page `name` for `parts` (and the request's host, full path and language), shared by every visitor
    with the same frame facts until the next committed write, as an HttpResponse.

    `render_page(extra)` renders the page with `extra` added to the template context; on a miss it is called with
    the frame facts, a `FrameVisitor` as `user` and the CSRF placeholder, and its (status, html) is stored. The
    visitor's own parts are put in at request time: the CSRF token; a request with messages to show is rendered as
    usual. `parts` must hold everything the page's body depends on (as for `cached_fragment`); what the frame
    depends on is the frame facts."""
    from django.http import HttpResponse

    if not enabled() or not _frame_source or request.method != "GET" or _has_messages(request):
        response = render_page({})
        if getattr(response, "content", None) and CSRF_MARKER.encode() in response.content:
            response.content = personalise(response.content.decode(), request)
        return response
    facts = _frame_source[0](request)

    def compute() -> tuple[int, str]:
        response = render_page({"kompass_frame": facts, "user": FrameVisitor(facts), "perms": None,
                                "csrf_token": CSRF_MARKER, "messages": ()})
        return response.status_code, response.content.decode()

    status, html = cached_value(f"page:{name}", [request.get_host(), request.get_full_path(), *parts,
                                                 *sorted(facts.items())], compute)
    return HttpResponse(personalise(html, request), status=status)
