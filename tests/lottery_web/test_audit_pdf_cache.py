"""The anonymous lottery audit PDF is cached until data changes, and its renders are rate-limited per client."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from kompass.audit.services import record_event

pytestmark = pytest.mark.django_db


def test_audit_pdf_cached_until_a_change_and_renders_limited(client, published, settings):
    settings.KOMPASS_RATE_LIMITS = {"pdf": (1, 600)}
    cache.clear()
    url = reverse("lottery:audit_pdf", args=[published.slug])
    first = client.get(url)
    assert first.status_code == 200 and first["X-Kompass-Cache"] == "miss" and first.content.startswith(b"%PDF")
    second = client.get(url)
    assert (second.status_code, second["X-Kompass-Cache"]) == (200, "hit") and second.content == first.content
    record_event(actor=None, action="test.changed", obj=published, label="test")  # a write: a new version
    limited = client.get(url)  # a second render for this client within the window
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert client.get(url, REMOTE_ADDR="198.51.100.7").status_code == 200  # another client is not affected
