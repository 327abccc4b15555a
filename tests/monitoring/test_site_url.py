"""The indicator's data package links its CSV and page at the site's public address (KOMPASS_SITE_URL, ADR 0076),
never at whatever Host header a request brought; without the setting, at the request's own host."""

import json

import pytest

pytestmark = pytest.mark.django_db

URL = "/monitoring/indicators/bsp-nachnutzungen/datapackage.json"


def _links(client, **headers) -> tuple[str, str]:
    package = json.loads(client.get(URL, **headers).content)
    return package["homepage"], package["resources"][0]["path"]


def test_datapackage_links_start_with_the_configured_site_url(seeded, client, settings):
    settings.KOMPASS_SITE_URL = "https://kompass.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "internal-app-1"]
    homepage, csv = _links(client, HTTP_HOST="internal-app-1")  # an app server behind the proxy
    assert homepage == "https://kompass.example.org/monitoring/indicators/bsp-nachnutzungen/"
    assert csv == "https://kompass.example.org/monitoring/indicators/bsp-nachnutzungen/data.csv"


def test_without_a_site_url_the_links_use_the_requests_host(seeded, client, settings):
    settings.KOMPASS_SITE_URL = ""
    homepage, csv = _links(client)
    assert homepage == "http://testserver/monitoring/indicators/bsp-nachnutzungen/"
    assert csv == "http://testserver/monitoring/indicators/bsp-nachnutzungen/data.csv"
