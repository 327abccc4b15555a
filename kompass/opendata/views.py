"""Open-data endpoints: the DCAT-AP.de catalogue with content negotiation and the dataset downloads. Thin: the
datasets come from `datasets`, the bytes from `formats` and `catalog`."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kompass.core.urls import absolute_url
from kompass.opendata import catalog, datasets, formats, licences
from kompass.strategy.selectors import current_strategy

NEGOTIATION = [("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("application/rdf+xml", "rdf"),
               ("application/x-turtle", "ttl"), ("application/json", "jsonld")]


def base_url(request) -> str:
    return absolute_url("/", request).rstrip("/")


def _negotiate(accept: str) -> str | None:
    """The RDF format the Accept header prefers most (q values honoured), "html" for a browser, None for no
    preference (then Turtle is served)."""
    best, best_q = None, 0.0
    for part in (accept or "").split(","):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        fmt = dict(NEGOTIATION).get(media)
        if media in ("text/html", "application/xhtml+xml") and q > best_q:
            best, best_q = "html", q
        elif fmt and q > best_q:
            best, best_q = fmt, q
    return best


@require_safe
def catalog_negotiated(request):
    fmt = _negotiate(request.headers.get("Accept", "")) or "ttl"
    if fmt == "html":
        return _catalog_page(request)
    response = catalog_file(request, fmt)
    response["Vary"] = "Accept"
    response["Content-Location"] = f"/catalog.{fmt}"
    return response


def _catalog_page(request):
    strategy = current_strategy()
    lic = licences.for_strategy(strategy)
    items = datasets.all_datasets(strategy, base_url(request))
    rows = [(ds, formats.distributions(ds, lic)) for ds in items]
    response = render(request, "opendata/catalog.html", {"rows": rows, "licence": lic, "strategy": strategy})
    response["Vary"] = "Accept"
    return response


@require_safe
def catalog_file(request, fmt: str):
    if fmt not in catalog.FORMATS:
        raise Http404
    body = catalog.serialize(current_strategy(), base_url(request), fmt)
    return HttpResponse(body, content_type=f"{catalog.CONTENT_TYPES[fmt]}; charset=utf-8")


def _dataset(request, key: str) -> datasets.Dataset:
    ds = datasets.find(current_strategy(), key, base_url(request))
    if ds is None:
        raise Http404
    return ds


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def table_csv(request, key: str, table: str):
    ds = _dataset(request, key)
    t = next((t for t in ds.tables if t.name == table), None)
    if t is None:
        raise Http404
    return _download(formats.csv_bytes(t), "text/csv; charset=utf-8", f"{key}-{table}.csv")


@require_safe
def dataset_json(request, key: str):
    return _download(formats.json_bytes(_dataset(request, key)), "application/json", f"{key}.json")


@require_safe
def datapackage(request, key: str):
    strategy = current_strategy()
    ds = _dataset(request, key)
    return _download(formats.datapackage_bytes(ds, licences.for_strategy(strategy)), "application/json",
                     "datapackage.json")


@require_safe
def dataset_geojson(request, key: str):
    body = formats.geojson_bytes(_dataset(request, key))
    if body is None:
        raise Http404
    return _download(body, "application/geo+json", f"{key}.geojson")


@require_safe
def opensdg_zip(request):
    from kompass.opendata import opensdg

    response = HttpResponse(opensdg.export_zip(current_strategy()), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="open-sdg-data.zip"'
    return response
