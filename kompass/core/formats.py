"""Numbers, percentages, money and dates as a person reads them, in the active language (German: "1,25",
"58,8 %", "120.000 €", "31.12.2027"). Everything the UI, charts, jobs and human-readable exports show goes through
these helpers instead of f-strings, which always write English decimals ("1.247" reads as 1,247 in German)."""

import datetime
import math
from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language

NBSP = "\u00a0"


def _german_like() -> bool:
    return (get_language() or "de")[:2] != "en"


def number(value, decimals: int | None = None, *, significant: int = 4) -> str:
    """A number with the locale's separators and digit grouping; `decimals=None` keeps up to `significant`
    significant digits and drops trailing zeros. None/"" become a dash; non-numbers are returned as text."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    if decimals is None:
        if isinstance(value, int) or float(value).is_integer():
            decimals = 0
        else:
            magnitude = math.floor(math.log10(abs(float(value)))) if value else 0
            decimals = max(0, min(6, significant - 1 - magnitude))
        text = formats.number_format(round(Decimal(str(value)), decimals), decimals, use_l10n=True,
                                     force_grouping=abs(value) >= 10000)
        sep = formats.get_format("DECIMAL_SEPARATOR")
        if sep in text:
            text = text.rstrip("0").rstrip(sep)
        return text
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=abs(value) >= 10000)


def percent(value, decimals: int = 1) -> str:
    """A percentage given in percent points (58.8 -> "58,8 %"); a narrow no-break space before the sign."""
    if value is None or value == "":
        return "–"
    return f"{number(round(float(value), decimals))}{NBSP}%"


def share(value, decimals: int = 1) -> str:
    """A fraction as a percentage (0.588 -> "58,8 %")."""
    if value is None or value == "":
        return "–"
    return percent(100 * float(value), decimals)


def money(value, currency: str = "€") -> str:
    """Whole euros with grouping (120000 -> "120.000 €"); cents only when there are any."""
    if value is None or value == "":
        return "–"
    amount = Decimal(str(value))
    decimals = 0 if amount == amount.to_integral_value() else 2
    return f"{formats.number_format(amount, decimals, use_l10n=True, force_grouping=True)}{NBSP}{currency}"


def date(value) -> str:
    """A date in the locale's short format (31.12.2027); an ISO string is parsed first."""
    if value in (None, ""):
        return "–"
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def year_or_date(value) -> str:
    """A target or baseline date with the precision it was entered with: a whole year (stored as 1 January, the
    start of the period "2027", or as 31 December, the end of the year) is shown as "2027"; any other day as a
    date (31.12.2027 -> "2027", 30.06.2027 -> "30.06.2027")."""
    if isinstance(value, str) and value:
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime.date) and (value.month, value.day) in ((1, 1), (12, 31)):
        return str(value.year)
    return date(value)
