"""Lifecycle views: editing and deleting the mandates and milestones of the workspace's "Mandate and
milestones" section. Each has an edit page (GET shows the form, POST saves it) and a delete button (POST)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kompass.core.permissions import require
from kompass.lifecycle import forms as lf
from kompass.lifecycle import selectors, services
from kompass.lifecycle.models import Mandate, Milestone
from kompass.lifecycle.views._common import _done, _error_text, _measure, by_method

MANDATE_FIELDS = ("given_by", "given_on", "budget_eur", "staff_fte", "notes")


def _edit_page(request, measure, *, form, title, action, delete_action, pk, status=200):
    return render(request, "lifecycle/edit.html", {
        "measure": measure, "form": form, "title": title,
        "action_url": reverse(f"lifecycle:{action}", args=[measure.slug, pk]),
        "delete_url": reverse(f"lifecycle:{delete_action}", args=[measure.slug, pk]),
    }, status=status)


def _milestone(request, slug, milestone_id):
    measure = _measure(slug)
    milestone = get_object_or_404(Milestone.objects.select_related("owner"), pk=milestone_id, measure=measure)
    require(request.user, "lifecycle.manage_milestones", measure)
    return measure, milestone


@login_required
@require_GET
def milestone_edit_page(request, slug, milestone_id):
    measure, milestone = _milestone(request, slug, milestone_id)
    form = lf.MilestoneEditForm(team=selectors.team(measure), milestone=milestone)
    return _edit_page(request, measure, form=form, title=_("Edit milestone “%(title)s”") % {"title": milestone.title},
                      action="milestone_edit", delete_action="milestone_delete", pk=milestone.pk)


@login_required
@require_POST
def milestone_edit_save(request, slug, milestone_id):
    measure, milestone = _milestone(request, slug, milestone_id)
    form = lf.MilestoneEditForm(request.POST, team=selectors.team(measure))
    if form.is_valid():
        try:
            services.milestone_update(actor=request.user, milestone=milestone, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return _done(request, measure, _("The milestone was saved."), "plan")
    return _edit_page(request, measure, form=form, status=400,
                      title=_("Edit milestone “%(title)s”") % {"title": milestone.title},
                      action="milestone_edit", delete_action="milestone_delete", pk=milestone.pk)


milestone_edit = by_method(milestone_edit_page, milestone_edit_save)


@login_required
@require_POST
def milestone_delete(request, slug, milestone_id):
    measure, milestone = _milestone(request, slug, milestone_id)
    services.milestone_delete(actor=request.user, milestone=milestone)
    return _done(request, measure, _("The milestone was deleted."), "plan")


def _mandate(request, slug, mandate_id):
    measure = _measure(slug)
    mandate = get_object_or_404(Mandate, pk=mandate_id, measure=measure)
    require(request.user, "lifecycle.record_mandate", measure)
    return measure, mandate


def _mandate_title(mandate) -> str:
    return _("Edit mandate of %(date)s") % {"date": mandate.given_on.strftime("%d.%m.%Y")}


@login_required
@require_GET
def mandate_edit_page(request, slug, mandate_id):
    measure, mandate = _mandate(request, slug, mandate_id)
    return _edit_page(request, measure, form=lf.MandateForm(instance=mandate), title=_mandate_title(mandate),
                      action="mandate_edit", delete_action="mandate_delete", pk=mandate.pk)


@login_required
@require_POST
def mandate_edit_save(request, slug, mandate_id):
    measure, mandate = _mandate(request, slug, mandate_id)
    title = _mandate_title(mandate)
    # Validate on a copy: the form's model validation writes into its instance.
    form = lf.MandateForm(request.POST, instance=Mandate.objects.get(pk=mandate.pk))
    if form.is_valid():
        try:
            services.mandate_update(actor=request.user, mandate=mandate,
                                    **{k: form.cleaned_data[k] for k in MANDATE_FIELDS})
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return _done(request, measure, _("The mandate was saved."), "plan")
    return _edit_page(request, measure, form=form, title=title, action="mandate_edit",
                      delete_action="mandate_delete", pk=mandate.pk, status=400)


mandate_edit = by_method(mandate_edit_page, mandate_edit_save)


@login_required
@require_POST
def mandate_delete(request, slug, mandate_id):
    measure, mandate = _mandate(request, slug, mandate_id)
    services.mandate_delete(actor=request.user, mandate=mandate)
    return _done(request, measure, _("The mandate was deleted."), "plan")


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, _error_text(exc))
