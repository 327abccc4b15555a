"""Measures from spreadsheets: the import (checked rows written in one transaction) and its background job."""

from __future__ import annotations

import datetime
import os
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.actors import actor_ref
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


def _names(strategy) -> dict[str, dict[int, str]]:
    """pk -> slug of what the list columns name, to show a changed relation as the spreadsheet writes it."""
    from kompass.organisations.models import Organisation
    from kompass.strategy.models import ActionField, District

    return {"involved_organisations": dict(Organisation.objects.filter(strategy=strategy).values_list("pk", "slug")),
            "districts": dict(District.objects.filter(strategy=strategy).values_list("pk", "slug")),
            "action_fields": dict(ActionField.objects.filter(strategy=strategy).values_list("pk", "slug"))}


def _changed_fields(changes: dict, names: dict) -> list[dict]:
    return [{"column": spreadsheets.FIELD_COLUMNS.get(key, key), "old": spreadsheets.shown(old, names.get(key)),
             "new": spreadsheets.shown(new, names.get(key))} for key, (old, new) in changes.items()]


def _write(actor, strategy, parsed: list[spreadsheets.ParsedRow], report, progress=None) -> None:
    from kompass.lifecycle.models import MeasureLifecycle
    from kompass.measures.models import Measure
    from kompass.measures.services import MeasureRelations, measure_create, measure_update
    from kompass.organisations.models import Organisation

    measures = {m.pk: m for m in Measure.objects.filter(
        pk__in=[p.existing_pk for p in parsed if p.existing_pk]).select_related("responsible_organisation")}
    orgs = {o.slug: o for o in Organisation.objects.filter(strategy=strategy)}
    phases = {p.slug: p for p in Phase.objects.filter(strategy=strategy)}
    first = spreadsheets.first_phase(strategy)
    with_lifecycle = set(MeasureLifecycle.objects.filter(measure__strategy=strategy).values_list("measure_id",
                                                                                                flat=True))
    names = _names(strategy)
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
            if row.get("phase"):
                phase_set_initial(actor=actor, measure=measure, phase=phases[row["phase"]], reason="import")
            report.created += 1
            report.note_change(item.number, measure.title, "created", [])
            continue
        if row.get("slug") and row["slug"] != measure.slug:
            raise ValidationError(_("row %(row)s: the slug of an existing measure cannot change") % {
                "row": item.number})
        fields = _changed_fields(measure_update(actor=actor, measure=measure, data=data, relations=relations), names)
        # Linking the row's stable id is bookkeeping, not a change of the measure.
        external_id_set(actor=actor, measure=measure, external_id=row["external_id"])
        phase = phases.get(row.get("phase", ""))
        # A measure without a lifecycle row already is in the first phase (the export writes it): no transition.
        if phase is not None and measure.pk not in with_lifecycle and phase != first:
            phase_set_initial(actor=actor, measure=measure, phase=phase, reason="import")
            fields.append({"column": "phase", "old": first.slug if first else "", "new": phase.slug})
        if fields:
            report.updated += 1
            report.note_change(item.number, measure.title, "updated", fields)
        else:
            report.unchanged += 1


PREVIEW_KEEP = datetime.timedelta(days=1)  # how long a checked upload waits for "import now"


def spreadsheet_import_start(*, actor, strategy, upload, dry_run: bool = True):
    """Keep the upload in private storage and start the job (it records its own audit event). The office page
    always starts a preview (`dry_run`): the report lists the changes row by row, and
    `spreadsheet_import_confirm` then imports the same file."""
    from kompass.jobs.services import job_start
    from kompass.lifecycle.models import private_storage
    from kompass.lifecycle.tasks import import_spreadsheet

    require(actor, "lifecycle.import_measures")
    _forget_old_previews()
    ext = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    stored = private_storage().save(f"lifecycle/imports/{uuid.uuid4().hex}{ext}", upload)
    title = (_("Check %(name)s") if dry_run else _("Import %(name)s")) % {"name": os.path.basename(upload.name)[:100]}
    return job_start(actor=actor, kind="lifecycle.import", title=title, task=import_spreadsheet,
                     args=[strategy.pk, actor_ref(actor), stored, upload.name, dry_run])


def confirmable(job, actor) -> bool:
    """Whether `actor` may import the file `job` checked: their own passed preview, not imported yet, file kept."""
    from kompass.lifecycle.models import private_storage

    report = (job.result or {}).get("report") or {}
    return (job.kind == "lifecycle.import" and job.status == "done" and job.created_by_id == getattr(actor, "pk", 0)
            and report.get("dry_run") is True and not report.get("problems") and not job.result.get("confirmed_by")
            and len(job.task_args) >= 4 and private_storage().exists(job.task_args[2]))


@transaction.atomic
def spreadsheet_import_confirm(*, actor, strategy, job):
    """Import the file a preview job checked (the rows are checked again: the data may have changed since)."""
    from kompass.jobs.models import Job
    from kompass.jobs.services import job_start
    from kompass.lifecycle.tasks import import_spreadsheet

    require(actor, "lifecycle.import_measures")
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.task_args[:1] != [strategy.pk] or not confirmable(job, actor):
        raise ValidationError(_("This check cannot be imported (any more). Upload the file again."))
    stored, name = job.task_args[2], job.task_args[3]
    started = job_start(actor=actor, kind="lifecycle.import", title=_("Import %(name)s") % {"name": name[:100]},
                        task=import_spreadsheet, args=[strategy.pk, actor_ref(actor), stored, name, False],
                        temp_files=[stored])
    job.result = {**job.result, "confirmed_by": str(started.pk)}
    job.save(update_fields=["result"])
    record_event(actor=actor, action="measures.import_confirmed", obj=job, changes={"job": (None, str(started.pk))})
    return started


def _forget_old_previews() -> None:
    """Delete the kept files of previews nobody imported within PREVIEW_KEEP."""
    from django.utils import timezone

    from kompass.jobs.models import Job
    from kompass.lifecycle.models import private_storage

    storage = private_storage()
    old = Job.objects.filter(kind="lifecycle.import", created_at__lt=timezone.now() - PREVIEW_KEEP,
                             result__report__dry_run=True).exclude(result__has_key="forgotten")
    for job in old[:50]:
        if len(job.task_args) >= 3 and storage.exists(job.task_args[2]):
            storage.delete(job.task_args[2])
        Job.objects.filter(pk=job.pk).update(result={**job.result, "forgotten": True})
