"""The public REST lists: filters, pagination, modified_since, ETag/If-None-Match, GeoJSON and the Atom feed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_indicators_list_with_status_method_and_components(client, seeded):
    data = client.get("/api/v1/monitoring/indicators", {"limit": 500}).json()
    assert data["count"] == len(data["items"]) > 5
    item = next(i for i in data["items"] if i["slug"] == "bsp-sensoren-installiert")
    assert item["method"] == "linear" and item["measure"] == "bodenfeuchte-sensoren-strassenbaeume"
    assert item["status"]["status"] and isinstance(item["status"]["components"], dict)
    assert item["latest_value"] == 330


@pytest.mark.parametrize("param", ["status", "level", "measure", "action_field", "method"])
def test_indicator_filters_select_exactly_the_matching_items(client, seeded, param):
    from kompass.monitoring.models import Indicator

    everything = client.get("/api/v1/monitoring/indicators", {"limit": 500}).json()["items"]
    some = everything[0]
    ind = Indicator.objects.select_related("measure").get(slug=some["slug"])
    value = {"status": some["status"]["status"], "level": some["level"], "measure": some["measure"],
             "method": some["method"], "action_field": ind.measure.action_fields.first().slug}[param]
    filtered = client.get("/api/v1/monitoring/indicators", {param: value, "limit": 500}).json()
    assert 1 <= filtered["count"] <= len(everything)
    if param in ("level", "measure", "method"):
        assert all(i[param] == value for i in filtered["items"])
        assert filtered["count"] == sum(i[param] == value for i in everything)
    if param == "status":
        assert all(i["status"]["status"] == value for i in filtered["items"])


@pytest.mark.parametrize("url,params", [
    ("/api/v1/monitoring/indicators", {"status": "splendid"}),
    ("/api/v1/monitoring/indicators", {"level": "x"}),
    ("/api/v1/monitoring/indicators", {"limit": 0}),
    ("/api/v1/monitoring/indicators", {"limit": "viele"}),
    ("/api/v1/monitoring/measurements", {"modified_since": "gestern"}),
    ("/api/v1/monitoring/cycles", {"state": "half"}),
    ("/api/v1/monitoring/decisions", {"kind": "maybe"}),
    ("/api/v1/measures", {"modified_since": "2024-13-45"}),
    ("/api/v1/transitions", {"offset": -1}),
    ("/api/v1/monitoring/goals", {"offset": 10**30}),
])
def test_bad_parameters_are_400_naming_the_parameter(client, berlin, url, params):
    response = client.get(url, params)
    assert response.status_code == 400
    assert response.json()["detail"][0]["param"] in params


def test_pagination_is_stable_and_complete(client, seeded):
    whole = [i["slug"] for i in client.get("/api/v1/monitoring/indicators", {"limit": 500}).json()["items"]]
    pages = []
    for offset in range(0, len(whole), 4):
        pages += [i["slug"] for i in client.get("/api/v1/monitoring/indicators",
                                                  {"limit": 4, "offset": offset}).json()["items"]]
    assert pages == whole


def test_measurements_targets_goals_chains(client, seeded):
    m = client.get("/api/v1/monitoring/measurements", {"indicator": "bsp-sensoren-installiert"}).json()
    assert [x["value"] for x in m["items"]] == [90, 180, 260, 330]
    t = client.get("/api/v1/monitoring/targets", {"indicator": "bsp-gebaeude-erfasst"}).json()
    assert [x["version"] for x in t["items"]] == [1, 2] and t["items"][1]["cycle"] == "zyklus-2024"
    goals = client.get("/api/v1/monitoring/goals", {"level": "impact"}).json()
    assert goals["count"] >= 1 and all(g["level"] == "impact" for g in goals["items"])
    chains = client.get("/api/v1/monitoring/impact-chains",
                        {"measure": "bodenfeuchte-sensoren-strassenbaeume"}).json()
    assert chains["count"] == 1 and len(chains["items"][0]["inputs"]) == 3
    assert "bsp-sensoren-installiert" in chains["items"][0]["goals"][0]["indicators"]


def test_cycles_reviews_decisions(client, seeded):
    cycles = client.get("/api/v1/monitoring/cycles").json()
    assert "zyklus-2024" in [c["slug"] for c in cycles["items"]]
    reviews = client.get("/api/v1/monitoring/reviews", {"cycle": "zyklus-2024"}).json()
    assert reviews["count"] == 2 and reviews["items"][0]["assessments"]
    decisions = client.get("/api/v1/monitoring/decisions", {"kind": "adjust_goals"}).json()
    assert [d["measure"] for d in decisions["items"]] == ["barrierefreie-wegeinformationen-aemter"]


def test_modified_since_returns_only_later_changes(client, seeded):
    from kompass.monitoring.models import Measurement

    later = timezone.now() + datetime.timedelta(seconds=1)
    assert client.get("/api/v1/monitoring/measurements", {"modified_since": later.isoformat()}).json()["count"] == 0
    point = Measurement.objects.get(indicator__slug="bsp-sensoren-installiert", period__year=2025)
    Measurement.objects.filter(pk=point.pk).update(entered_at=later + datetime.timedelta(minutes=1))
    changed = client.get("/api/v1/monitoring/measurements", {"modified_since": later.isoformat()}).json()
    assert [(x["indicator"], x["value"]) for x in changed["items"]] == [("bsp-sensoren-installiert", 330)]
    inds = client.get("/api/v1/monitoring/indicators", {"modified_since": later.isoformat()}).json()
    assert [i["slug"] for i in inds["items"]] == ["bsp-sensoren-installiert"]
    naive = later.replace(tzinfo=None).isoformat()  # naive is UTC
    assert client.get("/api/v1/monitoring/measurements", {"modified_since": naive}).json()["count"] == 1


def test_measures_list_has_the_phase_and_modified_since(client, berlin):
    from kompass.measures.models import Measure

    items = client.get("/api/v1/measures", {"limit": 100}).json()["items"]
    assert all(i["phase"] and i["phase"]["slug"] for i in items)
    later = timezone.now() + datetime.timedelta(seconds=1)
    first = Measure.objects.filter(strategy=berlin).order_by("slug").first()
    Measure.objects.filter(pk=first.pk).update(updated_at=later + datetime.timedelta(minutes=1))
    data = client.get("/api/v1/measures", {"modified_since": later.isoformat()}).json()
    assert [i["slug"] for i in data["items"]] == [first.slug]


def test_etag_and_if_none_match(client, seeded):
    first = client.get("/api/v1/monitoring/indicators")
    etag = first["ETag"]
    assert etag
    again = client.get("/api/v1/monitoring/indicators", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/v1/monitoring/indicators", {"limit": 3}, HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200
    cat = client.get("/catalog.ttl")
    assert client.get("/catalog.ttl", HTTP_IF_NONE_MATCH=cat["ETag"]).status_code == 304


def test_html_pages_get_no_etag(client, berlin):
    assert not client.get("/measures/").has_header("ETag")


def test_districts_geojson_with_official_keys(client, berlin):
    data = client.get("/api/v1/districts.geojson").json()
    assert data["type"] == "FeatureCollection"
    keys = {f["properties"]["slug"]: f["properties"]["official_key"] for f in data["features"]}
    assert keys["mitte"] == "11000001" and keys["reinickendorf"] == "11000012"
    mitte = next(f for f in data["features"] if f["id"] == "mitte")
    assert mitte["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_transitions_and_panels(client, open_data):
    panels = client.get("/api/v1/lottery/panels").json()
    assert [p["slug"] for p in panels["items"]] == ["stadtgremium-test"]
    assert panels["items"][0]["audit"] == "/api/v1/lottery/panels/stadtgremium-test/audit"
    assert client.get(panels["items"][0]["audit"]).status_code == 200
    from kompass.lifecycle.models import PhaseTransition

    expected = PhaseTransition.objects.filter(measure__strategy=open_data).count()
    transitions = client.get("/api/v1/transitions", {"limit": 500}).json()
    assert transitions["count"] == expected
    if expected:
        slug = transitions["items"][0]["measure"]
        one = client.get("/api/v1/transitions", {"measure": slug, "limit": 500}).json()
        assert one["count"] == PhaseTransition.objects.filter(measure__slug=slug).count()
        assert {t["measure"] for t in one["items"]} == {slug}


def test_atom_feed_of_changes(client, open_data):
    response = client.get("/api/v1/changes.atom", {"limit": 30})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert 1 <= len(entries) <= 30
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    kinds = {e.find(f"{ATOM}category").get("term") for e in entries}
    assert {"panel", "cycle"} & kinds
    later = (timezone.now() + datetime.timedelta(minutes=5)).isoformat()
    empty = ET.fromstring(client.get("/api/v1/changes.atom", {"modified_since": later}).content)
    assert empty.findall(f"{ATOM}entry") == []
    assert client.get("/api/v1/changes.atom", {"limit": "x"}).status_code == 400
