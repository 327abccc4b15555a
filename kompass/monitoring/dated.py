"""Target and baseline dates with the precision they were entered with (ADR 0081): "2027" is a year, "12/2027"
or "2027-12" a month, "31.12.2027" or "2027-12-31" a day. A year or month is stored as its first day (as
`values.parse_period` does, so the progress methods see the same time axis) together with its precision, and
every page shows it as entered: "2027", "Dezember 2027", "31.12.2027"."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils import formats as django_formats
from django.utils.translation import gettext as _

YEAR, QUARTER, MONTH, DAY = "year", "quarter", "month", "day"
PRECISIONS = (YEAR, MONTH, DAY)  # targets and baselines
PERIOD_PRECISIONS = (YEAR, QUARTER, MONTH, DAY)  # measurement periods (values.parse_period_entered)

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(?:(\d{4})-(\d{1,2})|(\d{1,2})[/.](\d{4}))$")
_DAY = re.compile(r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.(\d{1,2})\.(\d{4}))$")


class Dated(datetime.date):
    """A date that remembers the precision it was entered with (forms and the API hand it to the services)."""

    precision = DAY

    def __new__(cls, *args, precision: str = DAY):
        obj = super().__new__(cls, *args)
        obj.precision = precision
        return obj

    def __repr__(self) -> str:
        return f"Dated({self.isoformat()}, {self.precision})"


def parse_dated(raw: Any) -> Dated:
    """"2027", 2027, "12/2027", "12.2027", "2027-12", "31.12.2027", "2027-12-31" or a date → a Dated; else
    ValueError with a message for people."""
    if isinstance(raw, Dated):
        return raw
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        return Dated(raw.year, raw.month, raw.day, precision=DAY)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    text = str(raw or "").strip()
    try:
        if match := _YEAR.match(text):
            return Dated(int(match[1]), 1, 1, precision=YEAR)
        if match := _MONTH.match(text):
            year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
            return Dated(int(year), int(month), 1, precision=MONTH)
        if match := _DAY.match(text):
            year, month, day = match.group(1, 2, 3) if match[1] else (match[6], match[5], match[4])
            return Dated(int(year), int(month), int(day), precision=DAY)
    except ValueError:
        raise ValueError(_("“%(value)s” is not a valid date.") % {"value": text[:40]}) from None
    raise ValueError(_("“%(value)s” is not a date: give a year (2027), a month (12/2027) or a day (31.12.2027).")
                     % {"value": text[:40]})


def split(value) -> tuple[datetime.date | None, str | None]:
    """(plain date, precision) of a Dated; (date, None) for a plain date: the caller keeps what is stored."""
    if value is None:
        return None, None
    if isinstance(value, datetime.datetime):
        value = value.date()
    plain = datetime.date(value.year, value.month, value.day)
    return plain, getattr(value, "precision", None)


def format_dated(value, precision: str | None = DAY) -> str:
    """A stored date shown with its precision in the active language: "2027", "Dezember 2027", "31.12.2027"."""
    if value in (None, ""):
        return "–"
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if precision == YEAR:
        return str(value.year)
    if precision == QUARTER:
        return _("Q%(quarter)s %(year)s") % {"quarter": (value.month - 1) // 3 + 1, "year": value.year}
    if precision == MONTH:
        return django_formats.date_format(value, "F Y")
    return django_formats.date_format(value, "SHORT_DATE_FORMAT")


def entered(value, precision: str | None = DAY) -> str:
    """The stored date as it can be typed in again (forms, API): "2027", "2027-Q2", "2027-12", "2027-12-31"."""
    if value is None:
        return ""
    if precision == YEAR:
        return f"{value.year:04d}"
    if precision == QUARTER:
        return f"{value.year:04d}-Q{(value.month - 1) // 3 + 1}"
    if precision == MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
