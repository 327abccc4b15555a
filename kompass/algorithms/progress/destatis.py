"""Destatis weather symbols (German sustainability strategy).

The mean annual change over the last (up to) five intervals, i.e. the last six points (at least four), is
projected linearly to the target time and compared with the target, relative to the current gap.
"""

from __future__ import annotations

from typing import Any

from .growth import NotComputable, target_reached
from .inputs import ProgressInput
from .result import ProgressResult
from .status import Status

METHOD_ID = "destatis"

WINDOW_POINTS = 6
MIN_POINTS = 4
#: Shortfall of the projection, as a share of the current gap: below SUN sun, up to SLIGHTLY_CLOUDY slightly
#: cloudy, above cloudy (if moving in the desired direction).
SUN_MAX_SHORTFALL = 0.05
SLIGHTLY_CLOUDY_MAX_SHORTFALL = 0.20

SYMBOL_TO_STATUS = {
    "sun": Status.ON_TRACK,
    "slightly_cloudy": Status.ACCELERATION_NEEDED,
    "cloudy": Status.LIMITED_PROGRESS,
    "thunderstorm": Status.DETERIORATION,
}


def mean_annual_change(points: tuple[tuple[float, float], ...]) -> float:
    """Mean of the annual changes between consecutive points.

    For annual data the mean of the changes telescopes to ``(last - first) / (t_last - t_first)``; that form
    is used for every spacing, so gaps are weighted by their length (as if missing years were interpolated).
    """
    (t0, v0), (t1, v1) = points[0], points[-1]
    return (v1 - v0) / (t1 - t0)


def classify(shortfall_share: float) -> str:
    if shortfall_share < SUN_MAX_SHORTFALL:
        return "sun"
    if shortfall_share <= SLIGHTLY_CLOUDY_MAX_SHORTFALL:
        return "slightly_cloudy"
    return "cloudy"


def compute(inp: ProgressInput) -> ProgressResult:
    components: dict[str, Any] = inp.base_components()
    components["window_points"] = WINDOW_POINTS
    components["thresholds"] = {"sun": SUN_MAX_SHORTFALL, "slightly_cloudy": SLIGHTLY_CLOUDY_MAX_SHORTFALL}
    if inp.natural_limit is not None:
        components["natural_limit_ignored"] = "the Destatis method has no natural-limit adjustment"
    if inp.baseline is not None:
        components["baseline_ignored"] = "the Destatis method uses the last six points, not the baseline"
    if inp.target is None:
        raise NotComputable("the Destatis method needs a target (value and time)", components)
    target_time, target_value = inp.target
    current = inp.current
    if current is not None and target_reached(current[1], target_value, inp.direction):
        components["achieved"] = True
        return ProgressResult(METHOD_ID, Status.ACHIEVED, None, "sun", components)
    components["achieved"] = False

    window = inp.points[-WINDOW_POINTS:]
    components["window_start_time"] = window[0][0] if window else None
    components["window_size"] = len(window)
    if len(window) < MIN_POINTS:
        raise NotComputable(f"at least {MIN_POINTS} data points are needed, got {len(window)}", components)
    assert current is not None
    current_time, current_value = current
    change = mean_annual_change(window)
    horizon = max(target_time - current_time, 0.0)
    projection = current_value + change * horizon
    gap = abs(target_value - current_value)  # > 0: the target is not reached
    shortfall = inp.direction * (target_value - projection)
    components.update(
        mean_annual_change=change,
        years_to_target=horizon,
        projection=projection,
        gap=gap,
        shortfall=shortfall,
    )
    if horizon == 0:
        components["target_time_passed"] = True
    if inp.direction * change <= 0:
        symbol = "thunderstorm"
        components["shortfall_share"] = shortfall / gap
    else:
        share = shortfall / gap
        components["shortfall_share"] = share
        symbol = classify(share)
    return ProgressResult(METHOD_ID, SYMBOL_TO_STATUS[symbol], None, symbol, components)
