"""Measures from spreadsheets: the import (checked rows written in one transaction) and its background job."""

from __future__ import annotations

import os
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.permissions import require
from kompass.core.text import german_slug
from kompass.lifecycle import spreadsheets
from kompass.lifecycle.models import MeasureExternalId, Phase
from kompass.lifecycle.services._common import free_slug
from kompass.lifecycle.services.phases import phase_set_initial


class _Rollback(Exception):
    """Raised inside the transaction of a dry run: everything is checked and counted, nothing stays."""


def measures_import(*, actor, strategy, name: str, content: bytes, dry_run: bool = False,
                    progress=None) -> spreadsheets.ImportReport:
    """Validate all rows; write only when every row is valid and `dry_run` is False. Idempotent.

    `progress(done, total)` is called while writing (for the background job)."""
    require(actor, "lifecycle.import_measures")
    report, parsed = spreadsheets.validate(strategy=strategy, name=name, content=content, dry_run=dry_run)
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            _write(actor, strategy, parsed, report, progress)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except ValidationError as exc:  # a model validation the row checks did not foresee
        report.problems.append(spreadsheets.ImportProblem(0, "", "; ".join(exc.messages)))
        report.created = report.updated = report.unchanged = 0
    return report


@transaction.atomic
def external_id_set(*, actor, measure, external_id: str) -> bool:
    """Link a measure to a spreadsheet's stable id (once); returns True when a link was written."""
    require(actor, "lifecycle.import_measures")
    if MeasureExternalId.objects.filter(measure=measure).exists():
        return False
    MeasureExternalId.objects.create(measure=measure, strategy_id=measure.strategy_id, external_id=external_id)
    record_event(actor=actor, action="measure.external_id_set", obj=measure,
                 changes={"external_id": (None, external_id)})
    return True


def _write(actor, strategy, parsed: list[spreadsheets.ParsedRow], report, progress=None) -> None:
    from kompass.measures.models import Measure
    from kompass.measures.services import MeasureRelations, measure_create, measure_update
    from kompass.organisations.models import Organisation

    measures = {m.pk: m for m in Measure.objects.filter(
        pk__in=[p.existing_pk for p in parsed if p.existing_pk]).select_related("responsible_organisation")}
    orgs = {o.slug: o for o in Organisation.objects.filter(strategy=strategy)}
    phases = {p.slug: p for p in Phase.objects.filter(strategy=strategy)}
    taken = set(Measure.objects.filter(strategy=strategy).values_list("slug", flat=True))
    for done, item in enumerate(parsed):
        if progress is not None and done % 25 == 0:
            progress(done, len(parsed))
        row, dates = item.row, item.dates
        data = {
            "title": row["title"], "title_en": row.get("title_en", ""), "measure_type": row["type"],
            "status": row["status"], "responsible_organisation": orgs[row["responsible_organisation"]],
            "start_date": dates.get("start"), "end_date": dates.get("end"), "is_pilot": item.pilot,
            "summary": row.get("summary", ""), "summary_en": row.get("summary_en", ""),
        }
        relations = MeasureRelations(**item.lists)
        measure = measures.get(item.existing_pk)
        if measure is None:
            slug = free_slug(row.get("slug") or german_slug(row["title"], fallback="massnahme"), taken.__contains__)
            taken.add(slug)
            measure = measure_create(actor=actor, strategy=strategy, slug=slug, data=data, relations=relations)
            external_id_set(actor=actor, measure=measure, external_id=row["external_id"])
            report.created += 1
        else:
            if row.get("slug") and row["slug"] != measure.slug:
                raise ValidationError(_("row %(row)s: the slug of an existing measure cannot change") % {
                    "row": item.number})
            changed = bool(measure_update(actor=actor, measure=measure, data=data, relations=relations))
            changed = external_id_set(actor=actor, measure=measure, external_id=row["external_id"]) or changed
            report.updated += 1 if changed else 0
            report.unchanged += 0 if changed else 1
        if row.get("phase"):
            phase_set_initial(actor=actor, measure=measure, phase=phases[row["phase"]], reason="import")


def spreadsheet_import_start(*, actor, strategy, upload, dry_run: bool):
    """Keep the upload in private storage and start the import job (it records its own audit event)."""
    from kompass.jobs.services import job_start
    from kompass.lifecycle.models import private_storage
    from kompass.lifecycle.tasks import import_spreadsheet

    require(actor, "lifecycle.import_measures")
    ext = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    stored = private_storage().save(f"lifecycle/imports/{uuid.uuid4().hex}{ext}", upload)
    title = (_("Check %(name)s") if dry_run else _("Import %(name)s")) % {"name": os.path.basename(upload.name)[:100]}
    return job_start(actor=actor, kind="lifecycle.import", title=title, task=import_spreadsheet,
                     args=[strategy.pk, actor.pk, stored, upload.name, dry_run])
