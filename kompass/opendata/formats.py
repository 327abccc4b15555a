"""Rendering a dataset's distributions: CSV per table, JSON, Frictionless datapackage.json, GeoJSON. The same bytes
are served as downloads and measured for the catalogue's byte sizes."""

from __future__ import annotations

import datetime
import decimal
import io
import json

from kompass.core import tabular
from kompass.opendata import licences
from kompass.opendata.datasets import Dataset, Table

MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "datapackage": "application/json",
               "geojson": "application/geo+json"}
# EU file-type authority codes for dcterms:format.
FILE_TYPES = {"csv": "CSV", "json": "JSON", "datapackage": "JSON", "geojson": "GEOJSON"}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _csv_cell(value):
    """Numbers stay numbers (a negative number is no formula); text goes to the writer's formula guard."""
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        return value
    return _cell(value)


def csv_bytes(table: Table) -> bytes:
    """A table's CSV through the shared writer, so a measure title such as "=HYPERLINK(...)" is neutralised."""
    out = io.StringIO()
    names = [c.name for c in table.columns]
    tabular.write_csv_to(out, names, ([_csv_cell(row.get(n)) for n in names] for row in table.rows),
                         lineterminator="\n")
    return out.getvalue().encode("utf-8")


def _jsonable(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def json_document(ds: Dataset) -> dict:
    return {"name": ds.key, "title": ds.title, "modified": ds.modified.isoformat() if ds.modified else None,
            "tables": {t.name: [{k: _jsonable(v) for k, v in row.items()} for row in t.rows] for t in ds.tables}}


def json_bytes(ds: Dataset) -> bytes:
    return json.dumps(json_document(ds), ensure_ascii=False, indent=1).encode("utf-8")


def datapackage(ds: Dataset, licence: licences.Licence, publisher: str = "") -> dict:
    """A Frictionless (tabular) data package; resource paths are relative to the datapackage.json URL."""
    resources = []
    for t in ds.tables:
        fields = []
        for c in t.columns:
            f = {"name": c.name, "type": c.type}
            if c.title:
                f["title"] = c.title
            if c.required:
                f["constraints"] = {"required": True}
            fields.append(f)
        schema = {"fields": fields}
        if t.primary_key:
            schema["primaryKey"] = t.primary_key
        resources.append({"name": t.name, "title": t.title, "path": f"{t.name}.csv", "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema})
    pkg = {"profile": "tabular-data-package", "name": ds.key, "title": ds.title, "description": ds.description,
           "keywords": ds.keywords, "created": ds.modified.isoformat() if ds.modified else None,
           "licenses": [{"name": licence.id.replace("/", "-"), "path": licence.url, "title": licence.title}],
           "resources": resources}
    if publisher:
        pkg["contributors"] = [{"title": publisher, "role": "publisher"}]
    return pkg


def datapackage_bytes(ds: Dataset, licence: licences.Licence, publisher: str = "") -> bytes:
    return json.dumps(datapackage(ds, licence, publisher), ensure_ascii=False, indent=1).encode("utf-8")


def geojson_bytes(ds: Dataset) -> bytes | None:
    doc = ds.geojson
    return json.dumps(doc, ensure_ascii=False).encode("utf-8") if doc is not None else None


class Distribution:
    """One download of a dataset: its URL, format, media type and size in bytes."""

    def __init__(self, ds: Dataset, kind: str, path: str, title: str, size: int, table: str = ""):
        self.dataset, self.kind, self.path, self.title, self.size, self.table = ds, kind, path, title, size, table
        self.media_type = MEDIA_TYPES[kind]
        self.file_type = FILE_TYPES[kind]
        self.id = f"{ds.key}--{table or kind}"

    @property
    def format_label(self) -> str:
        return {"datapackage": "datapackage.json", "geojson": "GeoJSON"}.get(self.kind, self.kind.upper())


def distributions(ds: Dataset, licence: licences.Licence, publisher: str = "") -> list[Distribution]:
    """Every distribution of a dataset with the byte size of what the download serves."""
    from django.urls import reverse

    out = [Distribution(ds, "csv", reverse("opendata:table_csv", args=[ds.key, t.name]), f"{t.title} (CSV)",
                        len(csv_bytes(t)), t.name) for t in ds.tables]
    out.append(Distribution(ds, "json", reverse("opendata:dataset_json", args=[ds.key]), f"{ds.title} (JSON)",
                            len(json_bytes(ds))))
    out.append(Distribution(ds, "datapackage", reverse("opendata:datapackage", args=[ds.key]),
                            "Frictionless Data Package (datapackage.json)",
                            len(datapackage_bytes(ds, licence, publisher))))
    geo = geojson_bytes(ds)
    if geo is not None:
        out.append(Distribution(ds, "geojson", reverse("opendata:dataset_geojson", args=[ds.key]),
                                f"{ds.title} (GeoJSON)", len(geo)))
    return out
