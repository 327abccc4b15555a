"""The CKAN Action API subset, read with the real CKAN client (ckanapi) as a harvester would."""

import json

import ckanapi
import pytest

from tests.opendata.django_adapter import session

pytestmark = pytest.mark.django_db


@pytest.fixture
def ckan(client):
    return ckanapi.RemoteCKAN("http://testserver", session=session(client))


@pytest.fixture
def ckan_get(client):
    return ckanapi.RemoteCKAN("http://testserver", get_only=True, session=session(client))


def test_status_show_says_ckan_2_10(ckan):
    status = ckan.action.status_show()
    assert status["ckan_version"].startswith("2.10")


def test_package_list_and_show_cover_every_dataset(ckan, open_data):
    names = ckan.action.package_list()
    assert "berlin-gdb-massnahmen" in names and "berlin-gdb-lessons-learned" in names
    assert len(names) == len(set(names)) >= 7
    pkg = ckan.action.package_show(id="berlin-gdb-massnahmen")
    assert pkg["name"] == "berlin-gdb-massnahmen" and pkg["license_id"] == "cc-by/4.0"
    assert pkg["organization"]["name"] == "berlin" and pkg["groups"][0]["name"] == "measures"
    formats = {r["format"] for r in pkg["resources"]}
    assert {"CSV", "JSON"} <= formats
    assert all(r["size"] > 0 and r["url"].startswith("http://testserver/opendata/") for r in pkg["resources"])
    # by id as well as by name
    assert ckan.action.package_show(id=pkg["id"])["name"] == pkg["name"]


def test_package_show_unknown_raises_not_found(ckan):
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="does-not-exist")


def test_bad_parameters_raise_validation_error(ckan):
    with pytest.raises(ckanapi.ValidationError) as exc:
        ckan.action.package_search(rows="many")
    assert "rows" in exc.value.error_dict
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_search(rows=5000)
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_search(sort="nonsense desc")


def test_package_search_q_fq_rows_start_sort(ckan_get, open_data):
    everything = ckan_get.action.package_search(rows=1000)
    total = everything["count"]
    assert total == len(everything["results"]) >= 7
    page1 = ckan_get.action.package_search(rows=3, start=0, sort="name asc")
    page2 = ckan_get.action.package_search(rows=3, start=3, sort="name asc")
    names = [p["name"] for p in page1["results"] + page2["results"]]
    assert names == sorted(names) and len(set(names)) == 6 and page1["count"] == total
    lessons = ckan_get.action.package_search(q="lessons")
    assert [p["name"] for p in lessons["results"]] == ["berlin-gdb-lessons-learned"]
    monitoring = ckan_get.action.package_search(fq="groups:monitoring", rows=100)
    assert monitoring["count"] >= 2 and all(p["groups"][0]["name"] == "monitoring" for p in monitoring["results"])
    newest_first = ckan_get.action.package_search(sort="metadata_modified desc", rows=100)["results"]
    stamps = [p["metadata_modified"] for p in newest_first]
    assert stamps == sorted(stamps, reverse=True)
    since = ckan_get.action.package_search(fq=f"metadata_modified:[{stamps[0]}Z TO *]", rows=100)
    assert 1 <= since["count"] < total


def test_organisation_and_groups(ckan, open_data):
    assert ckan.action.organization_list() == ["berlin"]
    org = ckan.action.organization_show(id="berlin")
    assert org["package_count"] == len(ckan.action.package_list())
    groups = ckan.action.group_list(all_fields=True)
    assert {g["name"] for g in groups} >= {"framework", "measures", "monitoring", "lifecycle", "lottery"}
    with pytest.raises(ckanapi.NotFound):
        ckan.action.organization_show(id="hamburg")


def test_current_package_list_with_resources(ckan, open_data):
    pkgs = ckan.action.current_package_list_with_resources(limit=2)
    assert len(pkgs) == 2 and all(p["resources"] for p in pkgs)


def test_unversioned_path_and_unknown_action(client, berlin):
    data = client.get("/api/action/package_list").json()
    assert data["success"] is True and data["result"] == client.get("/api/3/action/package_list").json()["result"]
    bad = client.get("/api/3/action/package_create")
    assert bad.status_code == 400 and bad.json()["success"] is False
    broken = client.post("/api/3/action/package_show", data=b"{not json", content_type="application/json")
    assert broken.status_code == 400
    nul = client.get("/api/3/action/package_show", {"id": "x\x00y"})
    assert nul.status_code == 400  # refused by the input sanity check before the action runs
    wrong_type = client.post("/api/3/action/package_show", data=json.dumps({"id": ["a"]}),
                             content_type="application/json")
    assert wrong_type.status_code == 409
