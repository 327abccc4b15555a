"""Writes to monitoring data. Each public function runs in one transaction, takes the acting user explicitly
(None for a system process such as the seed loader), checks the permission and records an audit event.

After every write that can change a status, `refresh_statuses` rewrites the denormalised status tables in bulk.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.accounts.models import UserGroup
from kompass.algorithms.progress import METHODS, Status, compute_status, roll_up
from kompass.audit.services import diff_fields, record_event
from kompass.measures.models import Measure, MeasureValue
from kompass.monitoring.models import (
    LEVEL_ORDER,
    AggregateStatus,
    BoardComment,
    Decision,
    EvaluationCycle,
    Goal,
    GoalAssessment,
    GoalStatus,
    Indicator,
    IndicatorStatus,
    Level,
    MeasureInput,
    Measurement,
    MeasureStatus,
    Review,
    TargetVersion,
)
from kompass.strategy.models import District

BATCH = 2000


def _check(actor, perm: str, obj=None) -> None:
    if actor is None:  # system process (seed loader, benchmark) acts with full rights
        return
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


# --------------------------------------------------------------------------------------------- time helpers

PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{1,2}))(?:-(\d{1,2}))?)?$")


def parse_period(raw: Any) -> datetime.date:
    """`2024`, `2024-Q2`, `2024-05`, `2024-05-17` (or a date) → the first day of the period."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        raw = str(int(raw))
    text = str(raw or "").strip()
    match = PERIOD_RE.match(text)
    if not match:
        raise ValueError(_("“%(value)s” is not a period (use 2024, 2024-Q2, 2024-05 or 2024-05-17).")
                         % {"value": text[:40]})
    year, quarter, month, day = match.groups()
    if quarter:
        if day:
            raise ValueError(_("“%(value)s” is not a period.") % {"value": text[:40]})
        return datetime.date(int(year), 3 * int(quarter) - 2, 1)
    try:
        return datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(_("“%(value)s” is not a valid date.") % {"value": text[:40]}) from exc


def year_fraction(day: datetime.date) -> float:
    """A date as a fractional year (2024-01-01 → 2024.0), the time axis of the progress algorithms."""
    start = datetime.date(day.year, 1, 1)
    length = (datetime.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def period_label(day: datetime.date, cadence: str = "yearly") -> str:
    if cadence == "yearly" and day.month == 1 and day.day == 1:
        return str(day.year)
    if cadence == "quarterly" and day.day == 1 and day.month in (1, 4, 7, 10):
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if cadence == "monthly" and day.day == 1:
        return f"{day.year}-{day.month:02d}"
    return day.isoformat()


# --------------------------------------------------------------------------------------------- impact chains

GOAL_FIELDS = ["level", "position", "title", "title_en", "assumption", "assumption_en"]
INDICATOR_FIELDS = ["goal", "position", "name", "name_en", "definition", "definition_en", "unit", "direction",
                    "baseline_value", "baseline_date", "natural_limit", "method", "data_source", "cadence",
                    "responsible_organisation", "by_district"]


@transaction.atomic
def inputs_set(*, actor, measure: Measure, texts: list[tuple[str, str]], audit_label: str | None = None) -> bool:
    """Replace the inputs of a measure's impact chain with `texts` [(German, English)]."""
    _check(actor, "monitoring.change_monitoring", measure)
    current = [(i.text, i.text_en) for i in MeasureInput.objects.filter(measure=measure)]
    wanted = [(t, e or "") for t, e in texts]
    if current == wanted:
        return False
    MeasureInput.objects.filter(measure=measure).delete()
    MeasureInput.objects.bulk_create([MeasureInput(measure=measure, position=i, text=t, text_en=e)
                                      for i, (t, e) in enumerate(wanted)])
    record_event(actor=actor, action="monitoring.inputs_set", obj=measure, changes={"inputs": (current, wanted)},
                 label=audit_label)
    return True


@transaction.atomic
def goal_save(*, actor, measure: Measure, slug: str, data: dict[str, Any],
              audit_label: str | None = None) -> tuple[Goal, dict]:
    """Create or update the goal `slug` of `measure`; returns (goal, changes)."""
    _check(actor, "monitoring.change_monitoring", measure)
    if data.get("level") not in Level.values:
        raise ValidationError({"level": _("Unknown level.")})
    goal = Goal.objects.filter(measure=measure, slug=slug).first()
    if goal is None:
        goal = Goal(measure=measure, slug=slug, **data)
        goal.full_clean(exclude=["assumption_reviewed_in"])
        goal.save()
        record_event(actor=actor, action="monitoring.goal_created", obj=goal,
                     changes={k: (None, v) for k, v in data.items()}, label=audit_label)
        return goal, {k: (None, v) for k, v in data.items()}
    changes = diff_fields(goal, data)
    if changes:
        for key, (_old, new) in changes.items():
            setattr(goal, key, new)
        goal.full_clean(exclude=["assumption_reviewed_in"], validate_unique=False)
        goal.save(update_fields=list(changes))
        record_event(actor=actor, action="monitoring.goal_updated", obj=goal, changes=changes, label=audit_label)
    return goal, changes


@transaction.atomic
def indicator_save(*, actor, goal: Goal, slug: str, data: dict[str, Any],
                   audit_label: str | None = None) -> tuple[Indicator, dict]:
    """Create or update an indicator. The method can also be changed by a cycle decision (`method_change`)."""
    _check(actor, "monitoring.change_monitoring", goal.measure)
    if data.get("method", "open_sdg") not in METHODS:
        raise ValidationError({"method": _("Unknown progress method.")})
    indicator = Indicator.objects.filter(slug=slug).first()
    data = {**data, "goal": goal}
    if indicator is None:
        indicator = Indicator(slug=slug, measure=goal.measure, **data)
        indicator.full_clean()
        indicator.save()
        changes = {k: (None, v) for k, v in data.items()}
        record_event(actor=actor, action="monitoring.indicator_created", obj=indicator, changes=changes,
                     label=audit_label)
        return indicator, changes
    if indicator.measure_id != goal.measure_id:
        raise ValidationError({"slug": _("This indicator belongs to another measure.")})
    changes = diff_fields(indicator, data)
    if changes:
        for key, (_old, new) in changes.items():
            setattr(indicator, key, new)
        indicator.full_clean(validate_unique=False)
        indicator.save(update_fields=list(changes))
        record_event(actor=actor, action="monitoring.indicator_updated", obj=indicator, changes=changes,
                     label=audit_label)
        refresh_statuses(strategy=goal.measure.strategy, indicator_ids=[indicator.pk])
    return indicator, changes


@transaction.atomic
def indicator_create_with_target(*, actor, goal: Goal, slug: str, data: dict[str, Any],
                                 target: tuple[float, datetime.date]) -> Indicator:
    """A new indicator with its first target version, in one transaction."""
    indicator, _changes = indicator_save(actor=actor, goal=goal, slug=slug, data=data)
    target_add(actor=actor, indicator=indicator, value=target[0], target_date=target[1],
               reason=_("Initial target"))
    return indicator


@transaction.atomic
def target_add(*, actor, indicator: Indicator, value: float, target_date: datetime.date, reason: str = "",
               reason_en: str = "", cycle: EvaluationCycle | None = None, refresh: bool = True,
               audit_label: str | None = None) -> TargetVersion:
    """Add a new target version (a realignment never overwrites an earlier version)."""
    _check(actor, "monitoring.change_monitoring", indicator.measure)
    if not math.isfinite(float(value)):
        raise ValidationError({"value": _("The target must be a finite number.")})
    if target_date <= indicator.baseline_date:
        raise ValidationError({"target_date": _("The target date must lie after the baseline date.")})
    last = TargetVersion.objects.filter(indicator=indicator).order_by("-version").first()
    if last and last.value == float(value) and last.target_date == target_date:
        return last
    version = TargetVersion.objects.create(
        indicator=indicator, version=(last.version + 1) if last else 1, value=float(value),
        target_date=target_date, reason=reason, reason_en=reason_en, cycle=cycle,
        created_by=actor if actor is not None and actor.pk else None)
    record_event(actor=actor, action="monitoring.target_added", obj=indicator, label=audit_label, changes={
        "target": ((last.value, last.target_date) if last else None, (version.value, target_date)),
        "reason": (None, reason)})
    if refresh:
        refresh_statuses(strategy=indicator.measure.strategy, indicator_ids=[indicator.pk])
    return version


@transaction.atomic
def method_change(*, actor, indicator: Indicator, method: str, reason: str = "",
                  audit_label: str | None = None) -> bool:
    _check(actor, "monitoring.change_monitoring", indicator.measure)
    if method not in METHODS:
        raise ValidationError({"method": _("Unknown progress method.")})
    if method == indicator.method:
        return False
    old = indicator.method
    Indicator.objects.filter(pk=indicator.pk).update(method=method)
    indicator.method = method
    record_event(actor=actor, action="monitoring.method_changed", obj=indicator, label=audit_label,
                 changes={"method": (old, method), "reason": (None, reason)})
    refresh_statuses(strategy=indicator.measure.strategy, indicator_ids=[indicator.pk])
    return True


# --------------------------------------------------------------------------------------------- measurements

TRUE_WORDS = {"1", "true", "yes", "ja", "y", "x", "provisional", "vorläufig"}
FALSE_WORDS = {"", "0", "false", "no", "nein", "n", "final", "endgültig"}
COLUMNS = ["indicator", "period", "value", "district", "provisional", "source_note", "unit"]


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


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


def read_table(name: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of an uploaded CSV (UTF-8, comma or semicolon) or XLSX file as dicts of the known columns.

    Raises ImportRejected for an unreadable file or a missing required column."""
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        try:
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            raw_rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a user error
            raise ImportRejected([RowError(0, "-", _("The file is not a readable XLSX workbook."))]) from exc
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRejected([RowError(0, "-", _("The file is not UTF-8 encoded CSV."))]) from exc
        dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        raw_rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=dialect)]
    raw_rows = [r for r in raw_rows if any(c not in (None, "") for c in r)]
    if not raw_rows:
        raise ImportRejected([RowError(0, "-", _("The file is empty."))])
    header = [str(c or "").strip().lower() for c in raw_rows[0]]
    missing = [c for c in ("indicator", "period", "value") if c not in header]
    if missing:
        raise ImportRejected([RowError(1, c, _("This column is missing.")) for c in missing])
    rows = []
    for number, raw in enumerate(raw_rows[1:], start=2):
        row = {"_row": number}
        for index, column in enumerate(header):
            if column in COLUMNS:
                row[column] = raw[index] if index < len(raw) else None
        rows.append(row)
    return rows


def _number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = str(raw or "").strip().replace("\u00a0", "").replace(" ", "")
        # German notation: 1.234,5 or 12,5 or 1.234.567 ("1.234" alone stays a decimal number: ambiguous).
        if (re.fullmatch(r"-?\d{1,3}(\.\d{3})+,\d+", text) or re.fullmatch(r"-?\d+,\d+", text)
                or re.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}", text)):
            text = text.replace(".", "").replace(",", ".")
        number = float(text)
    if not math.isfinite(number):
        raise ValueError
    return number


def _validate_rows(rows: list[dict], *, strategy, measure: Measure | None) -> tuple[list[dict], list[RowError]]:
    slugs = sorted({str(r.get("indicator") or "").strip() for r in rows})
    indicators = {}
    for chunk in _chunks(slugs, 900):
        qs = Indicator.objects.filter(slug__in=chunk, measure__strategy=strategy).select_related("measure")
        if measure is not None:
            qs = qs.filter(measure=measure)
        indicators.update({i.slug: i for i in qs})
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
            value = _number(row.get("value"))
        except (TypeError, ValueError):
            value = None
            row_errors.append(RowError(n, "value", _("“%(value)s” is not a number.")
                                       % {"value": str(row.get("value") or "")[:40]}))
        try:
            period = parse_period(row.get("period"))
        except ValueError as exc:
            period = None
            row_errors.append(RowError(n, "period", str(exc)))
        if indicator is not None and period is not None and not (indicator.baseline_date <= period <= today):
            row_errors.append(RowError(n, "period", _(
                "%(period)s lies outside the indicator's range (%(start)s to today).")
                % {"period": period.isoformat(), "start": indicator.baseline_date.isoformat()}))
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
        provisional_raw = str(row.get("provisional") if row.get("provisional") is not None else "").strip().lower()
        if provisional_raw in TRUE_WORDS:
            provisional = True
        elif provisional_raw in FALSE_WORDS:
            provisional = False
        else:
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
        clean.append({"indicator": indicator, "period": period, "value": value, "district": district,
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
        _check(actor, "monitoring.change_monitoring", measure)
    clean, errors = _validate_rows(rows, strategy=strategy, measure=measure)
    if errors:
        raise ImportRejected(errors)
    for m in {row["indicator"].measure for row in clean}:
        _check(actor, "monitoring.change_monitoring", m)
    result = ImportResult()
    indicator_ids = sorted({row["indicator"].pk for row in clean})
    periods = sorted({row["period"] for row in clean})
    existing = {}  # only the rows that can match: these indicators and these periods (no model instances)
    for chunk in _chunks(indicator_ids, 500):
        qs = Measurement.objects.filter(indicator_id__in=chunk)
        if len(periods) <= 200:
            qs = qs.filter(period__in=periods)
        for pk, ind_id, period, district_id, value, provisional, note in qs.values_list(
                "pk", "indicator_id", "period", "district_id", "value", "is_provisional", "source_note"):
            existing[(ind_id, period, district_id)] = (pk, value, provisional, note)
    user = actor if actor is not None and actor.pk else None
    new, changed = [], []
    now = timezone.now()
    for row in clean:
        key = (row["indicator"].pk, row["period"], row["district"].pk if row["district"] else None)
        current = existing.get(key)
        if current is None:
            new.append(Measurement(entered_by=user, **row))
        elif current[1:] != (row["value"], row["is_provisional"], row["source_note"]):
            changed.append(Measurement(pk=current[0], entered_by=user, entered_at=now, **row))
        else:
            result.unchanged += 1
    Measurement.objects.bulk_create(new, batch_size=BATCH)
    Measurement.objects.bulk_update(changed, ["value", "is_provisional", "source_note", "entered_by",
                                              "entered_at"], batch_size=BATCH)
    result.created, result.updated = len(new), len(changed)
    if new or changed:
        record_event(actor=actor, action="monitoring.measurements_imported", obj=measure, label=audit_label,
                     changes={"source": (None, source), "created": (0, len(new)), "updated": (0, len(changed)),
                              "indicators": (None, [i.slug for i in {r["indicator"] for r in clean}][:50])})
        refresh_statuses(strategy=strategy, indicator_ids=indicator_ids)
    return result


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --------------------------------------------------------------------------------------------- statuses

def _trend(points: list[tuple[float, float]], direction: int) -> int:
    if len(points) < 2:
        return 0
    delta = points[-1][1] - points[-2][1]
    if abs(delta) <= 1e-9 * max(1.0, abs(points[-2][1])):
        return 0
    return 1 if delta * direction > 0 else -1


def compute_indicator(ind: dict, points: list[tuple[float, float]], target: tuple[float, datetime.date] | None):
    """Run the progress algorithm for one indicator (dict of Indicator fields); returns the status row data."""
    try:
        result = compute_status(
            points, method=ind["method"], direction=ind["direction"],
            baseline=(ind["baseline_value"], year_fraction(ind["baseline_date"])),
            target=(target[0], year_fraction(target[1])) if target else None,
            natural_limit=ind["natural_limit"])
        data = result.to_dict()
    except ValueError as exc:  # malformed input (e.g. binary values other than 0/1): shown, never a 500
        data = {"method": ind["method"], "status": Status.NOT_COMPUTABLE.value, "score": None,
                "label": "not_computable", "reason": str(exc), "components": {}}
    return data


@transaction.atomic
def refresh_statuses(*, strategy, indicator_ids: list[int] | None = None, progress=None) -> dict:
    """Recompute and store the statuses of the given indicators (all of the strategy if None), then the goals
    and measures they belong to and every aggregate of the strategy. Bulk reads and writes only."""
    inds_qs = Indicator.objects.filter(measure__strategy=strategy)
    if indicator_ids is not None:
        inds_qs = inds_qs.filter(pk__in=indicator_ids) if len(indicator_ids) <= 900 else inds_qs
    fields = ["id", "goal_id", "measure_id", "method", "direction", "baseline_value", "baseline_date",
              "natural_limit"]
    wanted = set(indicator_ids) if indicator_ids is not None else None
    inds = {row["id"]: row for row in inds_qs.values(*fields) if wanted is None or row["id"] in wanted}
    targets: dict[int, tuple[float, datetime.date]] = {}
    t_qs = TargetVersion.objects.filter(indicator__measure__strategy=strategy)
    if indicator_ids is not None and len(indicator_ids) <= 900:
        t_qs = t_qs.filter(indicator_id__in=indicator_ids)
    for ind_id, value, day in t_qs.order_by("indicator_id", "version").values_list("indicator_id", "value",
                                                                                     "target_date"):
        targets[ind_id] = (value, day)
    series: dict[int, list[tuple[float, float]]] = defaultdict(list)
    latest: dict[int, datetime.date] = {}
    m_qs = Measurement.objects.filter(district__isnull=True)
    if indicator_ids is not None and len(indicator_ids) <= 900:
        m_qs = m_qs.filter(indicator_id__in=indicator_ids)
    else:
        m_qs = m_qs.filter(indicator__measure__strategy=strategy)
    for ind_id, day, value in m_qs.order_by("indicator_id", "period").values_list(
            "indicator_id", "period", "value").iterator(chunk_size=20000):
        if ind_id in inds:
            series[ind_id].append((year_fraction(day), value))
            latest[ind_id] = day
    rows = []
    total = len(inds)
    for done, (ind_id, ind) in enumerate(inds.items(), start=1):
        points = series.get(ind_id, [])
        data = compute_indicator(ind, points, targets.get(ind_id))
        rows.append(IndicatorStatus(
            indicator_id=ind_id, status=data["status"], score=data["score"], method=data["method"],
            label=data["label"] or "", reason=data["reason"] or "", components=data["components"],
            latest_value=points[-1][1] if points else None, latest_period=latest.get(ind_id),
            n_points=len(points), trend=_trend(points, ind["direction"])))
        if progress and done % 1000 == 0:
            progress(done, total)
    ids = list(inds)
    for chunk in _chunks(ids, 900):
        IndicatorStatus.objects.filter(indicator_id__in=chunk).delete()
    IndicatorStatus.objects.bulk_create(rows, batch_size=BATCH)
    measure_ids = {ind["measure_id"] for ind in inds.values()}
    _refresh_goals_and_measures(strategy, measure_ids if indicator_ids is not None else None)
    _refresh_aggregates(strategy)
    return {"indicators": len(rows), "measures": len(measure_ids)}


class _Stub:
    """Adapter so that stored statuses can be fed to `roll_up`."""

    __slots__ = ("status", "score")

    def __init__(self, status: str, score: float | None):
        self.status = Status(status)
        self.score = score


def _refresh_goals_and_measures(strategy, measure_ids: set[int] | None) -> None:
    goals_qs = Goal.objects.filter(measure__strategy=strategy)
    st_qs = IndicatorStatus.objects.filter(indicator__measure__strategy=strategy)
    inputs_qs = MeasureInput.objects.filter(measure__strategy=strategy)
    if measure_ids is not None:
        ids = sorted(measure_ids)
        if len(ids) <= 900:
            goals_qs = goals_qs.filter(measure_id__in=ids)
            st_qs = st_qs.filter(indicator__measure_id__in=ids)
            inputs_qs = inputs_qs.filter(measure_id__in=ids)
    goals = list(goals_qs.values("id", "measure_id", "level", "assumption"))
    by_goal: dict[int, list] = defaultdict(list)
    trend_by_measure: dict[int, list[int]] = defaultdict(list)
    for goal_id, measure_id, status, score, trend in st_qs.values_list(
            "indicator__goal_id", "indicator__measure_id", "status", "score", "trend"):
        by_goal[goal_id].append(_Stub(status, score))
        trend_by_measure[measure_id].append(trend)
    with_inputs = set(inputs_qs.values_list("measure_id", flat=True).distinct())
    goal_rows, goals_by_measure = [], defaultdict(list)
    for goal in goals:
        if measure_ids is not None and goal["measure_id"] not in measure_ids:
            continue
        children = by_goal.get(goal["id"], [])
        result = roll_up(children) if children else None
        status = result.status.value if result else Status.NOT_COMPUTABLE.value
        score = result.score if result else None
        goal_rows.append(GoalStatus(goal_id=goal["id"], status=status, score=score,
                                    rollup=result.to_dict() if result else {"n_children": 0}))
        goals_by_measure[goal["measure_id"]].append((goal, _Stub(status, score), len(children)))
    target_ids = sorted(measure_ids) if measure_ids is not None else list(
        Measure.objects.filter(strategy=strategy).values_list("pk", flat=True))
    measure_rows = []
    for measure_id in target_ids:
        entries = goals_by_measure.get(measure_id, [])
        per_level = {}
        for level in LEVEL_ORDER:
            stubs = [s for g, s, _n in entries if g["level"] == level]
            per_level[level.value] = roll_up(stubs).status.value if stubs else ""
        if not entries:
            continue
        result = roll_up([s for _g, s, _n in entries])
        levels_ok = all(any(g["level"] == lv and n > 0 and g["assumption"].strip() for g, _s, n in entries)
                        for lv in LEVEL_ORDER)
        trends = trend_by_measure.get(measure_id, [])
        measure_rows.append(MeasureStatus(
            measure_id=measure_id, status=result.status.value, score=result.score,
            output_status=per_level["output"], outcome_status=per_level["outcome"],
            impact_status=per_level["impact"], n_indicators=sum(n for _g, _s, n in entries),
            trend=(1 if sum(trends) > 0 else -1 if sum(trends) < 0 else 0),
            chain_complete=levels_ok and measure_id in with_inputs, rollup=result.to_dict()))
    goal_ids = [g.goal_id for g in goal_rows]
    for chunk in _chunks(goal_ids, 900):
        GoalStatus.objects.filter(goal_id__in=chunk).delete()
    GoalStatus.objects.bulk_create(goal_rows, batch_size=BATCH)
    for chunk in _chunks(target_ids, 900):
        MeasureStatus.objects.filter(measure_id__in=chunk).delete()
    MeasureStatus.objects.bulk_create(measure_rows, batch_size=BATCH)


def _refresh_aggregates(strategy) -> None:
    """Action field and value roll-ups (weights: alignment strength; action fields weigh 1) and the strategy."""
    statuses = {m: _Stub(s, sc) for m, s, sc in MeasureStatus.objects.filter(
        measure__strategy=strategy).values_list("measure_id", "status", "score")}
    rows = []
    through = Measure.action_fields.through
    by_field: dict[int, list] = defaultdict(list)
    for measure_id, field_id in through.objects.filter(measure__strategy=strategy).values_list(
            "measure_id", "actionfield_id"):
        if measure_id in statuses:
            by_field[field_id].append(statuses[measure_id])
    for af in strategy.action_fields.all():
        children = by_field.get(af.pk, [])
        if children:
            r = roll_up(children)
            rows.append(AggregateStatus(strategy=strategy, kind="action_field", key=af.slug, name=af.name,
                                        name_en=af.name_en, status=r.status.value, score=r.score,
                                        rollup=r.to_dict()))
    by_value: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    for measure_id, value_id, strength in MeasureValue.objects.filter(measure__strategy=strategy).values_list(
            "measure_id", "value_id", "strength"):
        if measure_id in statuses:
            by_value[value_id][0].append(statuses[measure_id])
            by_value[value_id][1].append(strength)
    for value in strategy.values.all():
        children, weights = by_value.get(value.pk, ([], []))
        if children:
            r = roll_up(children, weights)
            rows.append(AggregateStatus(strategy=strategy, kind="value", key=value.slug, name=value.name,
                                        name_en=value.name_en, status=r.status.value, score=r.score,
                                        rollup=r.to_dict()))
    if statuses:
        r = roll_up(list(statuses.values()))
        rows.append(AggregateStatus(strategy=strategy, kind="strategy", key=strategy.slug, name=strategy.name,
                                    name_en=getattr(strategy, "name_en", ""), status=r.status.value,
                                    score=r.score, rollup=r.to_dict()))
    AggregateStatus.objects.filter(strategy=strategy).delete()
    AggregateStatus.objects.bulk_create(rows)


# --------------------------------------------------------------------------------------------- cycles

def snapshot(strategy) -> dict:
    """What a cycle compares: goals, current targets, methods and statuses (keyed by slugs), plus figures."""
    from kompass.monitoring.selectors import strategy_figures

    goals = {f"{m}/{g}": {"title": t, "level": lv} for m, g, t, lv in Goal.objects.filter(
        measure__strategy=strategy).values_list("measure__slug", "slug", "title", "level")}
    targets = {}
    for slug, version, value, day in TargetVersion.objects.filter(
            indicator__measure__strategy=strategy).order_by("indicator_id", "version").values_list(
            "indicator__slug", "version", "value", "target_date"):
        targets[slug] = {"version": version, "value": value, "date": day.isoformat()}
    indicators = {slug: {"method": method, "status": status or "", "measure": measure}
                  for slug, method, status, measure in Indicator.objects.filter(
                      measure__strategy=strategy).values_list("slug", "method", "computed__status",
                                                              "measure__slug")}
    measures = dict(MeasureStatus.objects.filter(measure__strategy=strategy).values_list(
        "measure__slug", "status"))
    return {"taken_at": timezone.now().isoformat(), "goals": goals, "targets": targets,
            "indicators": indicators, "measures": measures, "figures": strategy_figures(strategy)}


@transaction.atomic
def cycle_open(*, actor, strategy, slug: str, name: str, deadline: datetime.date, name_en: str = "",
               audit_label: str | None = None) -> EvaluationCycle:
    _check(actor, "monitoring.manage_cycles")
    if EvaluationCycle.objects.filter(strategy=strategy, slug=slug).exists():
        raise ValidationError({"slug": _("A cycle with this short name exists already.")})
    cycle = EvaluationCycle(strategy=strategy, slug=slug, name=name, name_en=name_en, deadline=deadline,
                            opened_by=actor if actor is not None and actor.pk else None,
                            snapshot_open=snapshot(strategy))
    cycle.full_clean()
    cycle.save()
    record_event(actor=actor, action="monitoring.cycle_opened", obj=cycle, label=audit_label,
                 changes={"name": (None, name), "deadline": (None, deadline)})
    return cycle


@transaction.atomic
def cycle_close(*, actor, cycle: EvaluationCycle, audit_label: str | None = None) -> EvaluationCycle:
    _check(actor, "monitoring.manage_cycles")
    if cycle.state == EvaluationCycle.State.CLOSED:
        return cycle
    cycle.state = EvaluationCycle.State.CLOSED
    cycle.closed_at = timezone.now()
    cycle.snapshot_close = snapshot(cycle.strategy)
    cycle.save(update_fields=["state", "closed_at", "snapshot_close"])
    record_event(actor=actor, action="monitoring.cycle_closed", obj=cycle, label=audit_label,
                 changes={"state": ("open", "closed")})
    return cycle


def _require_open(cycle: EvaluationCycle) -> None:
    if cycle.state != EvaluationCycle.State.OPEN:
        raise ValidationError(_("This evaluation cycle is closed."))


@transaction.atomic
def review_submit(*, actor, cycle: EvaluationCycle, measure: Measure, learned: str, proposed_changes: str = "",
                  assessments: dict | None = None, audit_label: str | None = None) -> Review:
    """Submit (or revise) a measure's review. `assessments`: {goal: (rating, text, assumption_holds)}."""
    _check(actor, "monitoring.submit_review", measure)
    _require_open(cycle)
    if not learned.strip():
        raise ValidationError({"learned": _("Say what the team learned.")})
    review = Review.objects.filter(cycle=cycle, measure=measure).first()
    old = (review.learned, review.proposed_changes) if review else None
    user = actor if actor is not None and actor.pk else None
    if review is None:
        review = Review.objects.create(cycle=cycle, measure=measure, learned=learned,
                                       proposed_changes=proposed_changes, submitted_by=user)
    else:
        review.learned, review.proposed_changes, review.submitted_by = learned, proposed_changes, user
        review.save()
    valid = {g.pk: g for g in Goal.objects.filter(measure=measure)}
    for goal, (rating, text, holds) in (assessments or {}).items():
        if goal.pk not in valid:
            raise ValidationError(_("The goal does not belong to this measure."))
        if rating not in GoalAssessment.Rating.values:
            raise ValidationError({"rating": _("Unknown assessment.")})
        GoalAssessment.objects.update_or_create(review=review, goal=goal, defaults={
            "rating": rating, "text": text, "assumption_holds": bool(holds)})
        Goal.objects.filter(pk=goal.pk).update(assumption_reviewed_in=cycle)
    record_event(actor=actor, action="monitoring.review_submitted", obj=review, label=audit_label,
                 changes={"review": (old, (learned, proposed_changes))})
    return review


@transaction.atomic
def comment_add(*, actor, cycle: EvaluationCycle, measure: Measure, group: UserGroup, text: str,
                audit_label: str | None = None) -> BoardComment:
    _check(actor, "monitoring.comment")
    _require_open(cycle)
    if group.kind not in (UserGroup.Kind.BOARD, UserGroup.Kind.PANEL):
        raise ValidationError({"group": _("Only boards and panels comment on reviews.")})
    if actor is not None and not actor.has_perm("monitoring.manage_cycles") and not group.members.filter(
            pk=actor.pk).exists():
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("The comment is empty.")})
    comment = BoardComment.objects.create(cycle=cycle, measure=measure, group=group, text=text.strip(),
                                          author=actor if actor is not None and actor.pk else None)
    record_event(actor=actor, action="monitoring.comment_added", obj=comment, label=audit_label,
                 changes={"text": (None, text.strip())})
    return comment


@transaction.atomic
def decision_record(*, actor, cycle: EvaluationCycle, measure: Measure, kind: str, reason: str,
                    new_targets: list[tuple[Indicator, float, datetime.date]] | None = None,
                    new_methods: list[tuple[Indicator, str]] | None = None,
                    audit_label: str | None = None) -> Decision:
    """Record the cycle's decision for a measure. "adjust goals" adds target versions (set by this cycle),
    "adjust the evaluation" changes methods; both are refused for the other kinds."""
    _check(actor, "monitoring.decide", measure)
    _require_open(cycle)
    if kind not in Decision.Kind.values:
        raise ValidationError({"kind": _("Unknown decision.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    if new_targets and kind != Decision.Kind.ADJUST_GOALS:
        raise ValidationError({"kind": _("New targets need the decision “adjust goals”.")})
    if new_methods and kind != Decision.Kind.ADJUST_EVALUATION:
        raise ValidationError({"kind": _("New methods need the decision “adjust the evaluation”.")})
    if kind == Decision.Kind.ADJUST_GOALS and not new_targets:
        raise ValidationError({"kind": _("Adjusting goals needs at least one new target.")})
    for indicator, *_rest in (new_targets or []) + (new_methods or []):
        if indicator.measure_id != measure.pk:
            raise ValidationError(_("The indicator does not belong to this measure."))
    decision = Decision.objects.filter(cycle=cycle, measure=measure).first()
    old = (decision.kind, decision.reason) if decision else None
    user = actor if actor is not None and actor.pk else None
    if decision is None:
        decision = Decision.objects.create(cycle=cycle, measure=measure, kind=kind, reason=reason.strip(),
                                           decided_by=user)
    else:
        decision.kind, decision.reason, decision.decided_by = kind, reason.strip(), user
        decision.save()
    for indicator, value, day in new_targets or []:
        target_add(actor=None, indicator=indicator, value=value, target_date=day, reason=reason.strip(),
                   cycle=cycle, refresh=False, audit_label=audit_label or (actor.email if actor else None))
    for indicator, method in new_methods or []:
        method_change(actor=None, indicator=indicator, method=method, reason=reason.strip(),
                      audit_label=audit_label or (actor.email if actor else None))
    if new_targets:
        refresh_statuses(strategy=measure.strategy, indicator_ids=[i.pk for i, _v, _d in new_targets])
    record_event(actor=actor, action="monitoring.decision_recorded", obj=decision, label=audit_label,
                 changes={"decision": (old, (kind, reason.strip()))})
    return decision


@transaction.atomic
def board_ensure(*, actor, slug: str, name: str, kind: str, name_en: str = "",
                 audit_label: str | None = None) -> UserGroup:
    """Create the board or panel `slug` if it does not exist (used by the seed loader)."""
    _check(actor, "monitoring.manage_cycles")
    group, created = UserGroup.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en,
                                                                          "kind": kind})
    if created:
        record_event(actor=actor, action="monitoring.board_created", obj=group, label=audit_label,
                     changes={"name": (None, name), "kind": (None, kind)})
    return group
