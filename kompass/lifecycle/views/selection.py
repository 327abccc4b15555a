"""Lifecycle views: selection. Thin: forms in, services for writes, selectors for reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompass.core.permissions import require
from kompass.lifecycle import forms as lf
from kompass.lifecycle import selectors, services
from kompass.lifecycle.models import Candidate
from kompass.lifecycle.views._common import form_post
from kompass.strategy.selectors import current_strategy


@require_GET
def candidate_list(request):
    strategy = current_strategy()
    status = request.GET.get("status", "")
    if status not in Candidate.Status.values:
        status = ""
    page = Paginator(selectors.candidates(strategy, status), 20).get_page(request.GET.get("page"))
    queue = (list(selectors.pending_candidates_for(request.user, strategy)[:50])
             if request.user.is_authenticated and request.user.is_reviewer else [])
    return render(request, "lifecycle/candidates.html", {"queue": queue,
        "page": page, "status": status, "statuses": Candidate.Status.choices,
        "can_submit": request.user.has_perm("lifecycle.submit_candidate"), "querystring": f"status={status}"})


@login_required
@require_http_methods(["GET", "POST"])
def candidate_new(request):
    strategy = current_strategy()
    require(request.user, "lifecycle.submit_candidate")
    form = lf.CandidateForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        candidate = services.candidate_submit(actor=request.user, strategy=strategy, **form.cleaned_data)
        messages.success(request, _("The candidate was submitted."))
        return redirect("lifecycle:candidate", slug=candidate.slug)
    return render(request, "lifecycle/candidate_new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _candidate_context(request, strategy, slug, **extra):
    candidate, scores, overall = selectors.candidate_detail(strategy, slug)
    criteria = [s.criterion for s in scores]
    can_assess = request.user.has_perm("lifecycle.assess_candidate", candidate)
    can_decide = request.user.has_perm("lifecycle.decide_candidate", candidate)
    own = selectors.own_assessments(candidate, request.user) if can_assess else {}
    return {
        "candidate": candidate, "scores": scores, "overall": overall, "can_assess": can_assess,
        "can_decide": can_decide, "has_own_assessment": bool(own),
        "assessors": selectors.assessor_count(candidate), "min_assessments": selectors.min_assessments(strategy),
        "assessment_form": extra.get("assessment_form") or (lf.AssessmentForm(criteria=criteria, initial=own)
                                                             if can_assess else None),
        "decision_form": extra.get("decision_form") or (lf.DecisionForm(strategy=strategy) if can_decide else None),
        "error": extra.get("error"),
    }


@require_GET
def candidate_detail(request, slug):
    strategy = current_strategy()
    return render(request, "lifecycle/candidate.html", _candidate_context(request, strategy, slug))


def _candidate_post(request, slug, *, perm: str, key: str, form, perform, success: str):
    """A write on a candidate page (`form_post`): errors show the page again with 400, the form as `key`."""
    strategy = current_strategy()
    candidate = get_object_or_404(Candidate, strategy=strategy, slug=slug)

    def redisplay(bound, error):
        return render(request, "lifecycle/candidate.html",
                      _candidate_context(request, strategy, slug, **{key: bound, "error": error}), status=400)

    def done():
        messages.success(request, success)
        return redirect("lifecycle:candidate", slug=slug)

    return form_post(request, candidate, perm=perm, form=lambda: form(strategy),
                     perform=lambda bound: perform(candidate, bound), redisplay=redisplay, done=done)


@login_required
@require_POST
def candidate_assess(request, slug):
    def perform(candidate, form):
        for criterion, score, why in form.scores:
            services.assessment_save(actor=request.user, candidate=candidate, criterion=criterion, score=score,
                                     justification=why)

    return _candidate_post(
        request, slug, perm="lifecycle.assess_candidate", key="assessment_form", perform=perform,
        form=lambda strategy: lf.AssessmentForm(request.POST, criteria=selectors.selection_criteria(strategy)),
        success=_("Your assessment was saved."))


@login_required
@require_POST
def candidate_decide(request, slug):
    return _candidate_post(
        request, slug, perm="lifecycle.decide_candidate", key="decision_form",
        form=lambda strategy: lf.DecisionForm(request.POST, strategy=strategy),
        perform=lambda candidate, form: services.candidate_decide(actor=request.user, candidate=candidate,
                                                                  **form.cleaned_data),
        success=_("The decision was recorded."))


# --- collaboration and the strategy office --------------------------------------------------------------------
