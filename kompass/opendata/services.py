"""Writes of the open-data app: Open SDG import (through the monitoring services), federation sources, harvested
records and replication links. One transaction each, an explicit actor, an audit event."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from kompass.audit.services import record_event
from kompass.monitoring import services as monitoring
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


def _require(actor, perm: str, obj=None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied


@transaction.atomic
def opensdg_import(*, actor, strategy, measure, indicators: list[SdgIndicator], level: str = "impact",
                   goal_title: str = "") -> SdgImportReport:
    """Bring Open SDG indicators into a measure's impact chain: indicators matched by `kompass_slug` are updated,
    the others are created under one goal of `level`. Measurements and targets go through the monitoring
    services (all or nothing)."""
    _require(actor, "monitoring.change_monitoring", measure)
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
                goal_slug = slugify(goal_title)[:100] or "open-sdg"
                goal = Goal.objects.filter(measure=measure, slug=goal_slug).first()
                if goal is None:
                    goal, _changes = monitoring.goal_save(actor=actor, measure=measure, slug=goal_slug, data={
                        "level": level, "position": 99, "title": goal_title or "Indikatoren aus Open SDG"})
            years = sorted(sdg.headline) or sorted({y for v in sdg.by_geocode.values() for y in v})
            if not years:
                report.skipped_rows += sdg.skipped_rows
                continue
            slug = sdg.slug or f"sdg-{slugify(sdg.number)}"
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
        # Open SDG has yearly values only and no "provisional" flag: keep what a known value already says.
        known_rows = {(m.period.year, m.district_id): (m.source_note, m.is_provisional)
                      for m in indicator.measurements.all()}

        def row(year, value, district=None, known_rows=known_rows, slug=indicator.slug):
            note, provisional = known_rows.get((year, district.pk if district else None), ("Open SDG", False))
            rows.append({"_row": len(rows) + 1, "indicator": slug, "period": str(year), "value": value,
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
