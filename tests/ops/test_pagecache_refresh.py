"""Page cache expiry without a stampede (ADR 0088): after an entry's fresh time one request re-renders it while the
others get the kept copy of the same generation; a write's new generation is never answered from a kept copy.

The middleware runs on its own with a counting view; "concurrent" requests are made from inside the winner's
render, which is where they would arrive in production. A fake clock drives the middleware and the local-memory
cache (its entry and lock expiry) alike, so nothing here sleeps."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from kompass.ops import invalidation, pagecache

FRESH, GRACE = 60, 300


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    import django.core.cache.backends.base as base
    import django.core.cache.backends.locmem as locmem

    fake = Clock()
    for module in (pagecache, base, locmem):
        monkeypatch.setattr(module, "time", fake)
    cache.clear()
    with override_settings(KOMPASS_PAGE_CACHE_SECONDS=FRESH, KOMPASS_PAGE_CACHE_GRACE_SECONDS=GRACE):
        yield fake
    cache.clear()


class View:
    """Renders "version N"; `during` runs inside the render (requests that arrive meanwhile)."""

    def __init__(self):
        self.renders = 0
        self.during = None

    def __call__(self, request):
        self.renders += 1
        body = f"version {self.renders}"
        if self.during is not None:
            during, self.during = self.during, None
            during()
        return HttpResponse(body)


def _get(middleware, path="/ideas/"):
    request = RequestFactory().get(path)
    response = middleware(request)
    return response["X-Kompass-Cache"], response.content.decode(), getattr(request, "_kompass_edge_cacheable", False)


def test_concurrent_requests_after_the_fresh_time_render_once(clock):
    view = View()
    middleware = pagecache.PageCacheMiddleware(view)
    assert _get(middleware)[:2] == ("miss", "version 1")
    clock.now += FRESH - 1
    assert _get(middleware)[:2] == ("hit", "version 1")
    clock.now += 2  # past the fresh time, within the grace period
    meanwhile = []
    view.during = lambda: meanwhile.extend(_get(middleware) for _ in range(5))
    assert _get(middleware)[:2] == ("miss", "version 2")
    assert view.renders == 2  # one re-render for six requests
    # the others got the kept copy, which is not offered to the edge cache (nginx asks again until the new render)
    assert meanwhile == [("stale", "version 1", False)] * 5
    assert _get(middleware) == ("hit", "version 2", True)
    assert view.renders == 2


def test_a_new_generation_is_a_miss_for_everybody_even_past_the_fresh_time(clock):
    view = View()
    middleware = pagecache.PageCacheMiddleware(view)
    _get(middleware)
    clock.now += FRESH + 1
    invalidation.bump()  # a committed write
    meanwhile = []
    view.during = lambda: meanwhile.append(_get(middleware))
    assert _get(middleware)[:2] == ("miss", "version 2")
    assert meanwhile == [("miss", "version 3", True)]  # rendered too, not handed version 1
    assert view.renders == 3
    invalidation.bump()
    assert _get(middleware)[:2] == ("miss", "version 4")  # also within the fresh time


def _expired_and_locked(clock):
    """A page stored, its fresh time passed, and its refresh lock taken by a worker that is killed before it
    stores (nothing releases the lock)."""
    view = View()
    middleware = pagecache.PageCacheMiddleware(view)
    _get(middleware)
    clock.now += FRESH + 1
    assert pagecache.refresh_lock(pagecache.key(RequestFactory().get("/ideas/")))
    assert pagecache.refresh_lock(pagecache.key(RequestFactory().get("/ideas/"))) is None  # taken once only
    return view, middleware


def test_a_refresh_lock_whose_holder_died_expires_and_the_next_request_renders(clock):
    view, middleware = _expired_and_locked(clock)
    assert _get(middleware)[:2] == ("stale", "version 1")
    clock.now += pagecache.REFRESH_LOCK_SECONDS - 1
    assert _get(middleware)[:2] == ("stale", "version 1")
    clock.now += 2
    assert _get(middleware)[:2] == ("miss", "version 2")
    assert view.renders == 2
    assert _get(middleware)[:2] == ("hit", "version 2")


def test_the_kept_copy_ends_with_the_grace_period(clock):
    view, middleware = _expired_and_locked(clock)
    clock.now += GRACE - 2
    assert pagecache.refresh_lock(pagecache.key(RequestFactory().get("/ideas/")))  # the next refresher, stuck too
    assert _get(middleware)[:2] == ("stale", "version 1")  # kept until fresh time + grace
    clock.now += 2  # the entry is gone while the lock is still held
    assert _get(middleware)[:2] == ("miss", "version 2")  # an ordinary miss: nothing old to hand out
    assert view.renders == 2


def test_a_failed_refresh_releases_its_lock_and_the_next_request_tries_again(clock):
    view = View()
    middleware = pagecache.PageCacheMiddleware(view)
    _get(middleware)
    clock.now += FRESH + 1

    def broken(request):
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        pagecache.PageCacheMiddleware(broken)(RequestFactory().get("/ideas/"))
    assert _get(middleware)[:2] == ("miss", "version 2")


def test_without_a_grace_period_nothing_is_kept_after_the_fresh_time(clock):
    view = View()
    middleware = pagecache.PageCacheMiddleware(view)
    with override_settings(KOMPASS_PAGE_CACHE_GRACE_SECONDS=0):
        _get(middleware)
        clock.now += FRESH
        pagecache.refresh_lock(pagecache.key(RequestFactory().get("/ideas/")))  # another request re-renders
        assert _get(middleware)[:2] == ("miss", "version 2")  # no copy to hand out: rendered as well
