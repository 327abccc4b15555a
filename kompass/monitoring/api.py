"""Monitoring API: indicator status with its method and components, and measurement submission for the measure's
team (token or session; all-or-nothing, idempotent)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_noop
from ninja import Field, Router, Schema

from kompass.accounts.api_auth import WRITE_AUTH
from kompass.core.api_schemas import ErrorResponse
from kompass.monitoring import dated, selectors, services
from kompass.strategy.selectors import current_strategy

router = Router()


class TargetOut(Schema):
    version: int
    value: float
    date: datetime.date = Field(...,
                                description=gettext_noop("The first day of the year or month when the target is one"))
    date_precision: str = Field("day", description=gettext_noop("year, month or day: how the date was entered"))
    date_entered: str = Field("", description=gettext_noop("The date as entered: 2027, 2027-12 or 2027-12-31"))
    reason: str = ""
    cycle: str | None = None


class TargetIn(Schema):
    value: float | str = Field(..., description=gettext_noop("A number (German notation in strings is accepted)"))
    date: str = Field(...,
                      description=gettext_noop("A year (2027), a month (2027-12 or 12/2027) or a day (2027-12-31 or "
                                       "31.12.2027)"), max_length=20)
    reason: str = Field("", max_length=2000)


class MeasurementOut(Schema):
    period: datetime.date = Field(..., description="The first day of the period")
    period_precision: str = Field("day", description="year, quarter, month or day: how the period was entered")
    period_entered: str = Field("", description="The period as entered: 2024, 2024-Q2, 2024-05 or 2024-05-17")
    value: float
    district: str | None = None
    provisional: bool
    source_note: str = ""


class StatusOut(Schema):
    status: str
    method: str
    label: str = ""
    score: float | None = None
    reason: str = ""
    trend: int = 0
    components: dict[str, Any]


class IndicatorOut(Schema):
    slug: str
    name: str
    name_en: str = ""
    definition: str = ""
    measure: str
    goal: str
    level: str
    unit: str
    direction: int
    method: str
    baseline_value: float
    baseline_date: datetime.date
    baseline_date_precision: str = "day"
    baseline_date_entered: str = ""
    natural_limit: float | None = None
    data_source: str = ""
    cadence: str
    targets: list[TargetOut]
    status: StatusOut | None = None
    measurements: list[MeasurementOut]


class MeasurementIn(Schema):
    period: str = Field(..., description=gettext_noop("2024, 2024-Q2, 2024-05 or 2024-05-17"), max_length=20)
    value: float | str = Field(..., description=gettext_noop("A number (German notation in strings is accepted)"))
    district: str = Field("", description=gettext_noop("District slug (only for indicators with a district breakdown)"))
    provisional: bool = False
    source_note: str = Field("", max_length=300)
    unit: str = Field("", description=gettext_noop("Optional: must equal the indicator's unit if given"), max_length=60)


class MeasurementsIn(Schema):
    measurements: list[MeasurementIn] = Field(..., max_length=10000)


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int


def _err(param: str, msg: str, where: str = "body") -> dict:
    return {"detail": [{"param": param, "loc": [where, param] if param else [where], "msg": msg}]}


def _target_out(t) -> dict:
    return {"version": t.version, "value": t.value, "date": t.target_date, "date_precision": t.target_date_precision,
            "date_entered": dated.entered(t.target_date, t.target_date_precision), "reason": t.reason,
            "cycle": t.cycle.slug if t.cycle else None}


def _measurement(m, district: str | None) -> dict:
    return {"period": m.period, "period_precision": m.period_precision,
            "period_entered": dated.entered(m.period, m.period_precision), "value": m.value, "district": district,
            "provisional": m.is_provisional, "source_note": m.source_note}


@router.get("monitoring/indicators/{slug}", response={200: IndicatorOut, 404: ErrorResponse},
            summary=gettext_noop("An indicator with its targets, measurements and computed status (method and "
                                 "components)"))
def get_indicator(request, slug: str):
    try:
        page = selectors.indicator_page(current_strategy(), slug)
    except Http404:
        return 404, _err("slug", f"No indicator '{slug}'.", "path")
    ind, st = page.indicator, page.status
    measurements = [_measurement(m, None) for m in page.measurements]
    measurements += [_measurement(m, d.slug) for d, m in page.districts]
    return 200, {
        "slug": ind.slug, "name": ind.name, "name_en": ind.name_en, "definition": ind.definition,
        "measure": ind.measure.slug, "goal": ind.goal.slug, "level": ind.goal.level, "unit": ind.unit,
        "direction": ind.direction, "method": ind.method, "baseline_value": ind.baseline_value,
        "baseline_date": ind.baseline_date, "natural_limit": ind.natural_limit, "data_source": ind.data_source,
        "cadence": ind.cadence,
        "baseline_date_precision": ind.baseline_date_precision,
        "baseline_date_entered": dated.entered(ind.baseline_date, ind.baseline_date_precision),
        "targets": [_target_out(t) for t in page.targets],
        "status": {"status": st.status, "method": st.method, "label": st.label, "score": st.score,
                   "reason": st.reason, "trend": st.trend, "components": st.components} if st else None,
        "measurements": measurements,
    }


@router.post("monitoring/indicators/{slug}/measurements", auth=WRITE_AUTH,
             response={200: ImportOut, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse},
             summary=gettext_noop("Add or correct measurements of an indicator (the measure's team and the strategy "
                                  "office)"))
def post_measurements(request, slug: str, payload: MeasurementsIn):
    strategy = current_strategy()
    try:
        indicator = selectors.indicator_detail(strategy, slug)
    except Http404:
        return 404, _err("slug", f"No indicator '{slug}'.", "path")
    if not request.auth.has_perm("monitoring.change_monitoring", indicator.measure):
        return 403, _err("", "You may not enter measurements for this measure.")
    rows = [{"_row": n, "indicator": indicator.slug, "period": m.period, "value": m.value, "district": m.district,
             "provisional": "yes" if m.provisional else "no", "source_note": m.source_note, "unit": m.unit}
            for n, m in enumerate(payload.measurements)]
    try:
        result = services.measurements_import(actor=request.auth, strategy=strategy, rows=rows,
                                              measure=indicator.measure, source="api")
    except PermissionDenied:
        return 403, _err("", "You may not enter measurements for this measure.")
    except services.ImportRejected as exc:
        return 400, {"detail": [{"param": e.column, "loc": ["body", "measurements", str(e.row), e.column],
                                 "msg": e.message} for e in exc.errors]}
    return 200, {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@router.post("monitoring/indicators/{slug}/targets", auth=WRITE_AUTH,
             response={200: TargetOut, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse},
             summary=gettext_noop("Add a target version (the measure's team and the strategy office); the date "
                                  "keeps the "
                     "precision it is given with"))
def post_target(request, slug: str, payload: TargetIn):
    from django.core.exceptions import ValidationError

    from kompass.monitoring.values import parse_number

    try:
        indicator = selectors.indicator_detail(current_strategy(), slug)
    except Http404:
        return 404, _err("slug", f"No indicator '{slug}'.", "path")
    if not request.auth.has_perm("monitoring.change_monitoring", indicator.measure):
        return 403, _err("", "You may not change the targets of this measure.")
    try:
        value = parse_number(payload.value)
    except (TypeError, ValueError):
        return 400, _err("value", "Not a number.")
    try:
        day = dated.parse_dated(payload.date)
    except ValueError as exc:
        return 400, _err("date", str(exc))
    try:
        version = services.target_add(actor=request.auth, indicator=indicator, value=value, target_date=day,
                                      reason=payload.reason)
    except PermissionDenied:
        return 403, _err("", "You may not change the targets of this measure.")
    except ValidationError as exc:
        problems = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return 400, {"detail": [{"param": "date" if key == "target_date" else key,
                                 "loc": ["body", "date" if key == "target_date" else key], "msg": " ".join(msgs)}
                                for key, msgs in problems.items()]}
    return 200, _target_out(version)
