"""Reading periods, numbers and yes/no cells as people type them (German and English notation).

Small pure helpers shared by the measurement services, the seed loader, selectors and reports. They raise
`ValueError` with a translated message; callers turn it into a row-level error.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from django.utils.translation import gettext as _

from kompass.monitoring.dated import DAY, MONTH, PERIOD_PRECISIONS, QUARTER, YEAR, Dated

PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{1,2}))(?:-(\d{1,2}))?)?$")
TRUE_WORDS = {"1", "true", "yes", "ja", "y", "x", "provisional", "vorläufig"}
FALSE_WORDS = {"", "0", "false", "no", "nein", "n", "final", "endgültig"}


def parse_period(raw: Any) -> datetime.date:
    """`2024`, `2024-Q2`, `2024-05`, `2024-05-17` (or a date) → the first day of the period."""
    day = parse_period_entered(raw)
    return datetime.date(day.year, day.month, day.day)


def parse_period_entered(raw: Any) -> Dated:
    """Like `parse_period`, keeping how the period was entered: a `Dated` whose precision is year, quarter,
    month or day (a date is a day)."""
    if isinstance(raw, Dated) and raw.precision in PERIOD_PRECISIONS:
        return raw
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        return Dated(raw.year, raw.month, raw.day, precision=DAY)
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
        return Dated(int(year), 3 * int(quarter) - 2, 1, precision=QUARTER)
    precision = DAY if day else MONTH if month else YEAR
    try:
        return Dated(int(year), int(month or 1), int(day or 1), precision=precision)
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


def parse_number(raw: Any) -> float:
    """A finite number from a cell: 12.5, 12,5, 1.234,5 or 1.234.567 (German), else ValueError/TypeError."""
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


def parse_flag(raw: Any) -> bool | None:
    """yes/no, ja/nein, 1/0, vorläufig/endgültig … → True/False; None when the cell says neither."""
    text = str(raw if raw is not None else "").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None
