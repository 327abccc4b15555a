"""Edge page cache: nginx answers anonymous pages from memcached, never stale after a write commits (ADR 0043).

The end-to-end tests start Debian's nginx and memcached in front of the live test server; they skip only when a
binary is missing outside `make test` (which installs both and fails instead: tests/ops/tools.py)."""

import gzip
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from bench.cluster.config import nginx_conf
from kompass.measures import services as measure_services
from kompass.measures.models import Measure
from kompass.ops import edgecache, invalidation
from tests.ops.tools import require_tool

ROOT = Path(__file__).resolve().parents[2]
SECURITY = ["content-type", "content-language", "vary", "content-security-policy", "permissions-policy",
            "x-frame-options", "x-content-type-options", "referrer-policy", "cross-origin-opener-policy",
            "strict-transport-security"]


_binary = require_tool


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not open")


@pytest.fixture
def edge(tmp_path, live_server):
    """memcached + nginx (deploy/nginx/kompass-locations.conf and the generated edge rules) → the live server."""
    nginx, memcached = _binary("nginx"), _binary("memcached")
    mc_port, port = _free_port(), _free_port()
    argv = [memcached, "-l", "127.0.0.1", "-p", str(mc_port), "-U", "0", "-m", "16"]
    mc = subprocess.Popen(argv + (["-u", "nobody"] if os.geteuid() == 0 else []))
    procs = [mc]
    try:
        _wait(mc_port)
        with override_settings(KOMPASS_EDGE_CACHE_SERVERS=[f"127.0.0.1:{mc_port}"], KOMPASS_PAGE_CACHE_SECONDS=60):
            from kompass.ops.management.commands.edge_cache_nginx import render

            (tmp_path / "edge.conf").write_text(render())
            live_port = int(live_server.url.rsplit(":", 1)[1])
            conf = nginx_conf(tmp_path, listen=port, upstreams=[live_port], static_root=tmp_path,
                              private_root=tmp_path, media_root=tmp_path, memcached=mc_port,
                              edge_conf=tmp_path / "edge.conf")
            procs.append(subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"]))
            _wait(port)
            cache.clear()
            yield f"http://127.0.0.1:{port}"
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=10)
        cache.clear()


def _get(url, **kwargs):
    response = requests.get(url, timeout=30, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response


@pytest.mark.django_db(transaction=True)
def test_hit_from_nginx_carries_the_same_headers_and_body_as_the_miss(edge, berlin_committed):
    measure = Measure.objects.filter(strategy=berlin_committed).order_by("slug").first()
    for path in [f"/measures/{measure.slug}/", "/measures/?q=stra%C3%9Fe&x=a%20b", f"/en/measures/{measure.slug}/"]:
        miss = _get(edge + path)
        hit = _get(edge + path)
        assert miss.headers.get("X-Kompass-Cache") != "edge", path
        assert hit.headers["X-Kompass-Cache"] == "edge", path  # answered by nginx from memcached
        assert hit.content == miss.content
        for name in SECURITY:
            assert hit.headers.get(name) == miss.headers.get(name), (path, name)
        assert hit.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert _get(edge + "/en/measures/").headers["Content-Language"] == "en"


def _raw_entry(port: int, cache_key: bytes) -> tuple[int, bytes] | None:
    """(flags, bytes) of an entry as nginx reads it from memcached."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(b"get %s\r\n" % cache_key)
        data = b""
        while not data.endswith(b"END\r\n"):
            data += raw.recv(65536)
    if data == b"END\r\n":
        return None
    head, rest = data.split(b"\r\n", 1)
    _value, _key, flags, length = head.split()
    return int(flags), rest[:int(length)]


@pytest.mark.django_db(transaction=True)
def test_pages_are_stored_gzipped_and_every_client_gets_the_bytes_of_a_miss(edge, berlin_committed):
    """memcached holds the page gzip-compressed with the flag nginx's memcached_gzip_flag reads. A client that
    accepts gzip gets those bytes with Content-Encoding: gzip, one that does not (no Accept-Encoding, or identity)
    gets them decoded by nginx; both exactly the bytes of the miss, with the miss's headers."""
    measure = Measure.objects.filter(strategy=berlin_committed).order_by("slug").first()
    path = f"/measures/{measure.slug}/"
    plain_client = [{"Accept-Encoding": None}, {"Accept-Encoding": "identity"}]
    for headers in [{"Accept-Encoding": "gzip"}, *plain_client]:
        invalidation.bump()  # empty memcached: this client's request is the miss
        miss = _get(edge + path, headers=headers)
        hit = _get(edge + path, headers=headers)
        assert (miss.headers.get("X-Kompass-Cache"), hit.headers["X-Kompass-Cache"]) == ("miss", "edge"), headers
        assert hit.content == miss.content, headers
        for name in [*SECURITY, "content-encoding"]:
            assert hit.headers.get(name) == miss.headers.get(name), (headers, name)
        assert "Accept-Encoding" in hit.headers["Vary"], headers
        gzipped = headers["Accept-Encoding"] == "gzip"
        assert (hit.headers.get("Content-Encoding") == "gzip") == gzipped, headers
    port = int(settings.KOMPASS_EDGE_CACHE_SERVERS[0].rsplit(":", 1)[1])
    host = edge.removeprefix("http://").split(":")[0]
    flags, stored = _raw_entry(port, f"kompass:edge:http://{host}{path}".encode())
    assert flags == edgecache.GZIP_FLAG
    assert gzip.decompress(stored) == miss.content
    raw = requests.get(edge + path, headers={"Accept-Encoding": "gzip"}, timeout=30, stream=True)
    assert raw.raw.read(decode_content=False) == stored  # nginx sends the stored bytes as they are


def test_short_bodies_are_stored_plain_and_gzip_is_deterministic():
    assert edgecache.encode(b"x" * (edgecache.GZIP_MIN_LENGTH - 1)) == (b"x" * (edgecache.GZIP_MIN_LENGTH - 1), 0)
    body = ("<p>Seite</p>" * 500).encode()
    payload, flags = edgecache.encode(body)
    assert flags == edgecache.GZIP_FLAG and len(payload) < len(body)
    assert gzip.decompress(payload) == body
    assert edgecache.encode(body) == (payload, flags)  # no timestamp in the gzip header


def test_gzip_threshold_is_the_one_nginx_compresses_misses_from():
    """Below gzip_min_length nginx sends a miss uncompressed (no Vary: Accept-Encoding); such a body is stored
    plain, so its hit does not differ."""
    locations = (ROOT / "deploy/nginx/kompass-locations.conf").read_text()
    assert f"gzip_min_length {edgecache.GZIP_MIN_LENGTH};" in locations
    assert "gzip_static on;" in locations  # the static references of the benchmark are sent compressed too


@pytest.mark.django_db(transaction=True)
def test_a_page_from_the_redis_page_cache_is_written_back_to_memcached(edge, berlin_committed):
    """A page cache hit (the page is current in Redis, memcached lost it: restart, eviction, another load balancer's
    memcached) is stored for nginx, so the next request is an edge hit with the same body and headers."""
    url = f"{edge}/principles/"
    miss = _get(url)
    assert _get(url).headers["X-Kompass-Cache"] == "edge"
    assert edgecache.client().flush_all()  # memcached only: the generation and the Redis page stay
    from_redis = _get(url)
    assert from_redis.headers["X-Kompass-Cache"] == "hit"
    edge_hit = _get(url)
    assert edge_hit.headers["X-Kompass-Cache"] == "edge"
    assert edge_hit.content == from_redis.content == miss.content
    for name in SECURITY:
        assert edge_hit.headers.get(name) == from_redis.headers.get(name) == miss.headers.get(name), name


def test_a_page_cache_hit_of_another_generation_is_not_written_back(monkeypatch):
    """The same check as for a fresh render: the page must be of the generation read before the request."""
    stored = []
    monkeypatch.setattr(edgecache, "store", lambda *args: stored.append(args) or True)
    monkeypatch.setattr(edgecache, "storable", lambda request, response: True)
    monkeypatch.setattr(invalidation, "generation", lambda: 7)
    for page_generation, expected in ((6, 0), (7, 1)):
        stored.clear()

        def view(request, page_generation=page_generation):
            from django.http import HttpResponse

            request._kompass_page_generation = page_generation
            return HttpResponse("<p>page</p>")

        request = RequestFactory().get("/principles/", HTTP_X_KOMPASS_EDGE=edgecache.fingerprint())
        with override_settings(KOMPASS_EDGE_CACHE_SERVERS=["127.0.0.1:1"]):
            edgecache.EdgeCacheMiddleware(view)(request)
        assert len(stored) == expected, page_generation


@pytest.mark.django_db(transaction=True)
def test_changed_measure_is_never_stale_through_nginx_after_its_write_commits(edge, berlin_committed, make_user):
    measure = Measure.objects.filter(strategy=berlin_committed).order_by("slug").first()
    office = make_user("office@example.org", office=True)
    urls = [f"{edge}/measures/{measure.slug}/", f"{edge}/measures/?q=Runde"]
    for round_ in range(3):
        for url in urls:
            _get(url)
            assert _get(url).headers["X-Kompass-Cache"] == "edge"
        title = f"Neuer Titel Runde {round_}"
        measure_services.measure_update(actor=office, measure=measure, data={"title": title})
        for url in urls:  # the very next request after the commit: never the old page
            response = _get(url)
            assert title in response.text, url
            assert response.headers.get("X-Kompass-Cache") != "edge"


@pytest.mark.django_db(transaction=True)
def test_logged_in_cookies_tokens_and_writes_bypass_the_edge_cache(edge, berlin_committed):
    url = f"{edge}/values/"
    _get(url)
    assert _get(url).headers["X-Kompass-Cache"] == "edge"
    for kwargs in [{"cookies": {"sessionid": "abc"}}, {"cookies": {"messages": "x"}},
                   {"headers": {"Authorization": "Bearer abc"}}, {"headers": {"HX-Request": "true"}}]:
        response = requests.get(url, timeout=30, **kwargs)
        assert response.headers.get("X-Kompass-Cache") != "edge", kwargs
    assert requests.post(url, timeout=30).headers.get("X-Kompass-Cache") != "edge"
    _get(f"{edge}/accounts/login/")
    assert _get(f"{edge}/accounts/login/").headers.get("X-Kompass-Cache") != "edge"  # a form with CSRF token


@pytest.mark.django_db(transaction=True)
def test_a_forged_fingerprint_header_stores_nothing(edge, berlin_committed):
    """nginx replaces the client's X-Kompass-Edge; the app stores only under its own fingerprint."""
    url = f"{edge}/principles/"
    response = requests.get(url, timeout=30, headers={"X-Kompass-Edge": "forged"})
    assert response.status_code == 200
    assert _get(url).headers["X-Kompass-Cache"] == "edge"  # nginx sent the real fingerprint, not the forged one
    with override_settings(X_FRAME_OPTIONS="SAMEORIGIN"):  # settings differ from the nginx file: nothing stored
        invalidation.bump()
        _get(url)
        assert _get(url).headers.get("X-Kompass-Cache") != "edge"


class _Store:
    def __init__(self):
        self.items, self.deleted = {}, []

    def set(self, key, body, seconds, flags=0):  # noqa: A003
        self.items[key] = body
        return True

    def delete(self, key):
        self.deleted.append(key)
        self.items.pop(key, None)
        return True


@pytest.mark.parametrize("commit_at", ["before_check", "between_check_and_set", "after_set", "never"])
def test_a_page_rendered_before_a_commit_never_stays_in_the_edge_cache(monkeypatch, commit_at):
    """The race of a render with a commit (ADR 0043): the writer bumps the generation and then flushes; the reader
    checks the generation before and after its set. Whenever the commit fell after the generation was read for
    the render, the rendered page does not remain stored."""
    store, generation = _Store(), [1]
    calls = []

    def current():
        calls.append("read")
        if commit_at == "before_check" and len(calls) == 1:
            generation[0] += 1  # writer: commit, bump, flush — all before the reader's first check
        return generation[0]

    def set_(key, body, seconds, flags=0):
        if commit_at == "between_check_and_set":
            generation[0] += 1  # bump and flush came after the check and before the set: the set survives the flush
        store.items[key] = body
        if commit_at == "after_set":
            generation[0] += 1
            store.items.clear()  # the writer's flush after the set removes it
        return True

    monkeypatch.setattr(invalidation, "generation", current)
    store.set = set_
    monkeypatch.setattr(edgecache, "client", lambda: store)
    with override_settings(KOMPASS_EDGE_CACHE_SERVERS=["x:1"]):
        stored = edgecache.store(b"k", b"page", before=1)
    assert (b"k" in store.items) == (commit_at == "never")
    assert stored == (commit_at == "never")
    if commit_at == "between_check_and_set":
        assert store.deleted == [b"k"]  # the reader removed its own late entry


def test_key_is_the_one_nginx_computes():
    request = RequestFactory().get("/measures/?q=a%20b", HTTP_HOST="localhost")
    request.META["RAW_URI"] = "/measures/?q=a%20b&x=%C3%9F"
    assert edgecache.key(request) == b"kompass:edge:http://localhost/measures/?q=a%2520b&x=%25C3%259F"
    request.META["RAW_URI"] = "/" + "x" * 300
    assert edgecache.key(request) is None  # longer than memcached's keys


def test_shipped_nginx_rules_are_generated_from_the_production_settings():
    from kompass.ops.management.commands.edge_cache_nginx import render

    with override_settings(SECURE_HSTS_SECONDS=31536000):
        assert render() == (ROOT / "deploy/nginx/kompass-edge-cache.conf").read_text()


def test_a_commit_flushes_the_edge_cache_after_bumping(monkeypatch):
    order = []
    monkeypatch.setattr(invalidation, "_bump_generation", lambda cache: order.append("bump"))
    monkeypatch.setattr(edgecache, "flush", lambda: order.append("flush") or True)
    invalidation.bump()
    assert order == ["bump", "flush"]


def test_memcached_flush_removes_what_was_stored_just_before_it_in_the_same_second():
    """The invalidation relies on flush_all dropping every earlier item, also one stored within the same second."""
    memcached = _binary("memcached")
    port = _free_port()
    proc = subprocess.Popen([memcached, "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-m", "16"]
                            + (["-u", "nobody"] if os.geteuid() == 0 else []))
    try:
        _wait(port)
        client = edgecache.Memcached([f"127.0.0.1:{port}"])
        with socket.create_connection(("127.0.0.1", port), timeout=2) as raw:
            for i in range(50):
                assert client.set(b"k%d" % i, b"page", 60)
                assert client.flush_all()
                raw.sendall(b"get k%d\r\n" % i)
                assert raw.recv(100) == b"END\r\n", i  # nothing: flushed
            assert client.set(b"after", b"page", 60)
            time.sleep(1.1)
            raw.sendall(b"get after\r\n")
            assert raw.recv(100).startswith(b"VALUE after 0 4\r\npage")  # a store after the flush is kept
    finally:
        proc.terminate()
        proc.wait(timeout=10)
