import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import add_measures

pytestmark = pytest.mark.django_db


def test_measure_page_shows_every_field_and_links(client, pilot):
    response = client.get(reverse("measures:measure", args=[pilot.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert pilot.title in html and pilot.summary[:40] in html
    assert reverse("portal:organisation", args=[pilot.responsible_organisation.slug]) in html
    for district in pilot.districts.all():
        assert reverse("portal:district", args=[district.slug]) in html
    for field in pilot.action_fields.all():
        assert f"action_field={field.slug}" in html
    for link in pilot.value_links.select_related("value"):
        assert link.value.name in html
    assert pilot.period_label in html
    assert "Pilot" in html
    assert "example-banner" not in html


def test_example_records_carry_a_clear_badge(client, berlin):
    example = berlin.measures.filter(is_example=True).first()
    html = client.get(reverse("measures:measure", args=[example.slug])).content.decode()
    assert 'class="example-banner"' in html


def test_related_measures_share_action_fields_or_districts(client, pilot):
    response = client.get(reverse("measures:measure", args=[pilot.slug]))
    related = response.context["related"]
    assert related and pilot not in related
    fields = set(pilot.action_fields.values_list("pk", flat=True))
    districts = set(pilot.districts.values_list("pk", flat=True))
    for other in related:
        assert (fields & set(other.action_fields.values_list("pk", flat=True))
                or districts & set(other.districts.values_list("pk", flat=True)))


def test_leichte_sprache_version(client, pilot):
    assert pilot.title_ls
    url = reverse("measures:measure", args=[pilot.slug])
    html = client.get(url, {"sprache": "leicht"}).content.decode()
    assert f"<h1 id=\"measure-title\">{pilot.title_ls}</h1>" in html
    assert f'<a href="{url}">' in html  # the way back to the standard text
    plain = client.get(reverse("measures:measure", args=[pilot.slug])).content.decode()
    assert "?sprache=leicht" in plain


def test_english_version_uses_english_texts(client, pilot):
    html = client.get("/en" + reverse("measures:measure", args=[pilot.slug])).content.decode()
    assert pilot.title_en in html and 'lang="en"' in html


def test_unknown_measure_is_a_helpful_404(client):
    response = client.get(reverse("measures:measure", args=["does-not-exist"]))
    assert response.status_code == 404
    assert b'href="/measures/"' in response.content


def test_measure_page_query_count_does_not_grow_with_data(client, berlin, pilot):
    url = reverse("measures:measure", args=[pilot.slug])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    add_measures(berlin, 80)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)
