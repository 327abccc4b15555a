"""Linear achievement for output and milestone indicators (counts of delivered things).

``achievement = d * (current - base) / |target - base|`` (the share of the way to the target covered, equal to
``(current - base) / (target - base)`` when the target lies in the desired direction) is compared with the
share of time elapsed ``(t - b) / (T - b)``. Their ratio is classified with the Open SDG ratio thresholds
(>= 0.95 on track, >= 0.6 acceleration needed, >= 0 limited progress, < 0 deterioration) and scored with the
Open SDG ratio score, so that scores of both families can be rolled up together.
"""

from __future__ import annotations

import math
from typing import Any

from .growth import NotComputable, target_reached
from .inputs import ProgressInput
from .open_sdg import RATIO_THRESHOLDS, score_from_ratio, status_from_ratio
from .result import ProgressResult
from .status import SCORE_MAX, Status, clamp_to_band

METHOD_ID = "linear"


def compute(inp: ProgressInput) -> ProgressResult:
    components: dict[str, Any] = inp.base_components()
    components["thresholds"] = dict(
        zip(("on_track", "acceleration_needed", "limited"), RATIO_THRESHOLDS, strict=True)
    )
    if inp.natural_limit is not None:
        components["natural_limit_ignored"] = "linear achievement has no natural-limit adjustment"
    if inp.target is None:
        raise NotComputable("linear achievement needs a target (value and time)", components)
    target_time, target_value = inp.target
    base, current = inp.base, inp.current
    if current is not None and target_reached(current[1], target_value, inp.direction):
        components["achieved"] = True
        return ProgressResult(METHOD_ID, Status.ACHIEVED, SCORE_MAX, Status.ACHIEVED.value, components)
    components["achieved"] = False
    if base is None or current is None or (inp.baseline is None and len(inp.points) < 2):
        raise NotComputable("at least two data points are needed", components)
    base_time, base_value = base
    current_time, current_value = current
    if current_time <= base_time:
        raise NotComputable(
            f"the latest data point ({current_time:g}) must be later than the baseline ({base_time:g})",
            components,
        )
    if target_time <= base_time:
        raise NotComputable(
            f"the target time ({target_time:g}) must be later than the baseline ({base_time:g})", components
        )
    distance = abs(target_value - base_value)
    progress = inp.direction * (current_value - base_value)
    time_share = (current_time - base_time) / (target_time - base_time)
    if distance == 0:
        # Target equal to the baseline and not reached: the series has moved the wrong way.
        achievement = math.copysign(math.inf, progress) if progress else 0.0
    else:
        achievement = progress / distance
    ratio = achievement / time_share
    if math.isnan(ratio):  # pragma: no cover - inf / inf cannot occur with finite, bounded inputs
        raise NotComputable("achievement ratio is undefined", components)
    components.update(
        achievement=achievement,
        time_share=time_share,
        ratio=ratio,
        target_time_passed=current_time >= target_time,
    )
    status = status_from_ratio(ratio)
    return ProgressResult(
        METHOD_ID, status, clamp_to_band(score_from_ratio(ratio), status), status.value, components
    )
