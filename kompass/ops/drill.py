"""Restore drill helper: the answers of every public page type and API endpoint (and a few logged-in pages), for
comparing an installation with its restored copy. CSRF tokens and form idempotency keys (random per response) and
the monitoring report's rendering time are blanked, RDF is compared as a canonical graph; everything else must be
identical.
`make cluster-test` browses the same public URLs.

Pages: one URL per page type, for the first object of each type (stable order). API: every GET operation of the
ninja router (its OpenAPI schema), path parameters filled from the data by the segment before them; an operation
whose parameter cannot be filled is returned as uncovered (the drill test fails on it, so a new endpoint is
covered or noticed). Types without any object in the database are left out."""

from __future__ import annotations

import hashlib
import re

# Per-response random values: the CSRF token and the idempotency key of a form that creates something.
_CSRF = re.compile(rb'name="(?:csrfmiddlewaretoken|idempotency_key)" value="[^"]+"')
# The monitoring report says when it was rendered ("Erstellt: 02.12.2026 14:05"): the moment, not the data.
_RENDERED_AT = re.compile(rb"((?:Erstellt|Generated): )[^<]*</p>")

LIST_PAGES = [
    "/", "/values/", "/perspectives/", "/principles/", "/action-fields/", "/districts/", "/organisations/",
    "/measures/", "/measures/?sort=title", "/measures/?page=2", "/measures/?q=daten", "/measures/export.csv",
    "/impressum/", "/datenschutz/", "/barrierefreiheit/", "/lessons/", "/lessons/other-cities/", "/candidates/",
    "/collaboration/", "/monitoring/", "/monitoring/cycles/", "/ideas/", "/ideas/?sort=supported", "/ideas/map/",
    "/consultations/", "/participation/guidelines/", "/stadtgremium/", "/stadtgremium/register/",
    "/data/", "/data/api/", "/catalog", "/catalog.ttl", "/catalog.jsonld", "/catalog.rdf", "/opendata/open-sdg.zip",
    "/api/3", "/api/3/action/package_list", "/api/3/action/group_list",
    "/data/schema/strategy-v1.json", "/data/districts.geojson", "/theme.css", "/accounts/login/", "/accounts/register/",
    "/accounts/password-reset/", "/accounts/confirm-again/",
    "/en/", "/en/measures/", "/en/ideas/",
]
API_LIST_QUERIES = {"/api/v1/measures": "?limit=100"}
OPENAPI = "/api/v1/openapi.json"


def _first(queryset, *order):
    return queryset.order_by(*(order or ("pk",))).first()


def _objects() -> dict:
    from kompass.lifecycle.models import Candidate
    from kompass.lottery.models import Panel
    from kompass.measures.models import Measure
    from kompass.monitoring.models import EvaluationCycle, Indicator
    from kompass.organisations.models import Organisation
    from kompass.participation.models import Consultation, Idea
    from kompass.strategy.models import District

    return {
        "measure": _first(Measure.objects.all(), "slug"),
        "pilot": _first(Measure.objects.filter(is_pilot=True), "slug"),
        "example": _first(Measure.objects.filter(is_example=True), "slug"),
        "monitored": _first(Measure.objects.filter(monitoring_indicators__isnull=False).distinct(), "slug"),
        "described": _first(Measure.objects.filter(description_versions__isnull=False).distinct(), "slug"),
        "organisation": _first(Organisation.objects.all(), "slug"),
        "district": _first(District.objects.all(), "slug"),
        "idea": _first(Idea.objects.all(), "pk"),
        "consultation": _first(Consultation.objects.all(), "slug"),
        "candidate": _first(Candidate.objects.all(), "slug"),
        "indicator": _first(Indicator.objects.all(), "slug"),
        "cycle": _first(EvaluationCycle.objects.all(), "-slug"),
        "panel": _first(Panel.objects.all(), "slug"),
    }


def page_urls() -> list[str]:
    o = _objects()
    urls = list(LIST_PAGES)
    for key in ("measure", "pilot", "example", "monitored"):
        if o[key]:
            urls.append(f"/measures/{o[key].slug}/")
    if o["pilot"]:
        urls += [f"/measures/{o['pilot'].slug}/?sprache=leicht", f"/en/measures/{o['pilot'].slug}/"]
    if o["described"]:
        slug = o["described"].slug
        urls += [f"/measures/{slug}/description/", f"/measures/{slug}/description/history/",
                 f"/measures/{slug}/factsheet/", f"/measures/{slug}/factsheet.pdf"]
    if o["organisation"]:
        urls.append(f"/organisations/{o['organisation'].slug}/")
    if o["district"]:
        urls.append(f"/districts/{o['district'].slug}/")
    if o["idea"]:
        urls.append(f"/ideas/{o['idea'].pk}/")
    if o["consultation"]:
        urls += [f"/consultations/{o['consultation'].slug}/", f"/consultations/{o['consultation'].slug}/map/"]
    if o["candidate"]:
        urls.append(f"/candidates/{o['candidate'].slug}/")
    if o["indicator"]:
        slug = o["indicator"].slug
        urls += [f"/monitoring/indicators/{slug}/", f"/monitoring/indicators/{slug}/data.csv",
                 f"/monitoring/indicators/{slug}/datapackage.json"]
    if o["cycle"]:
        urls += [f"/monitoring/cycles/{o['cycle'].slug}/", f"/monitoring/cycles/{o['cycle'].slug}/report/"]
    if o["panel"]:
        slug = o["panel"].slug
        urls += [f"/stadtgremium/{slug}/", f"/stadtgremium/{slug}/audit/", f"/stadtgremium/{slug}/lottery.json",
                 f"/stadtgremium/{slug}/audit.pdf", f"/stadtgremium/{slug}/verification.zip"]
    return urls + opendata_urls()


def _get_json(path: str):
    """A public JSON answer of this installation (read as a visitor would: ops imports no other top-layer app)."""
    from django.conf import settings
    from django.test import Client

    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "testserver")
    response = Client().get(path, HTTP_HOST=host, secure=True)  # an allowed host, as behind the proxy
    return response.json() if response.status_code == 200 else None


def opendata_urls(limit: int = 3) -> list[str]:
    """The open-data downloads of the first datasets (from the CKAN package list): metadata, the data package and
    every table of it."""
    listing = _get_json("/api/3/action/package_list") or {}
    urls = []
    for key in sorted(listing.get("result") or [])[:limit]:
        package = _get_json(f"/opendata/{key}/datapackage.json") or {}
        urls += [f"/opendata/{key}.json", f"/opendata/{key}/datapackage.json", f"/api/3/action/package_show?id={key}"]
        urls += [f"/opendata/{key}/{r['path']}" for r in package.get("resources", [])
                 if str(r.get("path", "")).endswith(".csv") and "/" not in r["path"]]
    return urls


def api_urls() -> tuple[list[str], list[str]]:
    """(URLs, uncovered operations): every GET operation of the API (its published OpenAPI schema) with its path
    parameters filled."""
    o = _objects()
    values = {
        "measures": o["measure"] and o["measure"].slug, "candidates": o["candidate"] and o["candidate"].slug,
        "indicators": o["indicator"] and o["indicator"].slug, "ideas": o["idea"] and o["idea"].pk,
        "consultations": o["consultation"] and o["consultation"].slug, "panels": o["panel"] and o["panel"].slug,
    }
    schema = _get_json(OPENAPI) or {"paths": {}}
    urls, uncovered = [], []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        url, ok = path, True
        for param in re.findall(r"\{(\w+)\}", path):
            segment = path.split("{" + param + "}")[0].rstrip("/").rsplit("/", 1)[-1]
            value = values.get(segment)
            if value is None:
                ok = False
                break
            url = url.replace("{" + param + "}", str(value))
        if ok:
            urls.append(url + API_LIST_QUERIES.get(path, ""))
        else:
            uncovered.append(path)
    return urls, uncovered


def drill_urls() -> list[str]:
    return page_urls() + api_urls()[0]


_RDF_FORMATS = {"application/ld+json": "json-ld", "application/rdf+xml": "xml", "text/turtle": "turtle"}


def _rdf_canonical(body: bytes, content_type: str) -> bytes | None:
    """The catalogue's RDF as canonical N-Triples: JSON-LD and RDF/XML name their blank nodes at random per
    process, so the drill compares the graphs (rdflib's canonical form), not the bytes."""
    fmt = _RDF_FORMATS.get(content_type.split(";")[0].strip())
    if fmt is None:
        return None
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    graph = to_canonical_graph(Graph().parse(data=body, format=fmt))
    return "\n".join(sorted(graph.serialize(format="nt").splitlines())).encode()


def snapshot(urls: list[str], login: tuple[str, str] | None = None) -> dict[str, str]:
    """status:sha256 of every answer, anonymous or logged in as (email, password) through the login backend."""
    from django.test import Client

    client = Client()
    if login is not None and not client.login(username=login[0], password=login[1]):
        raise RuntimeError(f"could not log in as {login[0]}")
    result = {}
    for url in urls:
        response = client.get(url)
        body = response.content if not response.streaming else b"".join(response.streaming_content)
        body = _rdf_canonical(body, response.get("Content-Type", "")) or _RENDERED_AT.sub(rb"\1</p>", body)
        result[url] = f"{response.status_code}:{hashlib.sha256(_CSRF.sub(b'', body)).hexdigest()}"
    return result
