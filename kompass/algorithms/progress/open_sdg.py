"""Statistics Canada / Open SDG progress measure (the default method).

With a target:    ``R = sign * d * CAGR(base -> current) / |CAGR(base -> target)|``
Without a target: ``g = sign * d * CAGR(base -> current)``, thresholds scaled by the natural-limit factor C.
Both are turned into a score in [-5, 5]; the status follows the class thresholds of R or g, and the score
always lies in the band of that status.
"""

from __future__ import annotations

import math
from typing import Any

from .growth import NotComputable, growth_basis, ratio_to_required, required_cagr, target_reached
from .inputs import ProgressInput
from .result import ProgressResult
from .status import SCORE_MAX, SCORE_MIN, Status, clamp_to_band

METHOD_ID = "open_sdg"

#: Thresholds of R (with target): on track / acceleration needed / limited progress; below: deterioration.
RATIO_THRESHOLDS = (0.95, 0.60, 0.0)
#: Thresholds of g (without target), per year, before scaling by C.
GROWTH_THRESHOLDS = (0.015, 0.005, 0.0)
#: Exponent of the natural-limit factor C.
LIMIT_EXPONENT = 4.44

LABELS = {
    Status.ACHIEVED: "target_achieved",
    Status.ON_TRACK: "substantial_progress",
    Status.ACCELERATION_NEEDED: "moderate_progress",
    Status.LIMITED_PROGRESS: "limited_progress",
    Status.DETERIORATION: "deterioration",
}


def _classify(value: float, thresholds: tuple[float, float, float]) -> Status:
    high, medium, low = thresholds
    if value >= high:
        return Status.ON_TRACK
    if value >= medium:
        return Status.ACCELERATION_NEEDED
    if value >= low:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def score_from_ratio(ratio: float) -> float:
    """Score of R: linear from (-0.6, -5) to (0.6, 0) and from (0.6, 0) to (1.3, 5), clipped to [-5, 5].

    The published coefficients 7.1429 / 4.2857 / 4.1667 are the roundings of 50/7, 30/7 and 25/6; the exact
    fractions are used so that R = 0.6 and R = 0.95 map exactly onto the band limits 0 and 2.5.
    """
    if ratio >= 0.6:
        return min(50.0 / 7.0 * ratio - 30.0 / 7.0, SCORE_MAX)
    return max(25.0 / 6.0 * ratio - 2.5, SCORE_MIN)


def status_from_ratio(ratio: float) -> Status:
    return _classify(ratio, RATIO_THRESHOLDS)


def limit_factor(base_value: float, natural_limit: float) -> float:
    """Natural-limit factor C (b = |base|, l = |limit|).

    ``1`` if b >= 2l; ``1 - (b/l)^4.44`` if b <= l; ``1 - ((2l - b)/l)^4.44`` otherwise.
    """
    b, lim = abs(base_value), abs(natural_limit)
    if b >= 2 * lim:  # checked first: gives 1 when b and l are both zero
        return 1.0
    if b <= lim:
        return 1.0 - (b / lim) ** LIMIT_EXPONENT
    return 1.0 - ((2 * lim - b) / lim) ** LIMIT_EXPONENT


def score_from_growth(growth: float, factor: float = 1.0) -> float:
    """Score of g for the given natural-limit factor C (``factor``).

    ``g < 0``: ``max(125 g - 2.5, -5)``; ``g >= 1.5% C``: ``min(500 g / C - 5, 5)``;
    ``0.5% C <= g < 1.5% C``: ``250 g / C - 1.25``; ``0 <= g < 0.5% C``: ``500 g / C - 2.5``.
    With C = 0 (base value at the limit) any ``g >= 0`` scores 5.
    """
    high, medium, _ = GROWTH_THRESHOLDS
    if growth < 0:
        return max(125.0 * growth - 2.5, SCORE_MIN)
    if factor == 0:
        return SCORE_MAX
    if growth >= high * factor:
        return min(500.0 * growth / factor - 5.0, SCORE_MAX)
    if growth >= medium * factor:
        return 250.0 * growth / factor - 1.25
    return 500.0 * growth / factor - 2.5


def compute(inp: ProgressInput) -> ProgressResult:
    components: dict[str, Any] = inp.base_components()
    if inp.target is not None:
        return _with_target(inp, components)
    return _without_target(inp, components)


def _with_target(inp: ProgressInput, components: dict[str, Any]) -> ProgressResult:
    assert inp.target is not None
    components["variant"] = "with_target"
    components["thresholds"] = dict(
        zip(("on_track", "acceleration_needed", "limited"), RATIO_THRESHOLDS, strict=True)
    )
    if inp.natural_limit is not None:
        components["natural_limit_ignored"] = "a target is given; the natural limit only applies without one"
    current = inp.current
    if current is not None and target_reached(current[1], inp.target[1], inp.direction):
        components["achieved"] = True
        return _result(Status.ACHIEVED, SCORE_MAX, components)
    components["achieved"] = False
    basis = growth_basis(inp, components)
    required = required_cagr(inp, basis, components)
    ratio = ratio_to_required(basis, inp.direction, required)
    components["ratio"] = ratio
    status = status_from_ratio(ratio)
    return _result(status, clamp_to_band(score_from_ratio(ratio), status), components)


def _without_target(inp: ProgressInput, components: dict[str, Any]) -> ProgressResult:
    components["variant"] = "without_target"
    basis = growth_basis(inp, components)
    growth = basis.sign * inp.direction * basis.cagr_observed
    components["growth"] = growth

    factor = 1.0
    limit = inp.natural_limit
    if limit is not None:
        base_raw = inp.base[1] if inp.base else 0.0
        # Only a limit lying in the desired direction from the baseline restricts progress.
        applies = inp.direction * (limit - base_raw) >= 0
        components["natural_limit_applies"] = applies
        if applies:
            factor = limit_factor(base_raw, limit)
    components["limit_factor"] = factor
    high, medium, low = GROWTH_THRESHOLDS
    scaled = (high * factor, medium * factor, low)
    components["thresholds"] = dict(zip(("on_track", "acceleration_needed", "limited"), scaled, strict=True))

    if factor == 0 and growth >= 0:
        # Base value at the limit and the limit is held (or exceeded): substantial progress.
        status = Status.ON_TRACK
    else:
        status = _classify(growth, scaled)
    return _result(status, clamp_to_band(score_from_growth(growth, factor), status), components)


def _result(status: Status, score: float, components: dict[str, Any]) -> ProgressResult:
    if not math.isfinite(score):  # pragma: no cover - scores are clipped to [-5, 5]
        raise NotComputable("score is not finite", components)
    return ProgressResult(METHOD_ID, status, score, LABELS[status], components)
