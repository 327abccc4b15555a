"""Invitation tokens: signed, expiring links that name one TeamInvitation (ADR 0075). Reads only; the writes are
in `services/invitations.py`."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kompass.lifecycle.models import TeamInvitation

SALT = "kompass.lifecycle.invitation"


def invitation_days() -> int:
    return int(getattr(settings, "KOMPASS_INVITATION_DAYS", 14))


def invitation_token(invitation: TeamInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email}, salt=SALT, compress=True)


def invitation_from_token(token: str) -> TeamInvitation:
    """The open invitation a token names; a ValidationError says why it cannot be used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=invitation_days() * 86400)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This invitation has expired. Ask the team for a new one.")) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise ValidationError(_("This invitation link is not valid.")) from exc
    invitation = (TeamInvitation.objects.select_related("measure", "organisation")
                  .filter(pk=data.get("i") if isinstance(data, dict) else None).first())
    if invitation is None or invitation.email != data.get("e"):
        raise ValidationError(_("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    return invitation
