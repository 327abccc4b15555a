"""Pages of the implementation process and of selection. Thin: forms in, services for writes, selectors for reads."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompass.audit.selectors import latest_event_id
from kompass.core.expensive import expensive_response
from kompass.core.permissions import require
from kompass.lifecycle import forms as lf
from kompass.lifecycle import selectors, services, spreadsheets
from kompass.lifecycle.models import Attachment, Candidate, Milestone, TeamMember
from kompass.lifecycle.uploads import attachment_max_bytes
from kompass.measures.selectors import measure_detail
from kompass.strategy.selectors import current_strategy


def _measure(slug):
    return measure_detail(current_strategy(), slug)


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _workspace_context(request, measure, **forms):
    strategy = measure.strategy
    data = selectors.workspace(measure)
    process = data["process"]
    user = request.user
    can = {name: user.has_perm(f"lifecycle.{name}", measure) for name in (
        "move_phase", "override_gate", "manage_team", "record_mandate", "write_logbook", "edit_description",
        "manage_milestones", "add_lesson", "mark_replication")}
    context = {
        "measure": measure, **data, "can": can,
        "transition_form": forms.get("transition") or lf.TransitionForm(
            phases=process.phases, current=process.phase, criteria=data["criteria"],
            can_override=can["override_gate"]),
        "team_form": forms.get("team") or lf.TeamMemberForm(strategy=strategy),
        "mandate_form": forms.get("mandate") or lf.MandateForm(),
        "logbook_form": forms.get("logbook") or lf.LogbookForm(strategy=strategy, formats=data["formats"]),
        "milestone_form": forms.get("milestone") or lf.MilestoneForm(team=data["team"]),
        "lesson_form": forms.get("lesson") or lf.LessonForm(),
        "replication_form": forms.get("replication") or lf.ReplicationForm(
            measure=measure, initial={"original": process.lifecycle.replication_of.slug
                                      if process.lifecycle and process.lifecycle.replication_of else ""}),
        "error": forms.get("error"),
    }
    return context


@login_required
@require_GET
def workspace(request, slug):
    measure = _measure(slug)
    require(request.user, "lifecycle.view_workspace", measure)
    return render(request, "lifecycle/workspace.html", _workspace_context(request, measure))


def _redisplay(request, measure, key, form, error=None):
    context = _workspace_context(request, measure, **{key: form, "error": error})
    return render(request, "lifecycle/workspace.html", context, status=400)


def _done(request, measure, text):
    messages.success(request, text)
    return redirect("lifecycle:workspace", slug=measure.slug)


def _workspace_post(request, slug, *, perm: str, perform, success: str, key: str = "", form=None,
                    error_field: str | None = None, load=None):
    """The one shape of every write on the team workspace: load the measure (and `load(measure)`, 404 first),
    `require` the permission (403), bind `form(measure)` and run `perform(measure, data)` with its cleaned data
    (or with the loaded object). An invalid form or a ValidationError shows the workspace again with 400: the
    error goes to `error_field` of the form, or above the forms."""
    measure = _measure(slug)
    obj = load(measure) if load is not None else None
    require(request.user, perm, measure)
    bound = form(measure) if form is not None else None
    if bound is not None and not bound.is_valid():
        return _redisplay(request, measure, key, bound)
    try:
        perform(measure, bound.cleaned_data if bound is not None else obj)
    except ValidationError as exc:
        if error_field:
            bound.add_error(error_field, _error_text(exc))
            return _redisplay(request, measure, key, bound)
        return _redisplay(request, measure, key, bound, _error_text(exc))
    return _done(request, measure, success)


@login_required
@require_POST
def transition(request, slug):
    def form(measure):
        process = selectors.measure_process(measure)
        return lf.TransitionForm(request.POST, phases=process.phases, current=process.phase,
                                 criteria=selectors.workspace(measure)["criteria"],
                                 can_override=request.user.has_perm("lifecycle.override_gate", measure))

    def perform(measure, data):
        target = data["to_phase"]
        to_phase = None if target == lf.COMPLETE else next(p for p in selectors.phases(measure.strategy_id)
                                                           if p.slug == target)
        services.phase_move(actor=request.user, measure=measure, to_phase=to_phase, reason=data["reason"],
                            override=data.get("override", False), confirmed=data.get("confirmed", []))

    return _workspace_post(request, slug, perm="lifecycle.move_phase", key="transition", form=form,
                           perform=perform, success=_("The phase was changed."))


@login_required
@require_POST
def team_add(request, slug):
    return _workspace_post(
        request, slug, perm="lifecycle.manage_team", key="team",
        form=lambda measure: lf.TeamMemberForm(request.POST, strategy=measure.strategy),
        perform=lambda measure, data: services.team_member_set(
            actor=request.user, measure=measure, user=data["user"], role=data["role"],
            organisation=data["organisation"]),
        success=_("The team was updated."))


@login_required
@require_POST
def team_remove(request, slug, member_id):
    return _workspace_post(
        request, slug, perm="lifecycle.manage_team",
        load=lambda measure: get_object_or_404(TeamMember, pk=member_id, measure=measure),
        perform=lambda measure, member: services.team_member_remove(actor=request.user, member=member),
        success=_("The team was updated."))


@login_required
@require_POST
def mandate(request, slug):
    return _workspace_post(
        request, slug, perm="lifecycle.record_mandate", key="mandate",
        form=lambda measure: lf.MandateForm(request.POST),
        perform=lambda measure, data: services.mandate_record(actor=request.user, measure=measure, **data),
        success=_("The mandate was recorded."))


LOGBOOK_FIELDS = ("meeting_format", "held_on", "organisations", "outcomes", "decisions")


@login_required
@require_POST
def logbook(request, slug):
    return _workspace_post(
        request, slug, perm="lifecycle.write_logbook", key="logbook", error_field="attachments",
        form=lambda measure: lf.LogbookForm(request.POST, request.FILES, strategy=measure.strategy,
                                            formats=selectors.meeting_formats(measure.strategy_id)),
        perform=lambda measure, data: services.logbook_entry_create(
            actor=request.user, measure=measure, files=data["attachments"], **{k: data[k] for k in LOGBOOK_FIELDS}),
        success=_("The logbook entry was saved."))


@login_required
@require_POST
def milestone_add(request, slug):
    return _workspace_post(
        request, slug, perm="lifecycle.manage_milestones", key="milestone",
        form=lambda measure: lf.MilestoneForm(request.POST, team=selectors.team(measure)),
        perform=lambda measure, data: services.milestone_create(actor=request.user, measure=measure, **data),
        success=_("The milestone was added."))


@login_required
@require_POST
def milestone_done(request, slug, milestone_id):
    return _workspace_post(
        request, slug, perm="lifecycle.manage_milestones",
        load=lambda measure: get_object_or_404(Milestone, pk=milestone_id, measure=measure),
        perform=lambda measure, milestone: services.milestone_done(actor=request.user, milestone=milestone),
        success=_("The milestone is done."))


@login_required
@require_POST
def lesson_add(request, slug):
    return _workspace_post(
        request, slug, perm="lifecycle.add_lesson", key="lesson", form=lambda measure: lf.LessonForm(request.POST),
        perform=lambda measure, data: services.lesson_create(actor=request.user, measure=measure, **data),
        success=_("The lesson was published."))


@login_required
@require_POST
def replication(request, slug):
    return _workspace_post(
        request, slug, perm="lifecycle.mark_replication", key="replication",
        form=lambda measure: lf.ReplicationForm(request.POST, measure=measure),
        perform=lambda measure, data: services.replication_set(actor=request.user, measure=measure,
                                                               original=data["original"]),
        success=_("The replication was saved."))


@login_required
@require_GET
def attachment(request, attachment_id):
    item = get_object_or_404(Attachment.objects.select_related("entry__measure__responsible_organisation"),
                             pk=attachment_id)
    require(request.user, "lifecycle.view_attachment", item.entry.measure)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=item.original_name,
                            content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- description ----------------------------------------------------------------------------------------------

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
    css = (Path(__file__).parent / "static" / "lifecycle" / "factsheet.css").read_text(encoding="utf-8")
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
    return {
        "candidate": candidate, "scores": scores, "overall": overall, "can_assess": can_assess,
        "can_decide": can_decide,
        "assessment_form": extra.get("assessment_form") or (lf.AssessmentForm(criteria=criteria)
                                                             if can_assess else None),
        "decision_form": extra.get("decision_form") or (lf.DecisionForm(strategy=strategy) if can_decide else None),
        "error": extra.get("error"),
    }


@require_GET
def candidate_detail(request, slug):
    strategy = current_strategy()
    return render(request, "lifecycle/candidate.html", _candidate_context(request, strategy, slug))


def _candidate_post(request, slug, *, perm: str, key: str, form, perform, success: str):
    """The one shape of a write on a candidate page: load, `require`, bind, run; errors show the page with 400."""
    strategy = current_strategy()
    candidate = get_object_or_404(Candidate, strategy=strategy, slug=slug)
    require(request.user, perm, candidate)
    bound = form(strategy)
    if not bound.is_valid():
        return render(request, "lifecycle/candidate.html",
                      _candidate_context(request, strategy, slug, **{key: bound}), status=400)
    try:
        perform(candidate, bound)
    except ValidationError as exc:
        return render(request, "lifecycle/candidate.html", _candidate_context(
            request, strategy, slug, **{key: bound, "error": _error_text(exc)}), status=400)
    messages.success(request, success)
    return redirect("lifecycle:candidate", slug=slug)


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

@require_GET
def collaboration(request):
    strategy = current_strategy()
    data = selectors.collaboration(strategy)
    return render(request, "lifecycle/collaboration.html", {
        **data, "svg": selectors.network_svg(data["nodes"], data["edges"], data["degree"]),
        "trees": selectors.replication_trees(strategy)})


@login_required
@require_GET
def overview(request):
    require(request.user, "lifecycle.view_overview")
    return render(request, "lifecycle/overview.html", selectors.office_overview(current_strategy()))


@login_required
@require_http_methods(["GET", "POST"])
def spreadsheet(request):
    """Upload a spreadsheet: it is checked (and imported unless "only check") by a background job."""
    strategy = current_strategy()
    require(request.user, "lifecycle.import_measures")
    form = lf.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > spreadsheets_max_bytes():
            form.add_error("file", _("The file is too large."))
        elif not upload.name.lower().endswith((".xlsx", ".csv")):
            form.add_error("file", _("Only XLSX and CSV files can be imported."))
        else:
            job = services.spreadsheet_import_start(actor=request.user, strategy=strategy, upload=upload,
                                                    dry_run=form.cleaned_data["dry_run"])
            return redirect("jobs:detail", pk=job.pk)
    report = None
    job_id = request.GET.get("job")
    if job_id:
        from kompass.jobs.models import Job

        try:
            job = Job.objects.filter(pk=job_id, kind="lifecycle.import").first()
        except (ValueError, ValidationError):
            job = None
        if job is None or not request.user.has_perm("jobs.view_job", job):
            raise Http404
        report = spreadsheets.ImportReport(**{k: v for k, v in job.result.get("report", {}).items()
                                              if k != "problems"}, problems=[
            spreadsheets.ImportProblem(**p) for p in job.result.get("report", {}).get("problems", [])])
    status = 400 if (request.method == "POST" and form.errors) else 200
    return render(request, "lifecycle/spreadsheet.html", {"form": form, "report": report}, status=status)


def spreadsheets_max_bytes() -> int:
    return attachment_max_bytes()


@login_required
@require_GET
def export(request, fmt):
    strategy = current_strategy()
    require(request.user, "lifecycle.import_measures")
    if fmt == "xlsx":
        body = spreadsheets.export_xlsx(strategy)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = spreadsheets.export_csv(strategy)
        ctype = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{strategy.slug}-measures.{fmt}"'
    return response
