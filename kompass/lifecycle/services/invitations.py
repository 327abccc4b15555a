"""Inviting people to a measure team by email: a signed, expiring link; accepting it adds the person (ADR 0075)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.actors import person, system_actor
from kompass.core.permissions import require
from kompass.core.urls import absolute_url
from kompass.lifecycle.invitation_tokens import invitation_days, invitation_from_token, invitation_token
from kompass.lifecycle.models import TeamInvitation, TeamMember
from kompass.lifecycle.services.team import team_member_set


@transaction.atomic
def invitation_send(*, actor, measure, email: str, role: str, organisation=None) -> TeamInvitation:
    require(actor, "lifecycle.manage_team", measure)
    email = email.strip().lower()
    if role not in TeamMember.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if TeamMember.objects.filter(measure=measure, user__email=email).exists():
        raise ValidationError({"email": _("This person is already on the team.")})
    invitation = TeamInvitation(measure=measure, email=email, role=role, organisation=organisation,
                                invited_by=person(actor))
    invitation.full_clean()
    invitation.save()
    link = absolute_url(reverse("lifecycle:invitation", args=[invitation_token(invitation)]))
    lines = [_("Hello,"), "",
             _("you are invited to join the team of the measure “%(measure)s” on Kompass.") % {
                 "measure": measure.title}, "",
             _("Accept the invitation here (the link is valid for %(days)s days):") % {"days": invitation_days()},
             link, "", _("Sign in or register with this email address first.")]
    send_mail(subject=_("Kompass: invitation to the team of %(measure)s") % {"measure": measure.title},
              message="\n".join(lines), from_email=None, recipient_list=[email])
    record_event(actor=actor, action="team_invitation.sent", obj=measure,
                 changes={"invitation": (None, f"{email} ({role})")})
    return invitation


@transaction.atomic
def invitation_accept(*, actor, token: str) -> TeamMember:
    """`actor` (signed in with the invited address) joins the team with the invited role."""
    invitation = invitation_from_token(token)
    invitation = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    user = person(actor)
    if user is None or not isinstance(user, get_user_model()) or user.email.lower() != invitation.email:
        raise ValidationError(_("This invitation is for another email address. Sign in with %(email)s.")
                              % {"email": invitation.email})
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # The invitation is the team lead's permission, given ahead of time: the member is added on their behalf.
    member = team_member_set(actor=system_actor("team invitation"), measure=invitation.measure, user=user,
                             role=invitation.role, organisation=invitation.organisation)
    record_event(actor=actor, action="team_invitation.accepted", obj=invitation.measure,
                 changes={"team_member": (None, f"{user.email} ({invitation.role})")})
    return member
