from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompass.core import tabular
from kompass.jobs.services import job_start
from kompass.measures import selectors as measure_selectors
from kompass.measures.forms import CatalogueFilterForm
from kompass.monitoring import selectors, services
from kompass.monitoring.forms import (
    CommentForm,
    CycleForm,
    DecisionForm,
    GoalForm,
    IndicatorForm,
    MeasurementForm,
    ReviewForm,
    UploadForm,
)
from kompass.monitoring.labels import PRIMARY_COMPONENTS
from kompass.monitoring.reports import report_html
from kompass.monitoring.tasks import cycle_report_task
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
    csv_url = request.build_absolute_uri(reverse("monitoring:indicator_csv", args=[ind.slug]))
    page_url = request.build_absolute_uri(reverse("monitoring:indicator", args=[ind.slug]))
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


def _import_errors(exc):
    return [str(e) for e in exc.errors]


@login_required
@require_http_methods(["GET", "POST"])
def measurement_add(request, slug):
    strategy = _strategy(request)
    ind = selectors.indicator_detail(strategy, slug)
    if not request.user.has_perm("monitoring.change_monitoring", ind.measure):
        raise PermissionDenied
    districts = selectors.districts(strategy)
    form = MeasurementForm(request.POST or None, indicator=ind, districts=districts)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.measurements_import(actor=request.user, strategy=strategy, rows=[form.row(ind)],
                                         measure=ind.measure, source="form")
        except services.ImportRejected as exc:
            errors = _import_errors(exc)
        else:
            messages.success(request, _("The value was saved."))
            return redirect("monitoring:indicator", slug=ind.slug)
    return render(request, "monitoring/measurement_form.html", {"form": form, "ind": ind, "errors": errors},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, slug):
    """Upload a CSV/XLSX file: a background job checks every row and imports all or nothing; `?job=` shows its
    result (counts or row errors) on this page."""
    strategy = _strategy(request)
    measure = measure_selectors.measure_detail(strategy, slug)
    if not request.user.has_perm("monitoring.change_monitoring", measure):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.measurements_upload_start(actor=request.user, strategy=strategy, measure=measure,
                                                 upload=form.cleaned_data["file"])
        return redirect("jobs:detail", pk=job.pk)
    report = selectors.upload_report(request.user, request.GET.get("job"))
    errors = [str(services.RowError(**e)) for e in report["errors"]] if report else []
    indicators = selectors.measure_indicators(measure)
    return render(request, "monitoring/upload.html", {
        "form": form, "measure": measure, "errors": errors, "report": report,
        "result": report if report and not report["n_errors"] else None, "indicators": indicators,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, slug, goal_slug=None):
    """Create a goal (goal_slug None) or edit one; the measure's team and the strategy office."""
    strategy = _strategy(request)
    measure = measure_selectors.measure_detail(strategy, slug)
    if not request.user.has_perm("monitoring.change_monitoring", measure):
        raise PermissionDenied
    goal = None
    if goal_slug:
        goal = selectors.goal_of(measure, goal_slug)
    initial = {f: getattr(goal, f) for f in ("level", "title", "title_en", "assumption", "assumption_en")} \
        if goal else {}
    form = GoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        new_slug = goal.slug if goal else _free_slug(form.cleaned_data["title"],
                                                     set(measure.monitoring_goals.values_list("slug", flat=True)))
        try:
            services.goal_save(actor=request.user, measure=measure, slug=new_slug,
                               data={**form.cleaned_data, "position": goal.position if goal else
                                     measure.monitoring_goals.count()})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The goal was saved."))
            return redirect("portal:measure", slug=measure.slug)
    return render(request, "monitoring/goal_form.html", {"form": form, "measure": measure, "goal": goal},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def inputs_edit(request, slug):
    """Edit the inputs of a measure's impact chain; the measure's team and the strategy office."""
    from kompass.monitoring.forms import InputsForm

    strategy = _strategy(request)
    measure = measure_selectors.measure_detail(strategy, slug)
    if not request.user.has_perm("monitoring.change_monitoring", measure):
        raise PermissionDenied
    current = "\n".join(f"{i.text} | {i.text_en}" if i.text_en else i.text
                         for i in measure.monitoring_inputs.all())
    form = InputsForm(request.POST or None, initial={"inputs": current})
    if request.method == "POST" and form.is_valid():
        services.inputs_set(actor=request.user, measure=measure, texts=form.cleaned_data["inputs"])
        messages.success(request, _("The inputs were saved."))
        return redirect("portal:measure", slug=measure.slug)
    return render(request, "monitoring/inputs_form.html", {"form": form, "measure": measure},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request, slug, goal_slug):
    strategy = _strategy(request)
    measure = measure_selectors.measure_detail(strategy, slug)
    if not request.user.has_perm("monitoring.change_monitoring", measure):
        raise PermissionDenied
    goal = selectors.goal_of(measure, goal_slug)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target = (data.pop("target_value"), data.pop("target_date"))
        taken = selectors.indicator_slugs_like(slugify(data["name"])[:100])
        try:
            indicator = services.indicator_create_with_target(
                actor=request.user, goal=goal, slug=_free_slug(data["name"], taken),
                data={**data, "responsible_organisation": measure.responsible_organisation,
                      "position": goal.indicators.count()}, target=target)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("monitoring:indicator", slug=indicator.slug)
    return render(request, "monitoring/indicator_form.html", {"form": form, "measure": measure, "goal": goal},
                  status=400 if request.method == "POST" else 200)


EDITABLE_INDICATOR_FIELDS = ["name", "definition", "unit", "direction", "baseline_value", "baseline_date",
                             "natural_limit", "data_source", "cadence", "by_district"]


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, slug):
    """Correct an indicator's description and baseline. Targets and methods change only with a reason:
    as a new target version or a method change (e.g. a decision of an evaluation cycle), never by overwriting."""
    indicator = selectors.indicator_for_edit(slug)
    if not request.user.has_perm("monitoring.change_monitoring", indicator.measure):
        raise PermissionDenied
    initial = {field: getattr(indicator, field) for field in EDITABLE_INDICATOR_FIELDS}
    form = IndicatorForm(request.POST or None, initial=initial)
    for field in ("target_value", "target_date", "method"):
        del form.fields[field]
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(actor=request.user, goal=indicator.goal, slug=indicator.slug,
                                    data={f: form.cleaned_data[f] for f in EDITABLE_INDICATOR_FIELDS})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect("monitoring:indicator", slug=indicator.slug)
    return render(request, "monitoring/indicator_form.html",
                  {"form": form, "measure": indicator.measure, "goal": indicator.goal, "indicator": indicator},
                  status=400 if request.method == "POST" else 200)


def _free_slug(text: str, taken: set) -> str:
    base = slugify(text)[:100] or "ziel"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# --------------------------------------------------------------------------------------------- cycles

@require_GET
def cycle_list(request):
    strategy = _strategy(request)
    return render(request, "monitoring/cycle_list.html", {
        "cycles": selectors.cycles(strategy), "can_manage": request.user.has_perm("monitoring.manage_cycles")})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request):
    strategy = _strategy(request)
    if not request.user.has_perm("monitoring.manage_cycles"):
        raise PermissionDenied
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_open(actor=request.user, strategy=strategy, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("monitoring:cycle", slug=cycle.slug)
    return render(request, "monitoring/cycle_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@require_GET
def cycle(request, slug):
    strategy = _strategy(request)
    cyc = selectors.cycle_detail(strategy, slug)
    view = selectors.cycle_view(cyc)
    user = request.user
    return render(request, "monitoring/cycle.html", {
        "cycle": cyc, "view": view, "can_manage": user.has_perm("monitoring.manage_cycles"),
        "can_comment": user.has_perm("monitoring.comment"), "can_report": user.has_perm("monitoring.run_report"),
        "measures": list(measure_selectors.catalogue(strategy, measure_selectors.CatalogueQuery()).filter(
            monitoring_goals__isnull=False).distinct().only("id", "slug", "title", "title_en",
                                                            "responsible_organisation_id")),
    })


@login_required
@require_POST
def cycle_close(request, slug):
    strategy = _strategy(request)
    cyc = selectors.cycle_detail(strategy, slug)
    services.cycle_close(actor=request.user, cycle=cyc)
    messages.success(request, _("The cycle was closed."))
    return redirect("monitoring:cycle", slug=cyc.slug)


def _cycle_measure(request, slug, measure_slug):
    strategy = _strategy(request)
    return selectors.cycle_detail(strategy, slug), measure_selectors.measure_detail(strategy, measure_slug)


@login_required
@require_http_methods(["GET", "POST"])
def review(request, slug, measure_slug):
    cyc, measure = _cycle_measure(request, slug, measure_slug)
    if not request.user.has_perm("monitoring.submit_review", measure):
        raise PermissionDenied
    goals = selectors.measure_goals(measure)
    form = ReviewForm(request.POST or None, goals=goals)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_submit(actor=request.user, cycle=cyc, measure=measure,
                                   learned=form.cleaned_data["learned"],
                                   proposed_changes=form.cleaned_data["proposed_changes"],
                                   assessments=form.assessments())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The review was submitted."))
            return redirect("monitoring:cycle", slug=cyc.slug)
    return render(request, "monitoring/review_form.html", {"form": form, "cycle": cyc, "measure": measure},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def comment(request, slug, measure_slug):
    cyc, measure = _cycle_measure(request, slug, measure_slug)
    if not request.user.has_perm("monitoring.comment"):
        raise PermissionDenied
    form = CommentForm(request.POST or None, groups=selectors.commenting_groups(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_add(actor=request.user, cycle=cyc, measure=measure,
                                 group=form.groups[form.cleaned_data["group"]], text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The comment was added."))
            return redirect("monitoring:cycle", slug=cyc.slug)
    return render(request, "monitoring/comment_form.html", {"form": form, "cycle": cyc, "measure": measure},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def decision(request, slug, measure_slug):
    cyc, measure = _cycle_measure(request, slug, measure_slug)
    if not request.user.has_perm("monitoring.decide", measure):
        raise PermissionDenied
    indicators = selectors.measure_indicators(measure, with_status=True)
    form = DecisionForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        targets, methods = form.changes()
        try:
            services.decision_record(actor=request.user, cycle=cyc, measure=measure,
                                     kind=form.cleaned_data["kind"], reason=form.cleaned_data["reason"],
                                     new_targets=targets, new_methods=methods)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("monitoring:cycle", slug=cyc.slug)
    return render(request, "monitoring/decision_form.html", {"form": form, "cycle": cyc, "measure": measure},
                  status=400 if request.method == "POST" else 200)


@require_GET
def report(request, slug):
    strategy = _strategy(request)
    cyc = selectors.cycle_detail(strategy, slug)
    return HttpResponse(report_html(cyc))


@login_required
@require_POST
def report_pdf(request, slug):
    strategy = _strategy(request)
    cyc = selectors.cycle_detail(strategy, slug)
    if not request.user.has_perm("monitoring.run_report"):
        raise PermissionDenied
    job = job_start(actor=request.user, kind="monitoring.report", title=_("Monitoring report %(name)s")
                    % {"name": cyc.name}, task=cycle_report_task,
                    args=[cyc.pk, translation.get_language() or "de"])
    return redirect("jobs:detail", pk=job.pk)
