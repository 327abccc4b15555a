"""Lifecycle views: inviting people to a measure team by email and accepting an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kompass.lifecycle import forms as lf
from kompass.lifecycle import services
from kompass.lifecycle.invitation_tokens import invitation_from_token
from kompass.lifecycle.views._common import _error_text, _workspace_post, by_method


@login_required
@require_POST
def invite(request, slug):
    return _workspace_post(
        request, slug, perm="lifecycle.manage_team", key="invite", error_field="email",
        form=lambda measure: lf.InvitationForm(request.POST, strategy=measure.strategy),
        perform=lambda measure, data: services.invitation_send(actor=request.user, measure=measure, **data),
        success=_("The invitation was sent."))


@require_GET
def invitation_page(request, token):
    try:
        invitation = invitation_from_token(token)
    except ValidationError as exc:
        return render(request, "lifecycle/invitation.html", {"problem": _error_text(exc)}, status=400)
    return render(request, "lifecycle/invitation.html", {
        "invitation": invitation, "token": token, "measure": invitation.measure,
        "email_matches": request.user.is_authenticated and request.user.email.lower() == invitation.email,
        "login_next": request.get_full_path()})


@login_required
@require_POST
def invitation_accept(request, token):
    try:
        member = services.invitation_accept(actor=request.user, token=token)
    except ValidationError as exc:
        return render(request, "lifecycle/invitation.html", {"problem": _error_text(exc)}, status=400)
    messages.success(request, _("Welcome to the team."))
    return redirect("lifecycle:team", slug=member.measure.slug)


invitation = by_method(invitation_page, invitation_accept)
