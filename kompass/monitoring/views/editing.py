"""Monitoring views: editing. Thin: forms in, services for writes, selectors for reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kompass.core.text import german_slug
from kompass.lifecycle import selectors as lifecycle_selectors
from kompass.monitoring import selectors, services
from kompass.monitoring.forms import (
    GoalForm,
    IndicatorForm,
    MeasurementForm,
    UploadForm,
)
from kompass.monitoring.views._common import editable_measure, form_page
from kompass.strategy.selectors import strategy_for_request as _strategy


def _to_measure(measure):
    return lambda _result: redirect("measures:measure", slug=measure.slug)


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
    strategy, measure = editable_measure(request, slug)
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
    measure = editable_measure(request, slug)[1]
    goal = None
    if goal_slug:
        goal = selectors.goal_of(measure, goal_slug)
    initial = {f: getattr(goal, f) for f in ("level", "title", "title_en", "assumption", "assumption_en")} \
        if goal else {}

    def perform(data):
        new_slug = goal.slug if goal else _free_slug(data["title"],
                                                     set(measure.monitoring_goals.values_list("slug", flat=True)))
        services.goal_save(actor=request.user, measure=measure, slug=new_slug,
                           data={**data, "position": goal.position if goal else measure.monitoring_goals.count()})

    return form_page(request, GoalForm(request.POST or None, initial=initial), "monitoring/goal_form.html",
                     {"measure": measure, "goal": goal}, perform=perform, done=_to_measure(measure),
                     success=_("The goal was saved."))


@login_required
@require_http_methods(["GET", "POST"])
def inputs_edit(request, slug):
    """Edit the inputs of a measure's impact chain; the measure's team and the strategy office."""
    from kompass.monitoring.forms import InputsForm

    measure = editable_measure(request, slug)[1]
    current = "\n".join(f"{i.text} | {i.text_en}" if i.text_en else i.text
                         for i in measure.monitoring_inputs.all())
    return form_page(request, InputsForm(request.POST or None, initial={"inputs": current}),
                     "monitoring/inputs_form.html", {"measure": measure},
                     perform=lambda data: services.inputs_set(actor=request.user, measure=measure,
                                                              texts=data["inputs"]),
                     done=_to_measure(measure), success=_("The inputs were saved."))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request, slug, goal_slug):
    measure = editable_measure(request, slug)[1]
    goal = selectors.goal_of(measure, goal_slug)

    def perform(cleaned):
        data = dict(cleaned)
        target = (data.pop("target_value"), data.pop("target_date"))
        taken = selectors.indicator_slugs_like(german_slug(data["name"]))
        return services.indicator_create_with_target(
            actor=request.user, goal=goal, slug=_free_slug(data["name"], taken),
            data={**data, "responsible_organisation": measure.responsible_organisation,
                  "position": goal.indicators.count()}, target=target)

    return form_page(request, IndicatorForm(request.POST or None), "monitoring/indicator_form.html",
                     {"measure": measure, "goal": goal}, perform=perform,
                     done=lambda indicator: redirect("monitoring:indicator", slug=indicator.slug))


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
    initial["baseline_date"] = (indicator.baseline_date, indicator.baseline_date_precision)  # as entered
    initial["owner"] = str(indicator.owner_id or "")
    form = IndicatorForm(request.POST or None, initial=initial, team=lifecycle_selectors.team(indicator.measure))
    for field in ("target_value", "target_date", "method"):
        del form.fields[field]
    def perform(data):
        services.indicator_save(actor=request.user, goal=indicator.goal, slug=indicator.slug,
                                data={f: data[f] for f in EDITABLE_INDICATOR_FIELDS})
        services.indicator_owner_set(actor=request.user, indicator=indicator, owner=data["owner"])

    return form_page(request, form, "monitoring/indicator_form.html",
                     {"measure": indicator.measure, "goal": indicator.goal, "indicator": indicator},
                     perform=perform,
                     done=lambda _result: redirect("monitoring:indicator", slug=indicator.slug),
                     success=_("The indicator was saved."))


def _free_slug(text: str, taken: set) -> str:
    base = german_slug(text, fallback="ziel")
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# --------------------------------------------------------------------------------------------- cycles
