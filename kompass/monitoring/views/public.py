"""Monitoring views: public. Thin: forms in, services for writes, selectors for reads."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from kompass.core import tabular
from kompass.core.urls import absolute_url
from kompass.measures import selectors as measure_selectors
from kompass.measures.forms import CatalogueFilterForm
from kompass.monitoring import selectors, updates
from kompass.monitoring.labels import PRIMARY_COMPONENTS
from kompass.strategy.selectors import strategy_for_request as _strategy


@require_GET
def dashboard(request):
    strategy = _strategy(request)
    options = measure_selectors.CatalogueOptions(strategy)
    query = measure_selectors.parse_catalogue_params(request.GET, options)
    phases = selectors.lifecycle_phases(strategy)
    qs = selectors.dashboard_measures(measure_selectors.catalogue(strategy, query), with_phase=bool(phases))
    page = Paginator(qs, getattr(settings, "KOMPASS_MONITORING_PAGE_SIZE", 50)).get_page(request.GET.get("page"))
    for m in page.object_list if phases else []:
        lifecycle = getattr(m, "lifecycle", None)
        m.phase = lifecycle.phase if lifecycle else phases[0]
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "monitoring/dashboard.html", {
        "form": CatalogueFilterForm(request.GET, options), "query": query, "page": page,
        "querystring": params.urlencode(), "aggregates": selectors.aggregates(strategy), "phases": phases,
        "counts": selectors.status_counts(strategy), "figures": selectors.strategy_figures(strategy),
    })


def _components(status):
    if status is None:
        return [], []
    comps = status.components or {}
    primary = [(key, comps[key]) for key in PRIMARY_COMPONENTS if comps.get(key) is not None]
    rest = [(key, value) for key, value in sorted(comps.items()) if key not in PRIMARY_COMPONENTS]
    return primary, rest


@require_GET
def indicator(request, slug):
    strategy = _strategy(request)
    page = selectors.indicator_page(strategy, slug)
    primary, rest = _components(page.status)
    district_map = None
    if page.districts:
        from kompass.strategy.maps import district_map as make_map

        values = {d.pk: m for d, m in page.districts}
        shapes = selectors.districts(strategy, ids=values)
        for d in shapes:
            d.measure_count = None
        district_map = make_map(shapes)
    return render(request, "monitoring/indicator.html", {
        "p": page, "ind": page.indicator, "rows": selectors.measurement_rows(page.indicator, page.measurements),
        "primary": primary, "rest": rest, "map": district_map,
        "update": updates.update_state(
            page.indicator, latest_period=max((m.period for m in page.measurements), default=None),
            last_entered=max((m.entered_at for m in page.measurements), default=None)),
        "can_edit": request.user.has_perm("monitoring.change_monitoring", page.indicator.measure),
    })


@require_GET
def indicator_csv(request, slug):
    strategy = _strategy(request)
    ind = selectors.indicator_detail(strategy, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ind.slug}.csv"'
    # through the shared writer: unit and source note are typed by people, so the formula guard applies; the
    # value stays a number (a negative value is no formula and is not guarded)
    rows = ([ind.slug, m.period.isoformat(), m.value if m.value % 1 else int(m.value), ind.unit,
             m.district.slug if m.district else "", "yes" if m.is_provisional else "no", m.source_note]
            for m in ind.measurements.select_related("district").order_by("district__slug", "period").iterator(
                chunk_size=2000))
    tabular.write_csv_to(response, ["indicator", "period", "value", "unit", "district", "provisional",
                                    "source_note"], rows)
    return response


@require_GET
def indicator_datapackage(request, slug):
    """Frictionless Data package descriptor for the indicator's CSV."""
    strategy = _strategy(request)
    ind = selectors.indicator_detail(strategy, slug)
    # the site's public address (KOMPASS_SITE_URL), not the Host header of whoever asked (ADR 0076)
    csv_url = absolute_url(reverse("monitoring:indicator_csv", args=[ind.slug]), request)
    page_url = absolute_url(reverse("monitoring:indicator", args=[ind.slug]), request)
    descriptor = {
        "profile": "tabular-data-package", "name": ind.slug, "title": ind.name, "description": ind.definition,
        "homepage": page_url,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "sources": [{"title": ind.data_source}] if ind.data_source else [],
        "keywords": [strategy.name, ind.measure.title],
        "resources": [{
            "profile": "tabular-data-resource", "name": ind.slug.replace("_", "-"), "path": csv_url,
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [
                {"name": "indicator", "type": "string"},
                {"name": "period", "type": "date", "description": "Start of the period"},
                {"name": "value", "type": "number", "description": f"Unit: {ind.unit}"},
                {"name": "unit", "type": "string"},
                {"name": "district", "type": "string", "description": "District slug; empty = whole city"},
                {"name": "provisional", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
                {"name": "source_note", "type": "string"},
            ]},
        }],
    }
    response = JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="datapackage.json"'
    return response
