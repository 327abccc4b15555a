"""Public pages of the strategy framework (home, values compass, perspectives, principles, action fields,
districts, data and licences). Thin: every read goes through a selector."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kompass.measures import selectors as measure_selectors
from kompass.strategy import selectors
from kompass.strategy.loader import SCHEMA_PATH
from kompass.strategy.models import District


def _strategy(request):
    strategy = getattr(request, "_kompass_strategy", None) or selectors.current_strategy()
    request._kompass_strategy = strategy
    return strategy


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
    from kompass.portal.maps import district_map

    strategy = _strategy(request)
    items = list(selectors.districts_with_counts(strategy))
    return render(request, "portal/districts.html", {
        "districts": items, "map": district_map(items),
    })


@require_GET
def district(request, slug):
    from kompass.portal.maps import district_map

    strategy = _strategy(request)
    item = selectors.district_by_slug(strategy, slug)
    page = Paginator(measure_selectors.with_card_data(measure_selectors.measures_for_district(strategy, item)),
                     settings.KOMPASS_CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/district.html", {
        "district": item, "page": page, "map": district_map(list(strategy.districts.all()), highlight=item),
        "organisations": item.organisations.all(),
    })


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
    return render(request, "403.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)
