"""Public pages of the strategy framework (home, values compass, perspectives, principles, action fields,
districts, organisations, data and licences). Thin: every read goes through a selector.

The district and organisation pages list measures, so they live here, in the top layer, rather than in
strategy or organisations (which sit below measures)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kompass.core.middleware import forbidden
from kompass.measures import selectors as measure_selectors
from kompass.organisations import selectors as organisation_selectors
from kompass.organisations.models import Organisation
from kompass.strategy import selectors
from kompass.strategy.loader import SCHEMA_PATH
from kompass.strategy.maps import district_map
from kompass.strategy.models import District
from kompass.strategy.selectors import strategy_for_request as _strategy


def _measure_page(request, strategy, measures):
    """One page of measure cards (the lists on the district and organisation pages)."""
    return Paginator(measure_selectors.with_card_data(measures),
                     settings.KOMPASS_CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
def home(request):
    strategy = selectors.current_strategy_or_none()
    request._kompass_strategy = strategy
    if strategy is None:
        return render(request, "portal/empty.html", status=200)
    return render(request, "portal/home.html", {
        "values": selectors.values_with_counts(strategy),
        "figures": measure_selectors.key_figures(strategy),
        "clusters": selectors.clusters_with_fields(strategy),
        "perspective_count": strategy.perspectives.count(),
        "district_count": strategy.districts.filter(kind=District.Kind.DISTRICT).count(),
    })


@require_GET
def values(request):
    strategy = _strategy(request)
    return render(request, "portal/values.html", {"values": selectors.values_with_counts(strategy)})


@require_GET
def perspectives(request):
    strategy = _strategy(request)
    items = list(selectors.perspectives_with_counts(strategy))
    return render(request, "portal/perspectives.html", {
        "spatial": [p for p in items if p.kind == "spatial"],
        "capability": [p for p in items if p.kind == "capability"],
    })


@require_GET
def principles(request):
    strategy = _strategy(request)
    return render(request, "portal/principles.html", {"groups": selectors.principle_groups(strategy)})


@require_GET
def action_fields(request):
    strategy = _strategy(request)
    return render(request, "portal/action_fields.html", {"clusters": selectors.clusters_with_fields(strategy)})


@require_GET
def districts(request):
    strategy = _strategy(request)
    items = list(selectors.districts_with_counts(strategy))
    return render(request, "portal/districts.html", {
        "districts": items, "map": district_map(items),
    })


@require_GET
def district(request, slug):
    strategy = _strategy(request)
    item = selectors.district_by_slug(strategy, slug)
    page = _measure_page(request, strategy, measure_selectors.measures_for_district(strategy, item))
    return render(request, "portal/district.html", {
        "district": item, "page": page, "map": district_map(list(strategy.districts.all()), highlight=item),
        "organisations": item.organisations.all(),
    })


@require_GET
def organisation_list(request):
    strategy = _strategy(request)
    kind = request.GET.get("kind") or None
    notice = None
    if kind and kind not in Organisation.Kind.values:
        notice, kind = kind, None
    page = Paginator(organisation_selectors.organisations_with_counts(strategy, kind), 50).get_page(
        request.GET.get("page"))
    return render(request, "organisations/list.html", {
        "page": page, "kinds": Organisation.Kind.choices, "kind": kind, "unknown_kind": notice,
    })


@require_GET
def organisation_detail(request, slug):
    strategy = _strategy(request)
    organisation = organisation_selectors.organisation_detail(strategy, slug)
    page = _measure_page(request, strategy, measure_selectors.measures_for_organisation(strategy, organisation))
    return render(request, "organisations/detail.html", {"organisation": organisation, "page": page})


@require_GET
def data(request):
    _strategy(request)
    return render(request, "portal/data.html")


@require_GET
def schema_download(request):
    return FileResponse(SCHEMA_PATH.open("rb"), content_type="application/schema+json",
                        filename="strategy-v1.schema.json")


@require_GET
def districts_geojson(request):

    from django.http import JsonResponse

    strategy = _strategy(request)
    features = [
        {"type": "Feature", "geometry": d.geometry,
         "properties": {"slug": d.slug, "name": d.name, "official_key": d.official_key}}
        for d in strategy.districts.exclude(geometry=None)
    ]
    if not features:
        raise Http404
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Content-Type"] = "application/geo+json"
    return response


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return forbidden(request)

