"""Plausibility limits for dates and values people type in (ADR 0074).

A date in year 9999, an end before its start, a negative count or a share above 100 % is a typing error, not data.
Forms, services and the API refuse them with the same messages: forms through the validators below, services and
models through `check_date`/`check_value` (a `ValidationError` naming the field)."""

from __future__ import annotations

import datetime
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kompass.core.formats import number

EARLIEST_YEAR = 1900
YEARS_AHEAD = 50  # strategies plan ten to twenty-five years ahead; fifty leaves room and still catches 9999
PERCENT_UNITS = {"%", "prozent", "percent", "per cent", "anteil in %"}


def latest_date(today: datetime.date | None = None) -> datetime.date:
    today = today or datetime.date.today()
    return datetime.date(today.year + YEARS_AHEAD, 12, 31)


def date_problem(value: datetime.date | None) -> str | None:
    """Why `value` cannot be meant, or None."""
    if value is None:
        return None
    if value.year < EARLIEST_YEAR:
        return _("The year %(year)s lies too far in the past (%(earliest)s at the earliest).") % {
            "year": value.year, "earliest": EARLIEST_YEAR}
    if value > latest_date():
        return _("The year %(year)s lies too far in the future (%(latest)s at the latest).") % {
            "year": value.year, "latest": latest_date().year}
    return None


def validate_plausible_date(value) -> None:
    """A form/model field validator."""
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem, code="implausible_date")


def check_date(field: str, value) -> None:
    problem = date_problem(value)
    if problem:
        raise ValidationError({field: problem}, code="implausible_date")


def check_order(start_field: str, start, end_field: str, end) -> None:
    """The end may not lie before the start."""
    if start is not None and end is not None and end < start:
        raise ValidationError({end_field: _("The end lies before the start.")}, code="end_before_start")


def validate_not_negative(value) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("A count or amount cannot be negative."), code="negative")


def is_percent(unit: str) -> bool:
    return (unit or "").strip().lower() in PERCENT_UNITS


def value_problem(value: float | None, *, unit: str, baseline: float | None = None,
                  natural_limit: float | None = None, direction: int = 1) -> str | None:
    """Why a measured or target value of an indicator cannot be meant, or None. A share lies between 0 and 100;
    other quantities are counts or amounts and cannot be negative unless the baseline already is; nothing lies
    beyond the indicator's natural limit (above it when higher is better, below it when lower is better)."""
    if value is None:
        return None
    if not math.isfinite(value):
        return _("Enter a finite number.")
    if is_percent(unit) and not 0 <= value <= 100:
        return _("A percentage lies between 0 and 100.")
    if value < 0 and not (baseline is not None and baseline < 0):
        return _("A count or amount cannot be negative.")
    if natural_limit is not None and (value > natural_limit if direction >= 0 else value < natural_limit):
        return _("The value lies beyond the natural limit of %(limit)s.") % {"limit": number(natural_limit)}
    return None


def check_value(field: str, value, **indicator) -> None:
    problem = value_problem(value, **indicator)
    if problem:
        raise ValidationError({field: problem}, code="implausible_value")
