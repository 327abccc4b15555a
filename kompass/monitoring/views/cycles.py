"""Monitoring views: cycles. Thin: forms in, services for writes, selectors for reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompass.jobs.services import job_start
from kompass.measures import selectors as measure_selectors
from kompass.monitoring import selectors, services
from kompass.monitoring.decision_selectors import team_review, with_current_targets
from kompass.monitoring.forms import (
    CommentForm,
    CycleForm,
    DecisionForm,
    ReviewForm,
)
from kompass.monitoring.reports import report_html
from kompass.monitoring.tasks import cycle_report_task
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
    indicators = with_current_targets(selectors.measure_indicators(measure, with_status=True))
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
    return render(request, "monitoring/decision_form.html", {"form": form, "cycle": cyc, "measure": measure,
                                                             "review": team_review(cyc, measure)},
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
