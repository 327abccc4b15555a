"""Lifecycle views: workspace. Thin: forms in, services for writes, selectors for reads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kompass.core.permissions import require
from kompass.lifecycle import forms as lf
from kompass.lifecycle import selectors, services
from kompass.lifecycle.models import Attachment, Milestone, TeamMember
from kompass.lifecycle.views._common import (
    _measure,
    _workspace_context,
    _workspace_post,
)


def _section_page(section: str, name: str):
    """The GET view of one workspace section (each section is its own page, see `SECTIONS`)."""
    def view(request, slug):
        measure = _measure(slug)
        require(request.user, "lifecycle.view_workspace", measure)
        return render(request, "lifecycle/workspace.html", _workspace_context(request, measure, section=section))
    view.__name__ = view.__qualname__ = name
    return login_required(require_GET(view))


workspace = _section_page("overview", "workspace")
team_section = _section_page("team", "team_section")
plan_section = _section_page("plan", "plan_section")
logbook_section = _section_page("logbook", "logbook_section")
lessons_section = _section_page("lessons", "lessons_section")


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
        success=_("The team was updated."), section="team")


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
        success=_("The milestone is done."), section="plan")


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



