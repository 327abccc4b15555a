"""Lifecycle views: editing and deleting the mandates and milestones of the workspace's "Mandate and
milestones" section. Each has an edit page (GET shows the form, POST saves it) and a delete button (POST); both
kinds are one `_Editable` row, and `_views` makes the three views of a row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kompass.core.permissions import require
from kompass.lifecycle import forms as lf
from kompass.lifecycle import selectors, services
from kompass.lifecycle.models import Mandate, Milestone
from kompass.lifecycle.views._common import _done, _error_text, _measure, by_method

MANDATE_FIELDS = ("given_by", "given_on", "budget_eur", "staff_fte", "notes")


@dataclass(frozen=True)
class _Editable:
    """One kind of item of the plan section. `form(measure, obj, data)` is the edit form (unbound for
    `data=None`), `change(actor, obj, cleaned_data)` and `remove(actor, obj)` call the services."""

    name: str  # URL names are f"{name}_edit" and f"{name}_delete"
    perm: str
    load: Callable[[Any, int], Any]  # (measure, pk) -> the item of that measure, or 404
    title: Callable[[Any], str]
    form: Callable[[Any, Any, Any], Any]
    change: Callable[[Any, Any, dict], Any]
    remove: Callable[[Any, Any], None]
    saved: str
    deleted: str


def _load(request, kind: _Editable, slug, ids):
    """The measure and the item named in the URL (`milestone_id` or `mandate_id`): 404 first, then 403."""
    measure = _measure(slug)
    obj = kind.load(measure, ids[f"{kind.name}_id"])
    require(request.user, kind.perm, measure)
    return measure, obj


def _edit_page(request, kind: _Editable, measure, obj, form, title, status=200):
    return render(request, "lifecycle/edit.html", {
        "measure": measure, "form": form, "title": title,
        "action_url": reverse(f"lifecycle:{kind.name}_edit", args=[measure.slug, obj.pk]),
        "delete_url": reverse(f"lifecycle:{kind.name}_delete", args=[measure.slug, obj.pk]),
    }, status=status)


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, _error_text(exc))


def _views(kind: _Editable):
    """The edit view (GET shows the form, POST saves it, one address) and the delete view (POST) of `kind`."""
    def page(request, slug, **ids):
        measure, obj = _load(request, kind, slug, ids)
        return _edit_page(request, kind, measure, obj, kind.form(measure, obj, None), kind.title(obj))

    def save(request, slug, **ids):
        measure, obj = _load(request, kind, slug, ids)
        title = kind.title(obj)  # the item as stored: a refused save may have written into `obj`
        form = kind.form(measure, obj, request.POST)
        if form.is_valid():
            try:
                kind.change(request.user, obj, form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                return _done(request, measure, str(kind.saved), "plan")
        return _edit_page(request, kind, measure, obj, form, title, status=400)

    def delete(request, slug, **ids):
        measure, obj = _load(request, kind, slug, ids)
        kind.remove(request.user, obj)
        return _done(request, measure, str(kind.deleted), "plan")

    for view, verb in ((page, "edit_page"), (save, "edit_save"), (delete, "delete")):
        view.__name__ = view.__qualname__ = f"{kind.name}_{verb}"
    return (by_method(login_required(require_GET(page)), login_required(require_POST(save))),
            login_required(require_POST(delete)))


MILESTONE = _Editable(
    name="milestone", perm="lifecycle.manage_milestones",
    load=lambda measure, pk: get_object_or_404(Milestone.objects.select_related("owner"), pk=pk, measure=measure),
    title=lambda milestone: _("Edit milestone “%(title)s”") % {"title": milestone.title},
    form=lambda measure, milestone, data: (
        lf.MilestoneEditForm(team=selectors.team(measure), milestone=milestone) if data is None
        else lf.MilestoneEditForm(data, team=selectors.team(measure))),
    change=lambda actor, milestone, data: services.milestone_update(actor=actor, milestone=milestone, **data),
    remove=lambda actor, milestone: services.milestone_delete(actor=actor, milestone=milestone),
    saved=gettext_lazy("The milestone was saved."), deleted=gettext_lazy("The milestone was deleted."))

MANDATE = _Editable(
    name="mandate", perm="lifecycle.record_mandate",
    load=lambda measure, pk: get_object_or_404(Mandate, pk=pk, measure=measure),
    title=lambda mandate: _("Edit mandate of %(date)s") % {"date": mandate.given_on.strftime("%d.%m.%Y")},
    # Validate on a copy: the form's model validation writes into its instance.
    form=lambda measure, mandate, data: (
        lf.MandateForm(instance=mandate) if data is None
        else lf.MandateForm(data, instance=Mandate.objects.get(pk=mandate.pk))),
    change=lambda actor, mandate, data: services.mandate_update(
        actor=actor, mandate=mandate, **{k: data[k] for k in MANDATE_FIELDS}),
    remove=lambda actor, mandate: services.mandate_delete(actor=actor, mandate=mandate),
    saved=gettext_lazy("The mandate was saved."), deleted=gettext_lazy("The mandate was deleted."))

milestone_edit, milestone_delete = _views(MILESTONE)
mandate_edit, mandate_delete = _views(MANDATE)
