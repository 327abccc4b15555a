"""The edge page cache: anonymous HTML pages answered by nginx from memcached without touching Python (ADR 0043).

nginx (deploy/nginx/kompass-locations.conf) looks every anonymous GET/HEAD up in memcached under
`kompass:edge:<scheme>://<host><request URI>` and sends a miss to an app server with the header
`X-Kompass-Edge: <fingerprint>`. `EdgeCacheMiddleware` (second in MIDDLEWARE, so it sees every header the
response will carry) stores the rendered body under the same key when

- the request carries nginx's fingerprint and it equals `fingerprint()` — nginx adds on a hit exactly the headers
  of `expected_headers()`, generated from these settings by `kompass edge_cache_nginx`; with another fingerprint
  (settings changed, file not regenerated) nothing is stored, so a hit never carries other headers than a miss;
- `kompass.ops.pagecache` found the request anonymous and the response cacheable (no cookie set, no Vary: Cookie
  from the CSRF token, not private), it is a 200 text/html GET without HX-Request, and its headers are exactly
  `expected_headers()` (a page with an ETag, a Link or its own CSP is never stored);
- the invalidation generation did not change while the page was rendered and stored (the race argument is in
  kompass.ops.invalidation). A page the Redis page cache answered is stored too, when the generation it was
  rendered under is the one read before the request (ADR 0082).

The body is stored gzip-compressed with GZIP_FLAG (`encode`); nginx labels it Content-Encoding: gzip
(`memcached_gzip_flag`) and decodes it for clients without gzip (`gunzip on`), as the generated file sets up.

Every committed write flushes memcached (`flush()`, called by `invalidation.bump()`). The client speaks
memcached's text protocol over one socket per server and process; a failure is a miss (nothing stored), counted
in `kompass_edge_cache_total`.

settings: KOMPASS_EDGE_CACHE_SERVERS (EDGE_CACHE_URL=memcached://host:port[,host:port]), KOMPASS_EDGE_CACHE_SECONDS
(EDGE_CACHE_SECONDS, default 60). Off (no servers) in the embedded default."""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import socket
import threading

from django.conf import settings

from kompass.ops.metrics import EDGE_CACHE

log = logging.getLogger("kompass.ops.cache")
PREFIX = "kompass:edge:"
HEADER = "HTTP_X_KOMPASS_EDGE"
MAX_KEY = 250  # memcached's limit
MAX_BODY = 1000 * 1000  # below memcached's default item size (-I 1m)
# Pages are stored gzip-compressed with this memcached flag; nginx's `memcached_gzip_flag` (written by
# `kompass edge_cache_nginx`) then sends them with Content-Encoding: gzip, and `gunzip on` decodes them for a client
# that does not accept gzip. A body shorter than GZIP_MIN_LENGTH (nginx's gzip_min_length in
# kompass-locations.conf, below which nginx does not compress a miss either) is stored plain with flag 0.
GZIP_FLAG = 2
GZIP_MIN_LENGTH = 1024
GZIP_LEVEL = 6
# Headers nginx does not copy from Django on a hit: its own or per request.
IGNORED = {"content-length", "date", "server", "x-request-id", "x-kompass-cache", "connection"}
_ESCAPE = re.compile(rb"[\x00-\x20%]")  # nginx escapes the key with NGX_ESCAPE_MEMCACHED: controls, space, %
# Pages whose view varies on htmx's headers (the catalogue's filter requests, ADR 0073); nginx maps the same
# pattern to the same Vary. A view that starts to vary elsewhere is simply not stored (its headers differ).
HX_PATHS = r"^/(en/)?measures/$"
HX_VARY = "HX-Request, HX-History-Restore-Request"


def enabled() -> bool:
    return bool(settings.KOMPASS_EDGE_CACHE_SERVERS)


def language(path: str) -> str:
    """The language Django answers a path in (i18n_patterns with prefix_default_language=False)."""
    return "en" if path.startswith("/en/") else settings.LANGUAGE_CODE


def vary(lang: str, hx: bool) -> str:
    base = "Cookie" if lang != settings.LANGUAGE_CODE else "Accept-Language, Cookie"
    return f"{HX_VARY}, {base}" if hx else base


def expected_headers(lang: str, secure: bool, hx: bool = False) -> dict[str, str]:
    """The headers of a cacheable page, which nginx adds itself on a hit (names lower case); `hx` for the pages
    of HX_PATHS."""
    headers = {
        "content-type": "text/html; charset=utf-8",
        "content-language": lang,
        "vary": vary(lang, hx),
        "content-security-policy": settings.CONTENT_SECURITY_POLICY,
        "permissions-policy": "camera=(), microphone=(), geolocation=()",
        "x-frame-options": settings.X_FRAME_OPTIONS,
    }
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers["x-content-type-options"] = "nosniff"
    if settings.SECURE_REFERRER_POLICY:
        headers["referrer-policy"] = settings.SECURE_REFERRER_POLICY
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers["cross-origin-opener-policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
    if secure and hsts():
        headers["strict-transport-security"] = hsts()
    return headers


def hsts() -> str:
    if not settings.SECURE_HSTS_SECONDS:
        return ""
    value = f"max-age={settings.SECURE_HSTS_SECONDS}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return value


def fingerprint() -> str:
    """Names everything nginx must agree on: the headers it adds and the cookies it bypasses on."""
    parts = [repr(sorted(expected_headers(lang, secure, hx).items())) for lang in ("de", "en") for secure in (0, 1)
             for hx in (False, True)]
    parts += [settings.SESSION_COOKIE_NAME, "messages", PREFIX, HX_PATHS, f"gzip-flag {GZIP_FLAG}"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def key(request) -> bytes | None:
    """The key nginx computes: "kompass:edge:$scheme://$host$request_uri", escaped as nginx escapes it."""
    raw_uri = request.META.get("RAW_URI") or request.get_full_path()  # gunicorn passes the request line's URI
    raw = f"{PREFIX}{request.scheme}://{request.get_host()}{raw_uri}".encode("latin-1", "replace")
    escaped = _ESCAPE.sub(lambda m: b"%%%02X" % m.group()[0], raw)
    return escaped if len(escaped) <= MAX_KEY else None


def encode(body: bytes) -> tuple[bytes, int]:
    """What is stored for `body` and its memcached flags: gzip (mtime 0, so the same page gives the same bytes)
    with GZIP_FLAG, or the body itself when it is too short for nginx to compress it on a miss."""
    if len(body) < GZIP_MIN_LENGTH:
        return body, 0
    return gzip.compress(body, GZIP_LEVEL, mtime=0), GZIP_FLAG


def _headers_match(request, response) -> bool:
    actual = {name.lower(): value for name, value in response.items() if name.lower() not in IGNORED}
    path = request.path_info
    return actual == expected_headers(language(path), request.is_secure(), bool(re.match(HX_PATHS, path)))


def storable(request, response) -> bool:
    return (request.method == "GET" and getattr(request, "_kompass_edge_cacheable", False)
            and "HTTP_HX_REQUEST" not in request.META and "HTTP_HX_HISTORY_RESTORE_REQUEST" not in request.META
            and response.status_code == 200 and not response.streaming
            and len(response.content) <= MAX_BODY and _headers_match(request, response))


class EdgeCacheMiddleware:
    """Second in MIDDLEWARE (after OpsMiddleware): reads the generation before anything below reads the
    database, and sees the response with every header Django adds."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._warned = False

    def __call__(self, request):
        offered = request.META.get(HEADER)
        if not offered or not enabled():
            return self.get_response(request)
        from kompass.ops import invalidation

        before = invalidation.generation()  # BEFORE the view reads the database
        response = self.get_response(request)
        if offered != fingerprint():
            EDGE_CACHE.labels("fingerprint_differs").inc()
            if not self._warned:
                self._warned = True
                log.warning("nginx's edge cache headers differ from these settings; run `kompass edge_cache_nginx`"
                            " and reload nginx (nothing is stored until then)")
            return response
        if before is None or not storable(request, response):
            EDGE_CACHE.labels("not_stored").inc()
            return response
        # A page from the Redis page cache (pagecache "hit") is written back too, under the same checks as a fresh
        # render: it was rendered under `page_generation`, which must be the generation read before the request.
        page_generation = getattr(request, "_kompass_page_generation", before)
        if page_generation != before:
            EDGE_CACHE.labels("race").inc()
            return response
        cache_key = key(request)
        if cache_key is not None:
            store(cache_key, response.content, before)
        return response


def store(cache_key: bytes, body: bytes, before) -> bool:
    """Store `body` (gzip-compressed, see `encode`) if the generation read before rendering is still current, and
    delete it again if a write committed meanwhile (its flush may have come before our set)."""
    from kompass.ops import invalidation

    if invalidation.generation() != before:
        EDGE_CACHE.labels("race").inc()
        return False
    payload, flags = encode(body)
    stored = client().set(cache_key, payload, settings.KOMPASS_EDGE_CACHE_SECONDS, flags)
    if invalidation.generation() != before:
        client().delete(cache_key)
        EDGE_CACHE.labels("race").inc()
        return False
    EDGE_CACHE.labels("stored" if stored else "error").inc()
    return stored


def flush() -> bool:
    """Empty every edge cache server (after a committed write); False if one could not be reached."""
    if not enabled():
        return True
    ok = client().flush_all()
    if not ok:
        EDGE_CACHE.labels("flush_error").inc()
        log.error("edge cache flush failed; pages may be stale for up to %s s", settings.KOMPASS_EDGE_CACHE_SECONDS)
    return ok


class Memcached:
    """memcached's text protocol, one socket per server, every call bounded by a short timeout."""

    def __init__(self, servers: list[str], timeout: float = 0.5):
        self.servers = servers
        self.timeout = timeout
        self.local = threading.local()

    def _conn(self, server: str) -> socket.socket:
        conns = self.local.__dict__.setdefault("conns", {})
        if server not in conns:
            host, _, port = server.rpartition(":")
            conns[server] = socket.create_connection((host, int(port)), timeout=self.timeout)
        return conns[server]

    def _call(self, server: str, command: bytes, ok: tuple[bytes, ...]) -> bool:
        for attempt in (1, 2):  # a connection the server closed (restart) is opened once more
            try:
                conn = self._conn(server)
                conn.sendall(command)
                reply = b""
                while not reply.endswith(b"\r\n"):
                    chunk = conn.recv(256)
                    if not chunk:
                        raise ConnectionError("closed")
                    reply += chunk
                return reply.strip() in ok
            except OSError:
                self.local.__dict__.get("conns", {}).pop(server, None)
                if attempt == 2:
                    EDGE_CACHE.labels("error").inc()
                    log.warning("edge cache %s unreachable", server, exc_info=True)
        return False

    def set(self, cache_key: bytes, body: bytes, seconds: int, flags: int = 0) -> bool:  # noqa: A003
        command = b"set %s %d %d %d\r\n%s\r\n" % (cache_key, flags, seconds, len(body), body)
        return all([self._call(s, command, (b"STORED",)) for s in self.servers])

    def delete(self, cache_key: bytes) -> bool:
        return all([self._call(s, b"delete %s\r\n" % cache_key, (b"DELETED", b"NOT_FOUND")) for s in self.servers])

    def flush_all(self) -> bool:
        return all([self._call(s, b"flush_all\r\n", (b"OK",)) for s in self.servers])


_client: Memcached | None = None


def client() -> Memcached:
    global _client  # noqa: PLW0603 - one client per process, rebuilt when the settings change (tests)
    if _client is None or _client.servers != list(settings.KOMPASS_EDGE_CACHE_SERVERS):
        _client = Memcached(list(settings.KOMPASS_EDGE_CACHE_SERVERS))
    return _client
