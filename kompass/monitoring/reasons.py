"""Why a status cannot be computed, in the reader's language. algorithms.progress states its preconditions as
fixed English sentences with numbers (its `reason`); this table turns each of them into German through gettext,
and anything unknown into a general sentence, so no English reason reaches a page (ADR 0079)."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompass.core.formats import number

_N = r"(-?[\d.e+-]+|inf|-inf|nan)"
REASONS = [
    (r"at least two data points are needed", gettext_lazy("At least two values are needed to see a development.")),
    (rf"at least {_N} data points are needed, got {_N}",
     gettext_lazy("This method needs at least %(1)s values; there are %(2)s so far.")),
    (r"no data point", gettext_lazy("There is no value yet.")),
    (r"(linear achievement|the Destatis method) needs a target \(value and time\)",
     gettext_lazy("This method needs a target value with a target year.")),
    (rf"the latest data point \({_N}\) must be later than the baseline \({_N}\)",
     gettext_lazy("The latest value (%(1)s) must be later than the baseline (%(2)s).")),
    (rf"the target time \({_N}\) must be later than the baseline \({_N}\)",
     gettext_lazy("The target year (%(1)s) must be later than the baseline (%(2)s).")),
    (rf"base value \({_N}\) and current value \({_N}\) have different signs; growth rates are undefined "
     r"\(transform the data first\)",
     gettext_lazy("The base value (%(1)s) and the current value (%(2)s) have different signs, so no growth rate "
                  "can be computed.")),
    (rf"base value \({_N}\) and target \({_N}\) have different signs; growth rates are undefined "
     r"\(transform the data first\)",
     gettext_lazy("The base value (%(1)s) and the target (%(2)s) have different signs, so no growth rate can be "
                  "computed.")),
    (r"the growth rate is too large to represent \(values or times too far apart\)",
     gettext_lazy("The values are too far apart to compute a growth rate.")),
    (r"achievement ratio is undefined|score is not finite",
     gettext_lazy("The values do not allow a meaningful comparison.")),
    (r"(linear achievement|the Eurostat method|the Destatis method) has no natural-limit adjustment",
     gettext_lazy("This method does not use the natural limit.")),
    (r"a target is given; the natural limit only applies without one",
     gettext_lazy("Not used, because a target is set; the natural limit only counts without a target.")),
    (r"the Destatis method uses the last six points, not the baseline",
     gettext_lazy("Not used: this method looks at the last six values instead of the baseline.")),
]
_COMPILED = [(re.compile(pattern + r"\.?$"), text) for pattern, text in REASONS]


def _number(raw: str) -> str:
    try:
        value = float(raw)
    except ValueError:
        return raw
    return number(int(value) if value.is_integer() else value, significant=6)  # years such as 2023,5


def reason_text(reason: str) -> str:
    """The German (active language) wording of an algorithm reason; "" stays ""."""
    reason = (reason or "").strip()
    if not reason:
        return ""
    for pattern, text in _COMPILED:
        match = pattern.match(reason)
        if match:
            numbers = [g for g in match.groups() if g and re.fullmatch(_N, g)]
            return str(text) % {str(i): _number(n) for i, n in enumerate(numbers, 1)}
    return _("The status cannot be computed from these values yet.")
