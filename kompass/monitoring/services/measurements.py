"""Measurements from the form, an upload, the API or the seed loader: every row is validated first, then all
rows are written or none (row-level errors), and re-importing the same rows changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core import formats
from kompass.core.actors import person
from kompass.core.permissions import require
from kompass.core.plausible import value_problem
from kompass.measures.models import Measure
from kompass.monitoring.models import Indicator, Measurement
from kompass.monitoring.services._common import BATCH, IN_CHUNK, chunks
from kompass.monitoring.services.statuses import refresh_statuses
from kompass.monitoring.values import parse_flag, parse_number, parse_period_entered
from kompass.strategy.models import District

COLUMNS = ["indicator", "period", "value", "district", "provisional", "source_note", "unit"]
REQUIRED_COLUMNS = ("indicator", "period", "value")


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(Exception):
    """At least one row is invalid; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))


def _indicators(slugs: list[str], *, strategy, measure: Measure | None) -> dict[str, Indicator]:
    indicators = {}
    for chunk in chunks(slugs, IN_CHUNK):
        qs = Indicator.objects.filter(slug__in=chunk, measure__strategy=strategy).select_related("measure")
        if measure is not None:
            qs = qs.filter(measure=measure)
        indicators.update({i.slug: i for i in qs})
    return indicators


def validate_rows(rows: list[dict], *, strategy, measure: Measure | None) -> tuple[list[dict], list[RowError]]:
    """Check every row against the indicators (of `measure`, else of the strategy) and districts; returns the
    clean rows and every error (a row can have several)."""
    indicators = _indicators(sorted({str(r.get("indicator") or "").strip() for r in rows}), strategy=strategy,
                             measure=measure)
    districts = {d.slug: d for d in District.objects.filter(strategy=strategy)}
    today = timezone.localdate()
    clean, errors, seen = [], [], {}
    for row in rows:
        n = row.get("_row", 0)
        row_errors = []
        slug = str(row.get("indicator") or "").strip()
        indicator = indicators.get(slug)
        if indicator is None:
            where = _("of this measure") if measure is not None else _("in this strategy")
            row_errors.append(RowError(n, "indicator", _("Unknown indicator “%(slug)s” %(where)s.")
                                       % {"slug": slug[:80], "where": where}))
        try:
            value = parse_number(row.get("value"))
        except (TypeError, ValueError):
            value = None
            row_errors.append(RowError(n, "value", _("“%(value)s” is not a number.")
                                       % {"value": str(row.get("value") or "")[:40]}))
        try:
            entered = parse_period_entered(row.get("period"))  # keeps year / quarter / month / day as entered
            period, precision = datetime.date(entered.year, entered.month, entered.day), entered.precision
        except ValueError as exc:
            period = precision = None
            row_errors.append(RowError(n, "period", str(exc)))
        if indicator is not None and period is not None and not (indicator.baseline_date <= period <= today):
            row_errors.append(RowError(n, "period", _(
                "%(period)s lies outside the indicator's range (%(start)s to today).")
                % {"period": formats.date(period), "start": formats.date(indicator.baseline_date)}))
        if indicator is not None and value is not None:
            problem = value_problem(value, unit=indicator.unit, baseline=indicator.baseline_value,
                                    natural_limit=indicator.natural_limit, direction=indicator.direction)
            if problem:
                row_errors.append(RowError(n, "value", problem))
        unit = str(row.get("unit") or "").strip()
        if indicator is not None and unit and unit != indicator.unit:
            row_errors.append(RowError(n, "unit", _("The unit “%(unit)s” disagrees with the indicator's unit "
                                                    "“%(expected)s”.") % {"unit": unit[:40],
                                                                          "expected": indicator.unit}))
        district = None
        district_slug = str(row.get("district") or "").strip()
        if district_slug:
            district = districts.get(district_slug)
            if district is None:
                row_errors.append(RowError(n, "district", _("Unknown district “%(slug)s”.")
                                           % {"slug": district_slug[:80]}))
            elif indicator is not None and not indicator.by_district:
                row_errors.append(RowError(n, "district", _("This indicator has no breakdown by district.")))
        provisional = parse_flag(row.get("provisional"))
        if provisional is None:
            provisional = False
            row_errors.append(RowError(n, "provisional", _("Use yes or no.")))
        if not row_errors:
            key = (indicator.pk, period, district.pk if district else None)
            if key in seen:
                row_errors.append(RowError(n, "period", _("Same indicator, period and district as row %(row)s.")
                                           % {"row": seen[key]}))
            seen[key] = n
        if row_errors:
            errors += row_errors
            continue
        clean.append({"indicator": indicator, "period": period, "period_precision": precision, "value": value,
                      "district": district,
                      "is_provisional": provisional,
                      "source_note": str(row.get("source_note") or "").strip()[:300]})
    return clean, errors


@transaction.atomic
def measurements_import(*, actor, strategy, rows: list[dict], measure: Measure | None = None,
                        source: str = "form", audit_label: str | None = None) -> ImportResult:
    """Validate every row, then write all of them or nothing (raises ImportRejected with row-level errors).

    Re-importing the same rows changes nothing (rows are matched on indicator, period and district).
    The actor needs the monitoring permission on every measure the rows touch (else PermissionDenied)."""
    if measure is not None:
        require(actor, "monitoring.change_monitoring", measure)
    clean, errors = validate_rows(rows, strategy=strategy, measure=measure)
    if errors:
        raise ImportRejected(errors)
    for m in {row["indicator"].measure for row in clean}:
        require(actor, "monitoring.change_monitoring", m)
    result = ImportResult()
    indicator_ids = sorted({row["indicator"].pk for row in clean})
    periods = sorted({row["period"] for row in clean})
    existing = {}  # only the rows that can match: these indicators and these periods (no model instances)
    for chunk in chunks(indicator_ids, 500):
        qs = Measurement.objects.filter(indicator_id__in=chunk)
        if len(periods) <= 200:
            qs = qs.filter(period__in=periods)
        for pk, ind_id, period, district_id, value, provisional, note, precision in qs.values_list(
                "pk", "indicator_id", "period", "district_id", "value", "is_provisional", "source_note",
                "period_precision"):
            existing[(ind_id, period, district_id)] = (pk, value, provisional, note, precision)
    user = person(actor)
    new, changed = [], []
    now = timezone.now()
    for row in clean:
        key = (row["indicator"].pk, row["period"], row["district"].pk if row["district"] else None)
        current = existing.get(key)
        if current is None:
            new.append(Measurement(entered_by=user, **row))
        elif current[1:] != (row["value"], row["is_provisional"], row["source_note"], row["period_precision"]):
            changed.append(Measurement(pk=current[0], entered_by=user, entered_at=now, **row))
        else:
            result.unchanged += 1
    Measurement.objects.bulk_create(new, batch_size=BATCH)
    Measurement.objects.bulk_update(changed, ["value", "is_provisional", "source_note", "period_precision",
                                              "entered_by", "entered_at"], batch_size=BATCH)
    result.created, result.updated = len(new), len(changed)
    if new or changed:
        record_event(actor=actor, action="monitoring.measurements_imported", obj=measure, label=audit_label,
                     changes={"source": (None, source), "created": (0, len(new)), "updated": (0, len(changed)),
                              "indicators": (None, [i.slug for i in {r["indicator"] for r in clean}][:50])})
        refresh_statuses(strategy=strategy, indicator_ids=indicator_ids)
    return result
