"""The logbook of a measure's meetings, with private attachments."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.actors import person
from kompass.core.permissions import require
from kompass.lifecycle.models import Attachment, LogbookEntry, MeetingFormat
from kompass.lifecycle.services._common import notify_team
from kompass.lifecycle.uploads import validate_attachment


@transaction.atomic
def logbook_entry_create(*, actor, measure, meeting_format: MeetingFormat, held_on: datetime.date,
                         organisations=(), outcomes: str = "", decisions: str = "", files=()) -> LogbookEntry:
    require(actor, "lifecycle.write_logbook", measure)
    if meeting_format.strategy_id != measure.strategy_id:
        raise ValidationError({"meeting_format": _("This format belongs to another strategy.")})
    checked = [(upload, *validate_attachment(upload)) for upload in files]
    entry = LogbookEntry.objects.create(measure=measure, meeting_format=meeting_format, held_on=held_on,
                                        outcomes=outcomes, decisions=decisions, created_by=person(actor))
    entry.organisations.set(list(organisations))
    for upload, safe_name, content_type in checked:
        attachment = Attachment(entry=entry, original_name=safe_name, content_type=content_type, size=upload.size,
                                uploaded_by=person(actor))
        attachment.file.save(safe_name, upload, save=False)
        attachment.save()
    record_event(actor=actor, action="logbook.entry_created", obj=measure, changes={
        "format": (None, meeting_format.slug), "held_on": (None, held_on),
        "attachments": (None, [name for _u, name, _t in checked])})
    if decisions.strip():
        notify_team(measure, "decision", _("%(format)s on %(date)s decided: %(decisions)s") % {
            "format": meeting_format.name, "date": held_on.isoformat(), "decisions": decisions.strip()[:500]},
            exclude=actor)
    return entry
