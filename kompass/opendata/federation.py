"""Reading what other cities publish: a Kompass instance (through its CKAN API and the JSON distributions of its
measures and lessons-learned datasets) or any DCAT-AP catalogue (its datasets). Returns plain records; the
harvest service stores them. Network access is limited in time and size and to http(s)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from kompass.opendata import licences

TIMEOUT = 20
MAX_BYTES = 20 * 1024 * 1024
Fetch = Callable[[str], bytes]


class FetchError(Exception):
    pass


def fetch(url: str) -> bytes:
    """GET a URL (http or https only), at most 20 MB and 20 s."""
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise FetchError(f"{url}: only http and https are followed")
    request = urllib.request.Request(url, headers={"User-Agent": "Kompass-Federation/1.0",
                                                   "Accept": "application/json, text/turtle;q=0.9, */*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - scheme checked above
            body = response.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise FetchError(f"{url}: {exc}") from exc
    if len(body) > MAX_BYTES:
        raise FetchError(f"{url}: larger than 20 MB")
    return body


@dataclass
class RemoteRecord:
    kind: str  # measure, lesson, dataset
    remote_id: str
    url: str
    title: str
    summary: str = ""
    body: str = ""
    tags: list[str] = field(default_factory=list)
    parent_url: str = ""
    parent_title: str = ""
    publisher: str = ""
    licence: licences.Licence | None = None


def _json(get: Fetch, url: str) -> dict:
    try:
        data = json.loads(get(url))
    except (ValueError, UnicodeDecodeError) as exc:
        raise FetchError(f"{url}: not JSON") from exc
    if not isinstance(data, dict):
        raise FetchError(f"{url}: not a JSON object")
    return data


def _ckan(get: Fetch, base: str, action: str, **params) -> object:
    query = urllib.parse.urlencode(params)
    data = _json(get, f"{base}/api/3/action/{action}" + (f"?{query}" if query else ""))
    if not data.get("success"):
        raise FetchError(f"{base}: {action} failed: {str(data.get('error'))[:200]}")
    return data["result"]


def _text(value, limit: int) -> str:
    return str(value or "").replace("\x00", "")[:limit]


def read_kompass(base: str, get: Fetch = fetch) -> list[RemoteRecord]:
    base = base.rstrip("/")
    names = _ckan(get, base, "package_list")
    if not isinstance(names, list):
        raise FetchError(f"{base}: package_list is not a list")
    out: list[RemoteRecord] = []
    for name in names:
        if not isinstance(name, str) or not name.endswith(("-massnahmen", "-lessons-learned")):
            continue
        pkg = _ckan(get, base, "package_show", id=name)
        lic = licences.BY_ID.get(pkg.get("license_id") or "") or licences.resolve(
            pkg.get("license_title") or "", pkg.get("license_url") or "")
        publisher = _text((pkg.get("organization") or {}).get("title"), 300)
        resource = next((r for r in pkg.get("resources") or [] if r.get("mimetype") == "application/json"
                         and str(r.get("url", "")).endswith(f"/{name}.json")), None)
        if resource is None:
            continue
        tables = _json(get, resource["url"]).get("tables") or {}
        if name.endswith("-massnahmen"):
            for row in tables.get("measures") or []:
                if not isinstance(row, dict) or not row.get("url"):
                    continue
                out.append(RemoteRecord(
                    "measure", _text(row["url"], 500), _text(row["url"], 1000), _text(row.get("title"), 300),
                    summary=_text(row.get("summary"), 5000),
                    tags=[t for t in _text(row.get("action_field_names"), 2000).split(";") if t][:20],
                    publisher=publisher, licence=lic))
        else:
            for row in tables.get("lessons") or []:
                if not isinstance(row, dict) or row.get("id") is None:
                    continue
                measure_url = f"{base}/measures/{_text(row.get('measure'), 120)}/"
                out.append(RemoteRecord(
                    "lesson", f"{base}/lessons/#{row['id']}", measure_url, _text(row.get("title"), 300),
                    summary=_text(row.get("recommendation"), 5000),
                    body="\n\n".join(_text(row.get(k), 5000) for k in ("what_worked", "what_did_not")),
                    tags=[t.strip() for t in _text(row.get("tags"), 300).split(",") if t.strip()][:20],
                    parent_url=measure_url, publisher=publisher, licence=lic))
    titles = {r.url: r.title for r in out if r.kind == "measure"}
    for r in out:
        if r.kind == "lesson":
            r.parent_title = titles.get(r.parent_url, "")
    return out


def _lang(graph: Graph, subject, prop) -> str:
    values = list(graph.objects(subject, prop))
    for v in values:
        if getattr(v, "language", None) == "de":
            return str(v)
    return str(values[0]) if values else ""


def read_dcat(url: str, get: Fetch = fetch) -> list[RemoteRecord]:
    body = get(url)
    graph = Graph()
    for fmt in ("turtle", "xml", "json-ld"):
        try:
            graph.parse(data=body, format=fmt)
            break
        except Exception:  # noqa: BLE001 - rdflib raises many types for a wrong syntax; try the next one
            graph = Graph()
    else:
        raise FetchError(f"{url}: not a Turtle, RDF/XML or JSON-LD catalogue")
    out = []
    for ds in graph.subjects(RDF.type, DCAT.Dataset):
        if not isinstance(ds, URIRef):
            continue
        lic_uri = graph.value(ds, DCTERMS.license)
        publisher = graph.value(ds, DCTERMS.publisher)
        landing = graph.value(ds, DCAT.landingPage)
        out.append(RemoteRecord(
            "dataset", str(ds)[:500], str(landing or ds)[:1000], _lang(graph, ds, DCTERMS.title)[:300] or str(ds),
            summary=_lang(graph, ds, DCTERMS.description)[:5000],
            tags=[str(k)[:100] for k in graph.objects(ds, DCAT.keyword)][:20],
            publisher=_lang(graph, publisher, FOAF.name)[:300] if publisher else "",
            licence=licences.from_uri(str(lic_uri)) if lic_uri else None))
    return out
