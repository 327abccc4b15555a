"""Lifecycle views: _common. Thin: forms in, services for writes, selectors for reads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kompass.core.permissions import require
from kompass.lifecycle import forms as lf
from kompass.lifecycle import selectors
from kompass.measures.selectors import measure_detail
from kompass.strategy.selectors import current_strategy


def _measure(slug):
    return measure_detail(current_strategy(), slug)


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# The workspace's sections, each its own page (tabs that are plain links, so they work without JavaScript):
# (slug, URL name, label). The forms of each section are listed in FORM_SECTION.
SECTIONS = [
    ("overview", "workspace", gettext_lazy("Overview")),
    ("team", "team", gettext_lazy("Team")),
    ("plan", "plan", gettext_lazy("Mandate and milestones")),
    ("logbook", "logbook", gettext_lazy("Logbook")),
    ("lessons", "lessons_section", gettext_lazy("Lessons learned")),
]
FORM_SECTION = {"transition": "overview", "team": "team", "invite": "team", "mandate": "plan",
                "milestone": "plan", "logbook": "logbook", "lesson": "lessons", "replication": "lessons"}
SECTION_URL = {slug: name for slug, name, _label in SECTIONS}


def by_method(get_view, post_view):
    """One address for a section: GET shows it, POST saves its form (each view keeps its own decorators)."""
    def view(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            return get_view(request, *args, **kwargs)
        if request.method == "POST":
            return post_view(request, *args, **kwargs)
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    view.__name__ = post_view.__name__
    return view


def _workspace_context(request, measure, section="overview", **forms):
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
        "invite_form": forms.get("invite") or lf.InvitationForm(strategy=strategy),
        "error": forms.get("error"),
        "failed_form": forms.get("failed"),
        "section": section,
        "sections": [{"slug": slug, "label": label, "url": reverse(f"lifecycle:{name}", args=[measure.slug]),
                      "current": slug == section} for slug, name, label in SECTIONS],
    }
    return context


def _redisplay(request, measure, key, form, error=None):
    """The section of the failed form again (400), with the error summary on top (focused, the form's action
    ends in #error-summary so the browser scrolls there without JavaScript)."""
    failed = form if form is not None and form.errors else None
    context = _workspace_context(request, measure, section=FORM_SECTION.get(key, "overview"),
                                 **{key: form, "error": error, "failed": failed})
    return render(request, "lifecycle/workspace.html", context, status=400)


def _done(request, measure, text, section="overview"):
    """Back to the section with the message. The anchor replaces the form action's #error-summary, which the
    browser would otherwise keep across the redirect."""
    messages.success(request, text)
    return redirect(reverse(f"lifecycle:{SECTION_URL[section]}", args=[measure.slug]) + "#main")


def form_post(request, obj, *, perm: str, form, perform, redisplay, done, error_field: str | None = None):
    """The one shape of a write on a lifecycle page: `require` the permission on `obj` (403), bind `form()` (no
    form: None) and run `perform(bound)`. An invalid form or a ValidationError answers `redisplay(bound, error)`
    (the page again with 400): the service's error goes to `error_field` of the form, else it is `error`, shown
    above the forms. Otherwise `done()` (a message and a redirect)."""
    require(request.user, perm, obj)
    bound = form() if form is not None else None
    if bound is not None and not bound.is_valid():
        return redisplay(bound, None)
    try:
        perform(bound)
    except ValidationError as exc:
        if error_field:
            bound.add_error(error_field, _error_text(exc))
            return redisplay(bound, None)
        return redisplay(bound, _error_text(exc))
    return done()


def _workspace_post(request, slug, *, perm: str, perform, success: str, key: str = "", form=None,
                    error_field: str | None = None, load=None, section: str = "overview"):
    """A write on the team workspace (`form_post`): load the measure (and `load(measure)`, 404 first), bind
    `form(measure)` and run `perform(measure, data)` with its cleaned data (or with the loaded object). An invalid
    form or a ValidationError shows the form's section again with 400."""
    measure = _measure(slug)
    obj = load(measure) if load is not None else None
    return form_post(
        request, measure, perm=perm, error_field=error_field,
        form=(lambda: form(measure)) if form is not None else None,
        perform=lambda bound: perform(measure, bound.cleaned_data if bound is not None else obj),
        redisplay=lambda bound, error: _redisplay(request, measure, key, bound, error),
        done=lambda: _done(request, measure, success, FORM_SECTION.get(key, section)))
