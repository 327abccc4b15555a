from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kompass.accounts.models import Membership
from kompass.core import fragments, tabular
from kompass.core.text import german_slug
from kompass.measures import pages, selectors
from kompass.measures.forms import CatalogueFilterForm, MeasureForm
from kompass.measures.models import Measure
from kompass.measures.services import MeasureRelations, measure_create, measure_update
from kompass.organisations.models import Organisation
from kompass.strategy.selectors import strategy_for_request as _strategy


@require_GET
def catalogue(request):
    strategy = _strategy(request)
    # Only the results for an HTMX filter request; the whole page for everything else, including htmx restoring
    # a history entry (the back button), so the filters shown always match the address (ADR 0073).
    partial = bool(request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"))

    def content() -> str:
        options = selectors.CatalogueOptions(strategy)
        query = selectors.parse_catalogue_params(request.GET, options)
        qs = selectors.with_card_data(selectors.catalogue(strategy, query))
        page = Paginator(qs, settings.KOMPASS_CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        context = {
            "form": CatalogueFilterForm(request.GET, options), "query": query, "page": page,
            "querystring": params.urlencode(),
        }
        return render_to_string("measures/_results.html" if partial else "measures/_catalogue_main.html", context,
                                request=request)

    # The same for everybody with the same parameters: shared until the next write (ADR 0044).
    key = [strategy.pk, sorted(request.GET.lists()), partial]
    if partial:
        response = HttpResponse(fragments.cached_fragment("measures.catalogue", key, content))
    else:  # the whole page, shared by every visitor with the same frame (ADR 0083)
        response = fragments.cached_page(request, "measures.catalogue", key, lambda extra: render(
            request, "measures/catalogue.html",
            {"main": fragments.cached_fragment("measures.catalogue", key, content), **extra}))
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


@require_GET
def catalogue_csv(request):
    strategy = _strategy(request)
    options = selectors.CatalogueOptions(strategy)
    query = selectors.parse_catalogue_params(request.GET, options)
    qs = selectors.with_card_data(selectors.catalogue(strategy, query)).prefetch_related("involved_organisations")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{strategy.slug}-measures.csv"'
    header = ["slug", "title", "title_en", "type", "status", "responsible_organisation", "involved_organisations",
              "districts", "action_fields", "start", "end", "pilot", "example", "summary"]
    tabular.write_csv_to(response, header, ([
        m.slug, m.title, m.title_en, m.measure_type, m.status, m.responsible_organisation.name,
        "; ".join(o.name for o in m.involved_organisations.all()), "; ".join(d.name for d in m.districts.all()),
        "; ".join(a.name for a in m.action_fields.all()), m.start_date or "", m.end_date or "",
        "yes" if m.is_pilot else "no", "yes" if m.is_example else "no", m.summary,
    ] for m in qs.iterator(chunk_size=500)))
    return response


@require_GET
def detail(request, slug):
    strategy = _strategy(request)
    if request.GET.get("sprache") == "leicht":
        measure = selectors.measure_head(strategy, slug)
        if measure.title_ls or measure.summary_ls or measure.description_ls:
            # Leichte Sprache is German: the whole page (headings, labels, sentences) is rendered in it (ADR 0073).
            with translation.override("de"):
                return render(request, "measures/detail_easy.html",
                              {"measure": selectors.with_detail_relations(measure)})
    flags = _personal_flags(request, strategy, slug)
    can_edit = flags["measures.change_measure"]

    def page(extra: dict):
        # Everything read here is read after the cache generation (kompass.core.fragments), never older data.
        measure = selectors.measure_head(strategy, slug)

        def content() -> str:
            # A fragment reads after its own generation read (kompass.core.fragments), not the row read above.
            fresh = selectors.measure_detail(strategy, slug) if enabled else selectors.with_detail_relations(measure)
            return render_to_string("measures/_detail_main.html", {
                "measure": fresh, "related": selectors.related_measures(fresh), "easy": False, "can_edit": can_edit,
                **fragments.csrf_placeholder()}, request=request)

        # The content is the same for every account with the same permissions on the measure (their sections'
        # forms hold the CSRF token as a placeholder): shared (ADR 0044, 0083).
        main = fragments.cached_fragment("measures.detail", [strategy.pk, slug, *sorted(flags.items())], content)
        return render(request, "measures/detail.html", {"measure": measure, "main": main, "easy": False,
                                                        "can_edit": can_edit, **extra})

    enabled = fragments.enabled()
    # The whole page, shared by every visitor with the same permissions and frame (ADR 0083).
    return fragments.cached_page(request, "measures.detail", [strategy.pk, slug, *sorted(flags.items())], page)


def _personal_flags(request, strategy, slug) -> dict[str, bool]:
    """The page's permissions of the visitor on the measure; for an account cached per account state until the next
    committed write (ADR 0044), computed from the measure and roles read after the generation."""
    user = request.user
    if not user.is_authenticated:
        return pages.personal_flags(user, selectors.measure_head(strategy, slug))

    def compute() -> dict[str, bool]:
        from kompass.accounts import roles

        roles.forget(user)
        return pages.personal_flags(user, selectors.measure_head(strategy, slug))

    return fragments.cached_value("measures.flags", [strategy.pk, slug, *fragments.account_state(user)], compute)


def _editable_organisations(user, strategy):
    orgs = Organisation.objects.filter(strategy=strategy)
    if user.has_perm("strategy.edit_framework"):
        return orgs
    return orgs.filter(memberships__user=user, memberships__role=Membership.Role.COORDINATOR)


def _save(form, *, actor, strategy, measure=None):
    data = {name: form.cleaned_data[name] for name in form.Meta.fields
            if name not in ("involved_organisations", "districts", "action_fields")}
    relations = MeasureRelations(
        involved_organisations=list(form.cleaned_data["involved_organisations"]),
        districts=list(form.cleaned_data["districts"]), action_fields=list(form.cleaned_data["action_fields"]),
    )
    if measure is None:
        base = german_slug(data["title"], fallback="massnahme")
        slug, n = base, 2
        while Measure.objects.filter(strategy=strategy, slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return measure_create(actor=actor, strategy=strategy, slug=slug, data=data, relations=relations)
    measure_update(actor=actor, measure=measure, data=data, relations=relations)
    return measure


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    strategy = _strategy(request)
    measure = selectors.measure_detail(strategy, slug)
    if not request.user.has_perm("measures.change_measure", measure):
        raise PermissionDenied
    form = MeasureForm(request.POST or None, instance=measure, strategy=strategy,
                       organisations=_editable_organisations(request.user, strategy))
    if request.method == "POST" and form.is_valid():
        # The form wrote the cleaned values onto the instance; the service compares against the database.
        fresh = selectors.measure_detail(strategy, slug)
        _save(form, actor=request.user, strategy=strategy, measure=fresh)
        from django.contrib import messages

        messages.success(request, _("The measure was saved."))
        return redirect("measures:measure", slug=fresh.slug)
    return render(request, "measures/edit.html", {"form": form, "measure": measure},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    strategy = _strategy(request)
    if not request.user.has_perm("measures.add_measure"):
        raise PermissionDenied
    form = MeasureForm(request.POST or None, strategy=strategy,
                       organisations=_editable_organisations(request.user, strategy))
    if request.method == "POST" and form.is_valid():
        measure = _save(form, actor=request.user, strategy=strategy)
        return redirect("measures:measure", slug=measure.slug)
    return render(request, "measures/edit.html", {"form": form, "measure": None},
                  status=400 if request.method == "POST" else 200)
