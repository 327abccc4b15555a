"""The measure team and its mandate."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass.audit.services import diff_fields, record_event
from kompass.core.permissions import require
from kompass.lifecycle.models import Mandate, TeamMember
from kompass.lifecycle.services._common import notify_team, person


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
    changes = diff_fields(member, {"role": role, "organisation": organisation})
    if changes:
        for key, (_old, new) in changes.items():
            setattr(member, key, new)
        member.save()
        record_event(actor=actor, action="team_member.changed", obj=measure,
                     changes={f"team_member:{user.email}:{k}": v for k, v in changes.items()})
    return member


@transaction.atomic
def team_member_remove(*, actor, member: TeamMember) -> None:
    require(actor, "lifecycle.manage_team", member.measure)
    record_event(actor=actor, action="team_member.removed", obj=member.measure,
                 changes={"team_member": (f"{member.user.email} ({member.role})", None)})
    member.delete()


MANDATE_FIELDS = ("given_by", "given_on", "budget_eur", "staff_fte", "notes")


@transaction.atomic
def mandate_update(*, actor, mandate: Mandate, **data) -> Mandate:
    require(actor, "lifecycle.record_mandate", mandate.measure)
    changes = diff_fields(mandate, {k: data[k] for k in MANDATE_FIELDS if k in data})
    if not changes:
        return mandate
    for key, (_old, new) in changes.items():
        setattr(mandate, key, new)
    mandate.full_clean()
    mandate.save()
    record_event(actor=actor, action="mandate.changed", obj=mandate.measure,
                 changes={f"mandate:{mandate.pk}:{k}": v for k, v in changes.items()})
    return mandate


@transaction.atomic
def mandate_delete(*, actor, mandate: Mandate) -> None:
    require(actor, "lifecycle.record_mandate", mandate.measure)
    record_event(actor=actor, action="mandate.deleted", obj=mandate.measure,
                 changes={"mandate": (f"{mandate.given_by} {mandate.given_on.isoformat()}", None)})
    mandate.delete()


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
