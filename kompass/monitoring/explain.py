"""A status in plain language: what was compared and what it means, e.g. "Der Wert ist seit 2023 von 40 auf 52
gestiegen. Für das Ziel 80 bis 2027 wäre bis 2025 etwa 57 nötig gewesen: etwas im Rückstand." Built from the
stored status components (base, current and target value with their years; the required growth rate where the
method uses one), so it says exactly what the method compared (ADR 0079)."""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

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


@dataclass(frozen=True)
class Explanation:
    """A status for people: `summary` is one short line (tables, reports), `details` the full sentences shown
    under "Wie wird das berechnet?"."""

    summary: str
    details: str

    def __bool__(self) -> bool:
        return bool(self.summary or self.details)


def _expected(status, c: dict) -> float | None:
    """The value the method expected by now on the way to the target (None when there is no such path)."""
    target, target_time = c.get("target_value"), c.get("target_time")
    if target is None or target_time is None or status.status == "achieved":
        return None
    base = float(c["base_value"])
    span = float(target_time) - float(c["base_time"])
    elapsed = float(c["current_time"]) - float(c["base_time"])
    if span <= 0 or elapsed <= 0:
        return None
    rate = c.get("cagr_required")
    start = c.get("base_value_used", base)
    if isinstance(rate, int | float) and math.isfinite(rate) and rate > -1:
        return float(start) * (1 + rate) ** elapsed
    return base + (float(target) - base) * min(1.0, elapsed / span)


def _complete(status) -> dict | None:
    if status is None:
        return None
    c = status.components or {}
    needed = ("base_time", "base_value", "current_time", "current_value")
    return None if any(c.get(k) is None for k in needed) else c


def status_summary(status, unit: str = "") -> str:
    """One short line for a computed status, e.g. "52 Stück im Jahr 2025, nötig waren etwa 60 Stück: etwas im
    Rückstand, …"; "" when the components do not hold a base and a current value."""
    c = _complete(status)
    if c is None:
        return ""
    params = {"current": _value(float(c["current_value"]), unit), "now": _year(c["current_time"]),
              "base": _value(float(c["base_value"]), unit), "since": _year(c["base_time"])}
    verdict = VERDICTS.get(status.status)
    expected = _expected(status, c) if verdict else None
    if expected is not None:
        return _("%(current)s in %(now)s, about %(expected)s needed: %(verdict)s") % {
            **params, "expected": _value(round(expected, 1), unit), "verdict": verdict()}
    if verdict and c.get("target_value") is not None:
        return _("%(current)s in %(now)s, target %(target)s: %(verdict)s") % {
            **params, "target": _value(c["target_value"], unit), "verdict": verdict()}
    return _("%(base)s in %(since)s, %(current)s in %(now)s.") % params


def indicator_explanation(status, unit: str = "") -> Explanation:
    return Explanation(status_summary(status, unit), status_explanation(status, unit))


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
    expected = _expected(status, c)
    if expected is None:
        return text + " " + _("Target %(target)s by %(year)s: %(verdict)s") % {
            "target": _value(target, unit), "year": _year(target_time), "verdict": verdict()}
    return text + " " + _("For the target of %(target)s by %(year)s, about %(expected)s would have been needed by "
                          "%(now)s: %(verdict)s") % {
        "target": _value(target, unit), "year": _year(target_time), "expected": _value(round(expected, 1), unit),
        "now": params["now"], "verdict": verdict()}


# ------------------------------------------------------------------------------------------------ roll-ups

def _children(kind: str, n: int) -> str:
    if kind == "goal":
        return npgettext("out of", "%(n)s indicator", "%(n)s indicators", n) % {"n": number(n)}
    if kind == "measure":
        return npgettext("out of", "%(n)s goal", "%(n)s goals", n) % {"n": number(n)}
    return npgettext("out of", "%(n)s measure", "%(n)s measures", n) % {"n": number(n)}


ORDER = ["achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration", "not_achieved"]


def rollup_explanation(rollup: dict | None, kind: str) -> Explanation:
    """A roll-up (goal: of its indicators; measure: of its goals; strategy, action field, value: of their
    measures) in plain words: how many children were assessed and how they stand, and how the mean is formed."""
    from kompass.monitoring.labels import STATUS_LABELS

    rollup = rollup or {}
    total = int(rollup.get("n_children") or 0)
    included = int(rollup.get("n_included") or 0)
    if total == 0:
        return Explanation("", "")
    counts = rollup.get("counts") or {}
    parts = [f"{STATUS_LABELS[key]}: {number(counts[key])}" for key in ORDER if counts.get(key)]
    assessed = _("%(included)s of %(children)s assessed") % {"included": number(included),
                                                            "children": _children(kind, total)}
    summary = assessed + (" (" + ", ".join(parts) + ")" if parts else "")
    if included == 0:
        return Explanation(summary, _("None of them can be assessed yet, so there is no status yet."))
    verdict = VERDICTS.get(rollup.get("status") or "")
    score = {"score": number(round(float(rollup.get("score") or 0), 2))}
    if kind == "goal":
        details = _("Each assessed indicator gets a score from −5 (moving away from the target) to 5 (target "
                    "reached). The mean of these scores is %(score)s") % score
    elif kind == "measure":
        details = _("Each assessed goal gets a score from −5 (moving away from the target) to 5 (target "
                    "reached). The mean of these scores is %(score)s") % score
    else:
        details = _("Each assessed measure gets a score from −5 (moving away from the target) to 5 (target "
                    "reached). The mean of these scores is %(score)s") % score
    details += ": " + verdict() if verdict else "."
    if kind == "measure":
        details += " " + _("A goal's score is the mean of its indicators' scores.")
    elif kind == "value":
        details += " " + _("Each measure counts as often as the strength of its contribution (1 to 3).")
    if included < total:
        details += " " + ngettext("%(n)s cannot be assessed yet and is left out.",
                                  "%(n)s cannot be assessed yet and are left out.",
                                  total - included) % {"n": number(total - included)}
    return Explanation(summary, details)
