"""Lifecycle views: description. Thin: forms in, services for writes, selectors for reads."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kompass.audit.selectors import latest_event_id
from kompass.core.expensive import expensive_response
from kompass.core.permissions import require
from kompass.lifecycle import forms as lf
from kompass.lifecycle import selectors, services
from kompass.lifecycle.views._common import (
    _measure,
)
from kompass.strategy.selectors import current_strategy


@require_GET
def description(request, slug):
    measure = _measure(slug)
    process = selectors.measure_process(measure)
    return render(request, "lifecycle/description.html", {
        "measure": measure, "version": process.description,
        "can_edit": request.user.has_perm("lifecycle.edit_description", measure)})


@login_required
@require_http_methods(["GET", "POST"])
def description_edit(request, slug):
    measure = _measure(slug)
    require(request.user, "lifecycle.edit_description", measure)
    current = selectors.measure_process(measure).description
    form = lf.DescriptionForm(request.POST or None, initial_sections=current.sections if current else {})
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data.pop("note")
        version = services.description_save(actor=request.user, measure=measure, sections=form.cleaned_data,
                                            note=note)
        messages.success(request, _("A new version was saved.") if version else _("Nothing changed."))
        return redirect("lifecycle:description", slug=measure.slug)
    return render(request, "lifecycle/description_edit.html", {"measure": measure, "form": form},
                  status=400 if request.method == "POST" else 200)


@require_GET
def description_history(request, slug):
    measure = _measure(slug)
    versions = selectors.description_history(measure)
    by_number = {v.number: v for v in versions}
    diff, new, old = None, None, None
    if versions:
        try:
            new = by_number.get(int(request.GET.get("to") or versions[0].number))
            old_number = int(request.GET.get("from") or (new.number - 1 if new else 0))
        except (TypeError, ValueError):
            new, old_number = None, 0
        if new is None:
            raise Http404
        old = by_number.get(old_number)
        diff = selectors.description_diff(old, new)
    return render(request, "lifecycle/description_history.html", {
        "measure": measure, "versions": versions, "diff": diff, "new": new, "old": old})


def _factsheet_html(request, measure, for_pdf=False):
    process = selectors.measure_process(measure)
    css = (Path(__file__).parent.parent / "static" / "lifecycle" / "factsheet.css").read_text(encoding="utf-8")
    return render_to_string("lifecycle/factsheet.html", {
        "measure": measure, "process": process, "for_pdf": for_pdf, "css": css}, request=request)


@require_GET
def factsheet(request, slug):
    return HttpResponse(_factsheet_html(request, _measure(slug)))


@require_GET
@expensive_response("pdf", version=latest_event_id)
def factsheet_pdf(request, slug):
    import weasyprint

    measure = _measure(slug)
    pdf = weasyprint.HTML(string=_factsheet_html(request, measure, for_pdf=True),
                          base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{measure.slug}-steckbrief.pdf"'
    return response


# --- lessons library ------------------------------------------------------------------------------------------

@require_GET
def lessons(request):
    strategy = current_strategy()
    q, tag, phase = (request.GET.get(k, "").strip()[:100] for k in ("q", "tag", "phase"))
    qs = selectors.lessons_library(strategy, q=q, tag=tag, phase=phase)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "lifecycle/lessons.html", {
        "page": page, "q": q, "tag": tag, "phase": phase, "phases": selectors.phases(strategy),
        "querystring": params.urlencode()})


# --- selection ------------------------------------------------------------------------------------------------
