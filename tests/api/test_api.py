import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import add_measures

pytestmark = pytest.mark.django_db
SNAPSHOT = Path(__file__).parent / "openapi.snapshot.json"


def test_strategy_endpoint_has_the_whole_framework(client, berlin):
    data = client.get("/api/v1/strategy").json()
    assert data["slug"] == "berlin-gdb"
    assert len(data["values"]) == 4 and len(data["perspectives"]) == 7
    assert len(data["clusters"]) == 4 and all(len(c["action_fields"]) == 4 for c in data["clusters"])
    assert len([d for d in data["districts"] if d["kind"] == "district"]) == 12
    assert data["principle_groups"][0]["principles"]


def test_organisations_endpoint(client, berlin):
    data = client.get("/api/v1/organisations").json()
    assert len(data) == berlin.organisations.count()
    renamed = [o for o in data if o["former_names"]]
    assert renamed and renamed[0]["former_names"][0]["name"]


def test_measures_list_is_paginated_with_count(client, berlin):
    data = client.get("/api/v1/measures", {"limit": 5, "offset": 5}).json()
    assert data["count"] == berlin.measures.count()
    assert len(data["items"]) == 5
    assert set(data["items"][0]) >= {"slug", "title", "type", "status", "responsible_organisation", "districts"}


def test_measures_filters_and_search_match_the_catalogue(client, berlin, pilot):
    district = pilot.districts.first()
    data = client.get("/api/v1/measures", {"pilot": "yes", "district": district.slug}).json()
    assert pilot.slug in [i["slug"] for i in data["items"]]
    assert all(i["is_pilot"] for i in data["items"])
    word = max(pilot.title.split(), key=len)
    assert pilot.slug in [i["slug"] for i in client.get("/api/v1/measures", {"q": word}).json()["items"]]


@pytest.mark.parametrize(("params", "param"), [
    ({"district": "atlantis"}, "district"), ({"type": "secret"}, "type"), ({"sort": "random"}, "sort"),
    ({"limit": 0}, "limit"), ({"limit": 1000}, "limit"), ({"offset": -1}, "offset"), ({"limit": "ten"}, "limit"),
    ({"pilot": "maybe"}, "pilot"),
])
def test_bad_parameters_give_400_naming_the_parameter(client, berlin, params, param):
    response = client.get("/api/v1/measures", params)
    assert response.status_code == 400
    assert param in [d["param"] for d in response.json()["detail"]]


def test_measure_detail_and_404(client, pilot):
    data = client.get(f"/api/v1/measures/{pilot.slug}").json()
    assert data["title"] == pilot.title and data["values"] and "strength" in data["values"][0]
    missing = client.get("/api/v1/measures/nope")
    assert missing.status_code == 404 and missing.json()["detail"][0]["param"] == "slug"


def test_api_query_count_does_not_grow_with_data(client, berlin):
    with CaptureQueriesContext(connection) as before:
        client.get("/api/v1/measures", {"limit": 50})
    add_measures(berlin, 80)
    with CaptureQueriesContext(connection) as after:
        client.get("/api/v1/measures", {"limit": 50})
    assert len(after.captured_queries) == len(before.captured_queries)


def test_openapi_schema_matches_the_committed_snapshot(client):
    """Changing the API changes this snapshot: regenerate it with
    `KOMPASS_UPDATE_SNAPSHOT=1 make test-sqlite PYTEST_ARGS=tests/api` and review the diff."""
    import os

    schema = client.get("/api/v1/openapi.json").json()
    rendered = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("KOMPASS_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(rendered, encoding="utf-8")
    assert rendered == SNAPSHOT.read_text(encoding="utf-8")
