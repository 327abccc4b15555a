"""ckanext-harvest's CKAN harvester (`CKANHarvester`, ckanext-harvest 1.6.3, AGPL) gathers every dataset of
Kompass's CKAN API. Its gather stage is replayed here request by request from the published source
(`ckanext/harvest/harvesters/ckanharvester.py`: `gather_stage` and `_search_for_datasets`), since the real class
needs a full CKAN (its models, Solr, a database) to run; `bench/ckan/harvest_gather.py` runs the real class's
`_search_for_datasets` from a separate venv against a running Kompass (docs/open-data.md)."""

import datetime
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from tests.opendata.django_adapter import DjangoTestAdapter

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


class SearchError(Exception):
    pass


def _search_for_datasets(get, remote_ckan_base_url: str, fq_terms=None) -> list[dict]:
    """CKANHarvester._search_for_datasets, same requests and the same checks (including its `previous_content`
    check, which never fires because 1.6.3 never sets it)."""
    base_search_url = remote_ckan_base_url + "/api/3/action/package_search"
    params = {"rows": "100", "start": "0"}
    params["sort"] = "id asc"  # ckanext-harvest: offset paging is only stable with a fixed order
    if fq_terms:
        params["fq"] = " ".join(fq_terms)
    pkg_dicts, pkg_ids, previous_content = [], set(), None
    while True:
        url = base_search_url + "?" + urlencode(params)
        content = get(url)
        if previous_content and content == previous_content:
            raise SearchError(f"The paging doesn't seem to work. URL: {url}")
        response_dict = json.loads(content)  # ckanext-harvest: SearchError on bad JSON
        pkg_dicts_page = response_dict.get("result", {}).get("results", [])
        ids_in_page = {p["id"] for p in pkg_dicts_page}
        duplicate_ids = ids_in_page & pkg_ids
        if duplicate_ids:
            pkg_dicts_page = [p for p in pkg_dicts_page if p["id"] not in duplicate_ids]
        pkg_ids |= ids_in_page
        pkg_dicts.extend(pkg_dicts_page)
        if len(pkg_dicts_page) == 0:
            break
        params["start"] = str(int(params["start"]) + int(params["rows"]))
    return pkg_dicts


def gather(get, source_url: str, last_gather_started: datetime.datetime | None = None) -> list[dict]:
    """CKANHarvester.gather_stage (no organisation filters): changes since the last error-free job (less an
    hour), else everything; the package dicts are the harvest objects' content."""
    remote = source_url.rstrip("/")
    if last_gather_started is not None:
        since = (last_gather_started - datetime.timedelta(hours=1)).isoformat()
        return _search_for_datasets(get, remote, [f"metadata_modified:[{since}Z TO *]"])
    return _search_for_datasets(get, remote)


@pytest.fixture
def http(client):
    adapter = DjangoTestAdapter(client)
    s = requests.Session()
    s.mount(BASE, adapter)

    def get(url):
        response = s.get(url, headers={"User-Agent": "ckanext-harvest"})
        assert response.status_code == 200, (url, response.text[:300])  # _get_content raises on HTTP errors
        return response.text

    get.calls = adapter.calls
    return get


def test_the_ckan_harvester_gathers_every_dataset_once_with_what_the_import_stage_needs(http, open_data, client):
    names = client.get("/api/3/action/package_list").json()["result"]
    pkgs = gather(http, BASE + "/")
    assert sorted(p["name"] for p in pkgs) == sorted(names) and len(pkgs) == len({p["id"] for p in pkgs})
    # The import stage needs these keys of each package dict (ckanharvester.import_stage).
    for p in pkgs:
        assert p["id"] and p["name"] and p["title"] and p["metadata_modified"]
        assert p["organization"]["name"] == "berlin" and p["owner_org"]
        assert all(r["url"] and r["format"] for r in p["resources"])
        assert isinstance(p["tags"], list) and isinstance(p["extras"], list) and isinstance(p["groups"], list)
    # Exactly the harvester's requests: package_search pages sorted by id, until an empty page.
    searches = [c for c in http.calls if "package_search" in c]
    assert len(searches) == 2  # every dataset fits on the first page of 100; the second is empty
    query = parse_qs(urlsplit(searches[0].split(" ", 1)[1]).query)
    assert query == {"rows": ["100"], "start": ["0"], "sort": ["id asc"]}
    ids = [p["id"] for p in pkgs]
    assert ids == sorted(ids)


def test_paging_of_more_datasets_than_a_page_returns_each_once(http, open_data, client):
    # With a page size below the number of datasets the harvester pages with start=0,100,…; emulate rows=2 by
    # paging the same way with a smaller page to make every page boundary count.
    total = len(client.get("/api/3/action/package_list").json()["result"])
    seen, start = [], 0
    while True:
        page = json.loads(http(f"{BASE}/api/3/action/package_search?" + urlencode(
            {"rows": "2", "start": str(start), "sort": "id asc"})))["result"]["results"]
        if not page:
            break
        seen += [p["id"] for p in page]
        start += 2
    assert len(seen) == len(set(seen)) == total


def test_an_incremental_harvest_asks_for_changes_since_the_last_job(http, open_data, client):
    pkgs = gather(http, BASE)
    newest = max(datetime.datetime.fromisoformat(p["metadata_modified"]) for p in pkgs)
    # The last error-free job started after every change: nothing (modified less than an hour before it) is new.
    later = gather(http, BASE, last_gather_started=newest + datetime.timedelta(hours=2))
    assert later == []
    # It started before the newest change (within the hour of slack): exactly the datasets changed since then.
    cut = newest + datetime.timedelta(minutes=30)
    changed = gather(http, BASE, last_gather_started=cut)
    expected = {p["name"] for p in pkgs
                if datetime.datetime.fromisoformat(p["metadata_modified"]) >= cut - datetime.timedelta(hours=1)}
    assert {p["name"] for p in changed} == expected and expected
    fq = parse_qs(urlsplit(http.calls[-1].split(" ", 1)[1]).query)["fq"][0]
    assert fq.startswith("metadata_modified:[") and fq.endswith("Z TO *]")


def test_package_show_by_the_ids_the_harvester_gathered(http, open_data):
    for p in gather(http, BASE):
        shown = json.loads(http(f"{BASE}/api/3/action/package_show?" + urlencode({"id": p["id"]})))
        assert shown["success"] is True and shown["result"]["name"] == p["name"]
        assert shown["result"]["metadata_modified"] == p["metadata_modified"]
