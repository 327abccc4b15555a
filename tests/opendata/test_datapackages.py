"""Every tabular dataset is a valid Frictionless data package: the datapackage.json and its CSV files, downloaded
as a client would and validated with `frictionless`."""

import json

import pytest
from frictionless import Package, validate

pytestmark = pytest.mark.django_db


def _download_package(client, key, tmp_path):
    pkg = client.get(f"/opendata/{key}/datapackage.json")
    assert pkg.status_code == 200
    descriptor = pkg.json()
    folder = tmp_path / key
    folder.mkdir()
    (folder / "datapackage.json").write_bytes(pkg.content)
    for res in descriptor["resources"]:
        csv = client.get(f"/opendata/{key}/{res['path']}")
        assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
        (folder / res["path"]).write_bytes(csv.content)
    return folder / "datapackage.json", descriptor


def test_every_datapackage_is_valid(client, open_data, tmp_path):
    names = client.get("/api/3/action/package_list").json()["result"]
    rows = 0
    for key in names:
        path, descriptor = _download_package(client, key, tmp_path)
        report = validate(str(path))
        assert report.valid, (key, report.flatten(["rowNumber", "fieldName", "type", "note"]))
        package = Package(str(path))
        rows += sum(len(r.read_rows()) for r in package.resources)
    assert rows > 100  # real content, not empty tables


def test_a_broken_csv_is_caught(client, open_data, tmp_path):
    """The check is real: a non-numeric value in a number column fails validation."""
    key = next(k for k in client.get("/api/3/action/package_list").json()["result"] if k.endswith("-wirkung"))
    path, descriptor = _download_package(client, key, tmp_path)
    csv_path = path.parent / "measurements.csv"
    lines = csv_path.read_text().splitlines()
    cells = lines[1].split(",")
    cells[3] = "viel"
    lines[1] = ",".join(cells)
    csv_path.write_text("\n".join(lines) + "\n")
    assert not validate(str(path)).valid


def test_datapackage_names_the_licence(client, berlin):
    descriptor = json.loads(client.get("/opendata/berlin-gdb-massnahmen/datapackage.json").content)
    assert descriptor["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    assert descriptor["resources"][0]["schema"]["primaryKey"] == ["slug"]
