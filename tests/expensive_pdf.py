"""The one check of a PDF behind `kompass.core.expensive.expensive_response("pdf", version=latest_event_id)`:
an anonymous render is cached until any write stamps a new version, and renders are rate-limited per client."""

from django.core.cache import cache

from kompass.audit.services import record_event
from kompass.core.actors import system_actor


def assert_pdf_cached_until_a_change_and_limited(client, settings, url: str, obj, renders: int = 2) -> None:
    """`renders` renders per client in the window: the first is stored and served again (hit) until a write; each
    write then costs a render, the one beyond the limit answers 429 with Retry-After; another client still gets
    its PDF."""
    settings.KOMPASS_RATE_LIMITS = {"pdf": (renders, 600)}
    cache.clear()
    first = client.get(url)
    assert first.status_code == 200 and first["X-Kompass-Cache"] == "miss" and first.content.startswith(b"%PDF")
    second = client.get(url)
    assert (second.status_code, second["X-Kompass-Cache"]) == (200, "hit") and second.content == first.content
    for _ in range(renders - 1):
        record_event(actor=system_actor("test"), action="test.changed", obj=obj)  # any write stamps a new version
        again = client.get(url)
        assert again.status_code == 200 and again["X-Kompass-Cache"] == "miss"
    record_event(actor=system_actor("test"), action="test.changed", obj=obj)
    limited = client.get(url)  # one render more than the window allows this client
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert client.get(url, REMOTE_ADDR="198.51.100.7").status_code == 200  # another client is not affected
