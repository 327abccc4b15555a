"""Every public page type renders in German and English, with its content and empty states."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kompass.measures.models import Measure
from kompass.strategy.models import Strategy
from tests.factories import add_measures

pytestmark = pytest.mark.django_db

PAGES = ["portal:home", "portal:values", "portal:perspectives", "portal:principles", "portal:action_fields",
         "measures:catalogue", "portal:organisations", "portal:districts", "portal:data"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pages_render(client, berlin, name, prefix):
    with translation.override("de"):
        url = reverse(name)
    response = client.get(prefix + url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<main id="main"' in html and 'class="skip-link"' in html
    assert f'lang="{"en" if prefix else "de"}"' in html


def test_home_shows_values_and_key_figures(client, berlin):
    response = client.get("/")
    html = response.content.decode()
    for value in berlin.values.all():
        assert value.name in html
    assert response.context["figures"]["total"] == berlin.measures.count()


def test_language_switch_link_keeps_path_and_query(client, berlin):
    html = client.get(reverse("measures:catalogue"), {"status": "running"}).content.decode()
    assert 'href="/en/measures/?status=running"' in html
    html_en = client.get("/en/measures/?status=running").content.decode()
    assert 'href="/measures/?status=running"' in html_en


def test_german_is_the_default_ui_language(client, berlin):
    html = client.get(reverse("measures:catalogue")).content.decode()
    assert "Maßnahmen" in html
    assert "Measures" in client.get("/en/measures/").content.decode()


def test_district_page_has_map_and_measures(client, berlin):
    district = berlin.districts.get(slug="mitte")
    response = client.get(reverse("portal:district", args=["mitte"]))
    html = response.content.decode()
    assert "<svg" in html and "is-highlighted" in html
    assert response.context["page"].paginator.count == district.measures.count() > 0


def test_district_overview_has_map_with_links_and_a_list(client, berlin):
    html = client.get(reverse("portal:districts")).content.decode()
    assert html.count('class="district-shape') == berlin.districts.exclude(geometry=None).count() == 12
    for district in berlin.districts.all():
        assert html.count(reverse("portal:district", args=[district.slug])) >= 1


def test_organisation_page_shows_former_names_and_measures(client, berlin):
    org = berlin.organisations.filter(former_names__isnull=False).first()
    response = client.get(reverse("portal:organisation", args=[org.slug]))
    html = response.content.decode()
    assert org.former_names.first().name in html


def test_unknown_organisation_kind_shows_a_notice(client, berlin):
    response = client.get(reverse("portal:organisations"), {"kind": "martians"})
    assert response.status_code == 200 and b"martians" in response.content


def test_districts_geojson_and_schema_downloads(client, berlin):
    geo = client.get(reverse("portal:districts_geojson")).json()
    assert len(geo["features"]) == 12
    schema = client.get(reverse("portal:schema"))
    assert schema.status_code == 200 and b"schema_version" in b"".join(schema.streaming_content)


def test_empty_installation_explains_how_to_load_a_strategy(client, berlin):
    Measure.objects.all().delete()
    Strategy.objects.all().delete()
    response = client.get("/")
    assert response.status_code == 200 and b"load-strategy" in response.content
    assert client.get(reverse("measures:catalogue")).status_code == 404


@pytest.mark.parametrize("name,args", [("portal:home", []), ("portal:districts", []),
                                       ("portal:district", ["mitte"]), ("portal:organisations", []),
                                       ("portal:organisation", ["skzl"]), ("portal:action_fields", [])])
def test_query_count_of_pages_does_not_grow_with_data(client, berlin, name, args):
    url = reverse(name, args=args)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    add_measures(berlin, 50, organisations=5)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_security_headers(client, berlin):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_third_party_assets(client, berlin):
    html = client.get("/").content.decode()
    for marker in ("src=\"http", "href=\"https://cdn", "googleapis", "unpkg", "jsdelivr"):
        assert marker not in html
