"""The versioned measure description (Maßnahmenbeschreibung)."""

from __future__ import annotations

from django.db import transaction

from kompass.audit.services import record_event
from kompass.core.actors import person
from kompass.core.permissions import require
from kompass.lifecycle.models import SECTION_KEYS, DescriptionVersion
from kompass.lifecycle.services._common import lock_measure


@transaction.atomic
def description_save(*, actor, measure, sections: dict[str, str], note: str = "") -> DescriptionVersion | None:
    """Save a new version when anything changed; returns it, or None when the text is the same."""
    require(actor, "lifecycle.edit_description", measure)
    lock_measure(measure)
    clean = {key: (sections.get(key) or "").replace("\r\n", "\n").strip() for key in SECTION_KEYS}
    current = DescriptionVersion.objects.filter(measure=measure).order_by("-number").first()
    if current is not None and {k: current.sections.get(k, "") for k in SECTION_KEYS} == clean:
        return None
    version = DescriptionVersion.objects.create(measure=measure, number=(current.number + 1) if current else 1,
                                                sections=clean, note=note[:300], author=person(actor))
    changed = [k for k in SECTION_KEYS if (current.sections.get(k, "") if current else "") != clean[k]]
    record_event(actor=actor, action="description.saved", obj=measure,
                 changes={"version": (current.number if current else None, version.number),
                          "sections": (None, changed)})
    return version
