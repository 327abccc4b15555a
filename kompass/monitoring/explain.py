"""A status in plain language: what was compared and what it means, e.g. "Der Wert ist seit 2023 von 40 auf 52
gestiegen. Für das Ziel 80 bis 2027 wäre bis 2025 etwa 57 nötig gewesen: etwas im Rückstand." Built from the
stored status components (base, current and target value with their years; the required growth rate where the
method uses one), so it says exactly what the method compared (ADR 0079)."""

import math

from django.utils.translation import gettext as _

from kompass.core.formats import number

VERDICTS = {
    "achieved": lambda: _("target reached."),
    "on_track": lambda: _("on track."),
    "acceleration_needed": lambda: _("somewhat behind; it needs to speed up."),
    "limited_progress": lambda: _("clearly behind."),
    "deterioration": lambda: _("moving away from the target."),
    "not_achieved": lambda: _("the target year has passed without reaching the target."),
}


def _year(value) -> str:
    return str(int(math.floor(float(value) + 1e-9)))


def _value(value, unit: str) -> str:
    return f"{number(value)} {unit}".strip()


def status_explanation(status, unit: str = "") -> str:
    """One or two sentences for a computed status (an object with .status and .components); "" when the
    components do not hold a base and a current value."""
    if status is None:
        return ""
    c = status.components or {}
    needed = ("base_time", "base_value", "current_time", "current_value")
    if any(c.get(k) is None for k in needed):
        return ""
    base, current = float(c["base_value"]), float(c["current_value"])
    params = {"since": _year(c["base_time"]), "base": _value(base, unit), "current": _value(current, unit),
              "now": _year(c["current_time"])}
    if current > base:
        text = _("The value rose from %(base)s in %(since)s to %(current)s in %(now)s.") % params
    elif current < base:
        text = _("The value fell from %(base)s in %(since)s to %(current)s in %(now)s.") % params
    else:
        text = _("The value stayed at %(base)s from %(since)s to %(now)s.") % params
    target, target_time = c.get("target_value"), c.get("target_time")
    verdict = VERDICTS.get(status.status)
    if target is None or target_time is None or verdict is None:
        return text
    span = float(target_time) - float(c["base_time"])
    elapsed = float(c["current_time"]) - float(c["base_time"])
    if status.status == "achieved" or span <= 0 or elapsed <= 0:
        return text + " " + _("Target %(target)s by %(year)s: %(verdict)s") % {
            "target": _value(target, unit), "year": _year(target_time), "verdict": verdict()}
    rate = c.get("cagr_required")
    start = c.get("base_value_used", base)
    if isinstance(rate, int | float) and math.isfinite(rate) and rate > -1:
        expected = float(start) * (1 + rate) ** elapsed
    else:
        expected = base + (float(target) - base) * min(1.0, elapsed / span)
    return text + " " + _("For the target of %(target)s by %(year)s, about %(expected)s would have been needed by "
                          "%(now)s: %(verdict)s") % {
        "target": _value(target, unit), "year": _year(target_time), "expected": _value(round(expected, 1), unit),
        "now": params["now"], "verdict": verdict()}
