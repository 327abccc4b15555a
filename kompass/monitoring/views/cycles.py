"""Monitoring views: cycles. Thin: forms in, services for writes, selectors for reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompass.jobs.services import job_start
from kompass.measures import selectors as measure_selectors
from kompass.monitoring import selectors, services
from kompass.monitoring.decision_selectors import team_review, with_current_targets, with_team_assessments
from kompass.monitoring.forms import (
    CommentForm,
    CycleForm,
    DecisionForm,
    ReviewForm,
)
from kompass.monitoring.reports import report_html
from kompass.monitoring.tasks import cycle_report_task
from kompass.monitoring.views._common import form_page
from kompass.strategy.selectors import strategy_for_request as _strategy


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
    return form_page(request, CycleForm(request.POST or None), "monitoring/cycle_form.html", {},
                     perform=lambda data: services.cycle_open(actor=request.user, strategy=strategy, **data),
                     done=lambda cycle: redirect("monitoring:cycle", slug=cycle.slug))


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


def _cycle_measure(request, slug, measure_slug, perm: str, on_measure: bool = True):
    """The cycle and the measure of a cycle page (404 when unknown); 403 unless the user holds `perm` (on the
    measure, or globally with `on_measure=False`)."""
    strategy = _strategy(request)
    cyc, measure = selectors.cycle_detail(strategy, slug), measure_selectors.measure_detail(strategy, measure_slug)
    if not request.user.has_perm(perm, *([measure] if on_measure else [])):
        raise PermissionDenied
    return cyc, measure


def _back_to(cyc):
    return lambda _result: redirect("monitoring:cycle", slug=cyc.slug)


@login_required
@require_http_methods(["GET", "POST"])
def review(request, slug, measure_slug):
    cyc, measure = _cycle_measure(request, slug, measure_slug, "monitoring.submit_review")
    form = ReviewForm(request.POST or None, goals=selectors.measure_goals(measure))
    return form_page(request, form, "monitoring/review_form.html", {"cycle": cyc, "measure": measure},
                     perform=lambda data: services.review_submit(
                         actor=request.user, cycle=cyc, measure=measure, learned=data["learned"],
                         proposed_changes=data["proposed_changes"], assessments=form.assessments()),
                     done=_back_to(cyc), success=_("The review was submitted."))


@login_required
@require_http_methods(["GET", "POST"])
def comment(request, slug, measure_slug):
    cyc, measure = _cycle_measure(request, slug, measure_slug, "monitoring.comment", on_measure=False)
    form = CommentForm(request.POST or None, groups=selectors.commenting_groups(request.user))
    return form_page(request, form, "monitoring/comment_form.html", {"cycle": cyc, "measure": measure},
                     perform=lambda data: services.comment_add(
                         actor=request.user, cycle=cyc, measure=measure, group=form.groups[data["group"]],
                         text=data["text"]),
                     done=_back_to(cyc), success=_("The comment was added."))


@login_required
@require_http_methods(["GET", "POST"])
def decision(request, slug, measure_slug):
    cyc, measure = _cycle_measure(request, slug, measure_slug, "monitoring.decide")
    review = team_review(cyc, measure)
    indicators = with_team_assessments(with_current_targets(selectors.measure_indicators(measure, with_status=True)),
                                       review)
    form = DecisionForm(request.POST or None, indicators=indicators)

    def perform(data):
        targets, methods = form.changes()
        services.decision_record(actor=request.user, cycle=cyc, measure=measure, kind=data["kind"],
                                 reason=data["reason"], new_targets=targets, new_methods=methods)

    return form_page(request, form, "monitoring/decision_form.html",
                     {"cycle": cyc, "measure": measure, "review": review},
                     perform=perform, done=_back_to(cyc), success=_("The decision was recorded."))


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
