from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kompass.measures import selectors as measure_selectors
from kompass.organisations import selectors
from kompass.organisations.models import Organisation
from kompass.strategy.selectors import current_strategy


@require_GET
def organisation_list(request):
    strategy = current_strategy()
    request._kompass_strategy = strategy
    kind = request.GET.get("kind") or None
    notice = None
    if kind and kind not in Organisation.Kind.values:
        notice, kind = kind, None
    page = Paginator(selectors.organisations_with_counts(strategy, kind), 50).get_page(request.GET.get("page"))
    return render(request, "organisations/list.html", {
        "page": page, "kinds": Organisation.Kind.choices, "kind": kind, "unknown_kind": notice,
    })


@require_GET
def organisation_detail(request, slug):
    strategy = current_strategy()
    request._kompass_strategy = strategy
    organisation = selectors.organisation_detail(strategy, slug)
    measures = measure_selectors.with_card_data(measure_selectors.measures_for_organisation(strategy, organisation))
    page = Paginator(measures, settings.KOMPASS_CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/detail.html", {"organisation": organisation, "page": page})
