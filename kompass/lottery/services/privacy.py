"""Personal data: viewing, export and deletion after the retention date."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from kompass.audit.services import record_event
from kompass.core.permissions import require
from kompass.lottery.bundle import household_labels
from kompass.lottery.models import Invitation, Panel, PersonalData, Respondent


def personal_data_viewed(*, actor, panel: Panel) -> None:
    """Record that someone opened the list of respondents with their personal data."""
    require(actor, "lottery.view_personal_data", panel)
    with transaction.atomic():
        record_event(actor=actor, action="lottery.personal_data_viewed", obj=panel)


def respondent_export(*, actor, respondent: Respondent) -> dict:
    """Everything stored about one respondent, for a data-subject request (officer only, audited)."""
    require(actor, "lottery.view_personal_data", respondent.panel)
    p = PersonalData.objects.filter(respondent=respondent).first()
    data = {
        "format": "kompass-lottery-respondent/1",
        "panel": {"slug": respondent.panel.slug, "title": respondent.panel.title,
                  "purpose": respondent.panel.purpose, "retention_date": respondent.panel.retention_date.isoformat()},
        "pseudonym": respondent.pseudonym, "features": respondent.features, "source": respondent.source,
        "status": respondent.status, "consent_at": respondent.consent_at.isoformat() if respondent.consent_at else None,
        "selection_probability": respondent.probability,
        "invitation_code": respondent.invitation.code if respondent.invitation_id else None,
        "personal_data": ({"name": p.name, "email": p.email, "phone": p.phone, "address": p.address,
                           "extra": p.extra} if p else None),
    }
    with transaction.atomic():
        record_event(actor=actor, action="lottery.respondent_exported", obj=respondent.panel,
                     changes={"respondent": (None, respondent.pseudonym)})
    return data


@transaction.atomic
def personal_data_purge(*, actor, panel: Panel | None = None, today: datetime.date | None = None,
                        force: bool = False) -> dict[str, int]:
    """Delete personal data of panels past their retention date (or of one panel now, when `force`). The
    pseudonymous features, probabilities and the lottery stay for the audit."""
    require(actor, "lottery.run_process", panel)
    today = today or timezone.localdate()
    panels = Panel.objects.all() if panel is None else Panel.objects.filter(pk=panel.pk)
    if not force:
        panels = panels.filter(retention_date__lt=today)
    out = {}
    for p in panels.select_for_update():
        n, _detail = PersonalData.objects.filter(panel=p).delete()
        Respondent.objects.filter(panel=p, user__isnull=False).update(user=None)  # no link to accounts either
        # keep who shares a household (needed to recompute the lottery), but not the address hash
        labels = household_labels(list(Respondent.objects.filter(panel=p).values_list("pseudonym", "household")))
        Respondent.objects.filter(panel=p).exclude(household="").exclude(household__startswith="H-").update(
            household="")
        for pseudonym, label in labels.items():
            if label:
                Respondent.objects.filter(panel=p, pseudonym=pseudonym).update(household=label)
        Invitation.objects.filter(panel=p).exclude(register_id__startswith="deleted-").update(
            register_id=Concat(Value("deleted-"), Cast("pk", output_field=CharField())))
        if n or not p.personal_data_purged_at:
            p.personal_data_purged_at = timezone.now()
            p.save(update_fields=["personal_data_purged_at"])
            record_event(actor=actor, action="lottery.personal_data_purged", obj=p, changes={"deleted": (None, n)})
        out[p.slug] = n
    return out
