"""The anonymous fact-sheet PDF is cached until data changes, and its renders are rate-limited per client."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from kompass.audit.services import record_event

pytestmark = pytest.mark.django_db


def test_fact_sheet_pdf_cached_until_a_change_and_renders_limited(client, ready, settings):
    settings.KOMPASS_RATE_LIMITS = {"pdf": (2, 600)}
    cache.clear()
    url = reverse("lifecycle:factsheet_pdf", args=[ready.slug])
    first = client.get(url)
    assert first.status_code == 200 and first["X-Kompass-Cache"] == "miss" and first.content.startswith(b"%PDF")
    second = client.get(url)
    assert second["X-Kompass-Cache"] == "hit" and second.content == first.content
    record_event(actor=None, action="test.changed", obj=ready, label="test")  # any write stamps a new version
    third = client.get(url)
    assert third.status_code == 200 and third["X-Kompass-Cache"] == "miss"
    record_event(actor=None, action="test.changed", obj=ready, label="test")
    limited = client.get(url)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert client.get(url, REMOTE_ADDR="198.51.100.7").status_code == 200  # another client is not affected
