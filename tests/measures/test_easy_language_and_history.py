"""Issue 13: the whole measure page in Leichte Sprache, and catalogue filters that match the address after "back"."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

STANDARD_HEADINGS = ["Eckdaten", "Leitgedanken und Zukunftsperspektiven", "Verwandte Maßnahmen", "Verantwortlich"]


def test_easy_language_page_is_easy_throughout(client, pilot):
    url = reverse("measures:measure", args=[pilot.slug])
    html = client.get(url, {"sprache": "leicht"}).content.decode()
    assert f'<h1 id="measure-title">{pilot.title_ls}</h1>' in html
    for heading in ("Worum geht es?", "Wer macht das?", "Wo?", "Wie weit ist das?"):
        assert heading in html, heading
    for heading in STANDARD_HEADINGS:
        assert f">{heading}<" not in html, heading
    assert f'href="{url}"' in html  # the way back to the standard page


def test_easy_language_page_is_german_also_from_the_english_site(client, pilot):
    html = client.get("/en" + reverse("measures:measure", args=[pilot.slug]), {"sprache": "leicht"}).content.decode()
    assert 'lang="de"' in html and "Wer macht das?" in html and "Who does it?" not in html


def test_standard_page_keeps_its_sections(client, pilot):
    html = client.get(reverse("measures:measure", args=[pilot.slug])).content.decode()
    assert ">Eckdaten<" in html and "Wer macht das?" not in html


def test_history_restore_gets_the_whole_page(client):
    url = reverse("measures:catalogue")
    partial = client.get(url, {"status": "running"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    restored = client.get(url, {"status": "running"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    html = restored.content.decode()
    assert "<html" in html and 'value="running" selected' in html
    vary = {v.strip().lower() for v in partial["Vary"].split(",")}
    assert {"hx-request", "hx-history-restore-request"} <= vary


def test_htmx_does_not_restore_stale_snapshots(client):
    html = client.get(reverse("measures:catalogue")).content.decode()
    assert '"historyCacheSize": 0' in html and '"refreshOnHistoryMiss": true' in html
