"""The measure team and its mandate."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.actors import person
from kompass.core.permissions import require
from kompass.lifecycle.models import Mandate, TeamMember
from kompass.lifecycle.services._common import change_recorded, delete_recorded, notify_team


@transaction.atomic
def team_member_set(*, actor, measure, user, role: str, organisation=None) -> TeamMember:
    require(actor, "lifecycle.manage_team", measure)
    if role not in TeamMember.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if organisation is None:
        membership = user.memberships.select_related("organisation").first()
        organisation = membership.organisation if membership else None
    member = TeamMember.objects.filter(measure=measure, user=user).first()
    if member is None:
        member = TeamMember.objects.create(measure=measure, user=user, role=role, organisation=organisation)
        record_event(actor=actor, action="team_member.added", obj=measure,
                     changes={"team_member": (None, f"{user.email} ({role})")})
        return member
    change_recorded(actor=actor, obj=member, values={"role": role, "organisation": organisation},
                    action="team_member.changed", prefix=f"team_member:{user.email}", measure=measure, clean=False)
    return member


@transaction.atomic
def team_member_remove(*, actor, member: TeamMember) -> None:
    require(actor, "lifecycle.manage_team", member.measure)
    delete_recorded(actor=actor, obj=member, action="team_member.removed", key="team_member",
                    text=f"{member.user.email} ({member.role})")


MANDATE_FIELDS = ("given_by", "given_on", "budget_eur", "staff_fte", "notes")


@transaction.atomic
def mandate_update(*, actor, mandate: Mandate, **data) -> Mandate:
    require(actor, "lifecycle.record_mandate", mandate.measure)
    change_recorded(actor=actor, obj=mandate, values={k: data[k] for k in MANDATE_FIELDS if k in data},
                    action="mandate.changed", prefix=f"mandate:{mandate.pk}")
    return mandate


@transaction.atomic
def mandate_delete(*, actor, mandate: Mandate) -> None:
    require(actor, "lifecycle.record_mandate", mandate.measure)
    delete_recorded(actor=actor, obj=mandate, action="mandate.deleted", key="mandate",
                    text=f"{mandate.given_by} {mandate.given_on.isoformat()}")


@transaction.atomic
def mandate_record(*, actor, measure, given_by: str, given_on: datetime.date, budget_eur: Decimal | None = None,
                   staff_fte: Decimal | None = None, notes: str = "") -> Mandate:
    require(actor, "lifecycle.record_mandate", measure)
    mandate = Mandate(measure=measure, given_by=given_by, given_on=given_on, budget_eur=budget_eur,
                      staff_fte=staff_fte, notes=notes, recorded_by=person(actor))
    mandate.full_clean()
    mandate.save()
    record_event(actor=actor, action="mandate.recorded", obj=measure, changes={
        "mandate": (None, f"{given_by} {given_on}"), "budget_eur": (None, budget_eur), "staff_fte": (None, staff_fte)})
    notify_team(measure, "decision", _("A mandate for %(measure)s was recorded (%(by)s, %(on)s).") % {
        "measure": measure.title, "by": mandate.get_given_by_display(), "on": given_on.isoformat()}, exclude=actor)
    return mandate
