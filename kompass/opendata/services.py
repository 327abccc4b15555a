"""Writes of the open-data app: Open SDG import (through the monitoring services), federation sources, harvested
records and replication links. One transaction each, an explicit actor, an audit event."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from kompass.audit.services import record_event
from kompass.core.actors import person
from kompass.core.permissions import require
from kompass.core.text import german_slug
from kompass.monitoring import services as monitoring
from kompass.monitoring.dated import entered
from kompass.monitoring.models import Goal, Indicator
from kompass.opendata.opensdg import SdgIndicator, year_start


@dataclass
class SdgImportReport:
    indicators_created: int = 0
    indicators_updated: int = 0
    targets: int = 0
    measurements: int = 0
    skipped_rows: int = 0
    slugs: list[str] = field(default_factory=list)


@transaction.atomic
def opensdg_import(*, actor, strategy, measure, indicators: list[SdgIndicator], level: str = "impact",
                   goal_title: str = "") -> SdgImportReport:
    """Bring Open SDG indicators into a measure's impact chain: indicators matched by `kompass_slug` are updated,
    the others are created under one goal of `level`. Measurements and targets go through the monitoring
    services (all or nothing)."""
    require(actor, "monitoring.change_monitoring", measure)
    if measure.strategy_id != strategy.pk:
        raise ValidationError({"measure": "The measure belongs to another strategy."})
    report = SdgImportReport()
    goal = None
    districts = {d.official_key: d for d in strategy.districts.exclude(official_key="")}
    rows: list[dict] = []
    for n, sdg in enumerate(indicators):
        existing = Indicator.objects.filter(slug=sdg.slug, measure__strategy=strategy).select_related(
            "goal").first() if sdg.slug else None
        if existing is None:
            if goal is None:
                goal_slug = german_slug(goal_title, fallback="open-sdg")
                goal = Goal.objects.filter(measure=measure, slug=goal_slug).first()
                if goal is None:
                    goal, _changes = monitoring.goal_save(actor=actor, measure=measure, slug=goal_slug, data={
                        "level": level, "position": 99, "title": goal_title or "Indikatoren aus Open SDG"})
            years = sorted(sdg.headline) or sorted({y for v in sdg.by_geocode.values() for y in v})
            if not years:
                report.skipped_rows += sdg.skipped_rows
                continue
            slug = sdg.slug or f"sdg-{german_slug(sdg.number)}"
            base_year = years[0]
            base_value = sdg.headline.get(base_year) if sdg.headline else None
            indicator, _changes = monitoring.indicator_save(actor=actor, goal=goal, slug=slug[:120], data={
                "position": n, "name": sdg.name, "unit": sdg.unit or "–", "direction": sdg.direction,
                "baseline_value": base_value if base_value is not None else 0.0,
                "baseline_date": year_start(base_year), "method": "open_sdg", "data_source": sdg.source,
                "cadence": "yearly", "responsible_organisation": measure.responsible_organisation,
                "by_district": bool(sdg.by_geocode)})
            report.indicators_created += 1
        else:
            indicator = existing
            report.indicators_updated += 1
        report.slugs.append(indicator.slug)
        known = set(indicator.target_versions.values_list("value", "target_date"))
        for value, year in sdg.targets:
            if (value, year_start(year)) not in known:
                monitoring.target_add(actor=actor, indicator=indicator, value=value, target_date=year_start(year),
                                      reason="Open SDG", refresh=False)
                report.targets += 1
        # Open SDG has yearly values only and no "provisional" flag: keep what a known value already says, and
        # how its period was entered (a value entered for the day 1 January stays one).
        known_rows = {(m.period.year, m.district_id): (
            m.source_note, m.is_provisional,
            entered(m.period, m.period_precision) if (m.period.month, m.period.day) == (1, 1) else str(m.period.year))
            for m in indicator.measurements.all()}

        def row(year, value, district=None, known_rows=known_rows, slug=indicator.slug):
            note, provisional, period = known_rows.get((year, district.pk if district else None),
                                                       ("Open SDG", False, str(year)))
            rows.append({"_row": len(rows) + 1, "indicator": slug, "period": period, "value": value,
                         "district": district.slug if district else "", "source_note": note,
                         "provisional": "yes" if provisional else "no"})

        for year, value in sorted(sdg.headline.items()):
            if existing is not None and (year, None) not in known_rows and year == indicator.baseline_date.year \
                    and value == indicator.baseline_value:
                continue  # the baseline, which an Open SDG export writes as the first data point
            row(year, value)
        for code, series in sdg.by_geocode.items():
            district = districts.get(code)
            if district is None or not indicator.by_district:
                report.skipped_rows += len(series)
                continue
            for year, value in sorted(series.items()):
                row(year, value, district)
        report.skipped_rows += sdg.skipped_rows
    if rows:
        result = monitoring.measurements_import(actor=actor, strategy=strategy, rows=rows, source="Open SDG")
        report.measurements = result.created + result.updated
    ids = list(Indicator.objects.filter(slug__in=report.slugs).values_list("pk", flat=True))
    monitoring.refresh_statuses(strategy=strategy, indicator_ids=ids)
    record_event(actor=actor, action="opendata.opensdg_imported", obj=measure,
                 changes={"indicators": (None, report.slugs), "measurements": (None, report.measurements)})
    return report


# --- federation ---------------------------------------------------------------------------------------------

@dataclass
class HarvestReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    restored: int = 0
    error: str = ""


def source_follow(*, actor, name: str, url: str, kind: str = "kompass", interval_hours: int = 24):
    """Follow another Kompass instance or a DCAT-AP catalogue (the strategy office)."""
    from kompass.opendata.models import Source

    require(actor, "strategy.edit_framework")
    if kind not in Source.Kind.values:
        raise ValidationError({"kind": "Unknown kind of source."})
    with transaction.atomic():
        source = Source(name=name[:200], url=url.rstrip("/") if kind == "kompass" else url, kind=kind,
                        interval_hours=max(1, interval_hours))
        source.full_clean()
        source.save()
        record_event(actor=actor, action="opendata.source_followed", obj=source,
                     changes={"url": (None, source.url), "kind": (None, kind)})
    harvest_schedule(actor=actor, source=source)  # the first harvest runs now, then every interval
    return source


HARVEST_JOB = "opendata.harvest"


def harvest_schedule(*, actor, source, run_after=None):
    """Queue the next harvest job of a followed source (at `run_after`, default now), unless one is queued
    already or the source is no longer followed: each follow has its own recurring job, run by the task worker
    (`kompass db_worker`); each harvest queues the next one `interval_hours` later. Returns the queued Job, or
    None (nothing to schedule, or a task backend that cannot run jobs later, like the tests' immediate one)."""
    from kompass.jobs.models import Job
    from kompass.jobs.services import can_schedule, job_start
    from kompass.opendata.tasks import harvest_task

    require(actor, "strategy.edit_framework")
    if not source.is_active or not can_schedule():
        return None
    queued = Job.objects.filter(kind=HARVEST_JOB, status=Job.Status.QUEUED).values_list("task_args", flat=True)
    if any(args == [source.pk] for args in queued):
        return None
    return job_start(actor=actor, kind=HARVEST_JOB, title=f"Harvest {source.name}"[:250], task=harvest_task,
                     args=[source.pk], run_after=run_after)


def _hash(r) -> str:
    import hashlib
    import json

    payload = [r.url, r.title, r.summary, r.body, r.tags, r.parent_url, r.parent_title, r.publisher,
               r.licence.id if r.licence else ""]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def harvest(*, actor, source, get=None, now=None) -> HarvestReport:
    """Harvest one source: new records are added, changed ones updated, records the source no longer publishes
    are marked withdrawn (and restored when they come back). A failed fetch changes no record."""
    from django.utils import timezone

    from kompass.opendata import federation
    from kompass.opendata.models import HarvestedRecord

    require(actor, "strategy.edit_framework")
    now = now or timezone.now()
    get = get or federation.fetch
    report = HarvestReport()
    try:
        records = (federation.read_kompass(source.url, get) if source.kind == "kompass"
                   else federation.read_dcat(source.url, get))
    except (federation.FetchError, KeyError, TypeError, AttributeError) as exc:
        report.error = str(exc)[:1000] or exc.__class__.__name__
        with transaction.atomic():
            source.last_harvest_at, source.last_status, source.last_message = now, "error", report.error
            source.save(update_fields=["last_harvest_at", "last_status", "last_message"])
            record_event(actor=actor, action="opendata.harvest_failed", obj=source,
                         changes={"error": (None, report.error)})
        return report
    with transaction.atomic():
        existing = {(r.kind, r.remote_id): r for r in HarvestedRecord.objects.filter(source=source)}
        seen = set()
        for r in records:
            key = (r.kind, r.remote_id)
            if key in seen:
                continue
            seen.add(key)
            digest = _hash(r)
            fields = {"url": r.url, "title": r.title or r.remote_id[:300], "summary": r.summary, "body": r.body,
                      "tags": r.tags, "parent_url": r.parent_url, "parent_title": r.parent_title,
                      "publisher": r.publisher or source.name, "licence_id": r.licence.id if r.licence else "",
                      "licence_title": r.licence.title if r.licence else "",
                      "licence_url": r.licence.url if r.licence else ""}
            row = existing.get(key)
            if row is None:
                HarvestedRecord.objects.create(source=source, kind=r.kind, remote_id=r.remote_id, content_hash=digest,
                                               changed_at=now, **fields)
                report.created += 1
                continue
            if row.state == HarvestedRecord.State.WITHDRAWN:
                row.state, row.withdrawn_at = HarvestedRecord.State.ACTIVE, None
                report.restored += 1
            elif row.content_hash == digest:
                report.unchanged += 1
                continue
            else:
                report.updated += 1
            for k, v in fields.items():
                setattr(row, k, v)
            if row.content_hash != digest:
                row.content_hash, row.changed_at = digest, now
            row.save()
        gone = [row.pk for key, row in existing.items() if key not in seen and row.state == "active"]
        report.withdrawn = HarvestedRecord.objects.filter(pk__in=gone).update(
            state=HarvestedRecord.State.WITHDRAWN, withdrawn_at=now, changed_at=now)
        source.last_harvest_at, source.last_status = now, "ok"
        source.last_message = (f"{report.created} new, {report.updated} changed, {report.withdrawn} withdrawn, "
                               f"{report.restored} back, {report.unchanged} unchanged")
        source.save(update_fields=["last_harvest_at", "last_status", "last_message"])
        record_event(actor=actor, action="opendata.harvested", obj=source,
                     changes={"result": (None, source.last_message)})
    return report


def replication_record(*, actor, measure, record=None, remote_url: str = "", remote_title: str = "",
                       relation: str = "replicates", note: str = ""):
    """Record that `measure` replicates or adapts another city's measure (a harvested record, or a URL)."""
    from kompass.opendata.models import Replication

    require(actor, "lifecycle.mark_replication", measure)
    if relation not in Replication.Relation.values:
        raise ValidationError({"relation": "Unknown relation."})
    if record is not None:
        remote_url, remote_title = record.url, record.title
    if not remote_url or not remote_title:
        raise ValidationError({"remote_url": "Name the other city's measure and its address."})
    with transaction.atomic():
        link, created = Replication.objects.update_or_create(
            measure=measure, remote_url=remote_url[:1000],
            defaults={"record": record, "remote_title": remote_title[:300], "relation": relation, "note": note,
                      "remote_city": record.source.name if record is not None else "",
                      "created_by": person(actor)})
        record_event(actor=actor, action="opendata.replication_recorded", obj=measure,
                     changes={"origin": (None, remote_url), "relation": (None, relation)})
    return link


def replication_remove(*, actor, replication) -> None:
    require(actor, "lifecycle.mark_replication", replication.measure)
    with transaction.atomic():
        record_event(actor=actor, action="opendata.replication_removed", obj=replication.measure,
                     changes={"origin": (replication.remote_url, None)})
        replication.delete()
