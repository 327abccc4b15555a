"""Compound annual growth rates and the preconditions of the growth-rate methods (Open SDG, Eurostat)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .inputs import ProgressInput

#: Replacement for a zero base (and zero target) value, as in Statistics Canada / Open SDG.
ZERO_REPLACEMENT = 0.001

#: ``exp`` overflows beyond this exponent; growth that large is reported as not computable.
_MAX_EXPONENT = 700.0


class NotComputable(Exception):
    """Raised inside a method when a precondition fails; turned into a ``NOT_COMPUTABLE`` result."""

    def __init__(self, reason: str, components: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.components = components or {}


def cagr(start_value: float, end_value: float, start_time: float, end_time: float) -> float:
    """``(end / start) ** (1 / (end_time - start_time)) - 1``.

    ``start_value`` must be non-zero and ``end_value`` zero or of the same sign; ``end_time > start_time``.
    Computed in log space (``expm1``) for accuracy; growth too large for a float raises
    :class:`NotComputable`.
    """
    if end_time <= start_time:
        raise ValueError("cagr needs end_time > start_time")
    if start_value == 0:
        raise ValueError("cagr needs a non-zero start value")
    if end_value == 0:
        return -1.0
    if (start_value > 0) != (end_value > 0):
        raise ValueError("cagr needs start and end values of the same sign")
    exponent = (math.log(abs(end_value)) - math.log(abs(start_value))) / (end_time - start_time)
    if exponent > _MAX_EXPONENT:
        raise NotComputable("the growth rate is too large to represent (values or times too far apart)")
    return math.expm1(exponent)


def same_sign_or_zero(a: float, b: float) -> bool:
    return a == 0 or b == 0 or (a > 0) == (b > 0)


def _signed_replacement(like: float) -> float:
    return -ZERO_REPLACEMENT if like < 0 else ZERO_REPLACEMENT


@dataclass(frozen=True)
class GrowthBasis:
    """Values entering the growth-rate formulas, after the zero replacement."""

    base_time: float
    base_value: float  # as used (after replacement)
    current_time: float
    current_value: float  # as used
    sign: int
    cagr_observed: float


def growth_basis(inp: ProgressInput, components: dict[str, Any]) -> GrowthBasis:
    """Check the preconditions shared by the growth-rate methods and compute the observed CAGR.

    Preconditions: at least two data points (baseline and a later current value); base and current value of
    the same sign. A zero base is replaced by 0.001 (by -0.001 when the series is negative, so that the
    rule is symmetric under negation); a zero current value is kept (CAGR = -100 %) except when the base was
    zero too, in which case it receives the same replacement (no change, CAGR = 0).
    """
    base, current = inp.base, inp.current
    if base is None or current is None or (inp.baseline is None and len(inp.points) < 2):
        raise NotComputable("at least two data points are needed", components)
    base_time, base_raw = base
    current_time, current_raw = current
    if current_time <= base_time:
        raise NotComputable(
            f"the latest data point ({current_time:g}) must be later than the baseline ({base_time:g})",
            components,
        )
    if not same_sign_or_zero(base_raw, current_raw):
        raise NotComputable(
            f"base value ({base_raw:g}) and current value ({current_raw:g}) have different signs; "
            "growth rates are undefined (transform the data first)",
            components,
        )
    # The replacement takes the sign of the series (current value, else target) so that negating a series
    # never changes its status.
    like = current_raw if current_raw != 0 else (inp.target[1] if inp.target is not None else 0.0)
    base_used = base_raw if base_raw != 0 else _signed_replacement(like)
    current_used = current_raw if (current_raw != 0 or base_raw != 0) else base_used
    sign = -1 if base_used < 0 else 1
    components.update(
        base_value_used=base_used,
        current_value_used=current_used,
        zero_base_replaced=base_raw == 0,
        sign=sign,
        years_elapsed=current_time - base_time,
    )
    observed = cagr(base_used, current_used, base_time, current_time)
    components["cagr_observed"] = observed
    return GrowthBasis(base_time, base_used, current_time, current_used, sign, observed)


def required_cagr(inp: ProgressInput, basis: GrowthBasis, components: dict[str, Any]) -> float:
    """CAGR needed to go from the base value to the target on time (zero target replaced by ±0.001)."""
    assert inp.target is not None
    target_time, target_raw = inp.target
    if target_time <= basis.base_time:
        raise NotComputable(
            f"the target time ({target_time:g}) must be later than the baseline ({basis.base_time:g})",
            components,
        )
    target_used = target_raw if target_raw != 0 else _signed_replacement(basis.base_value)
    if not same_sign_or_zero(basis.base_value, target_used):
        raise NotComputable(
            f"base value ({basis.base_value:g}) and target ({target_raw:g}) have different signs; "
            "growth rates are undefined (transform the data first)",
            components,
        )
    components.update(target_value_used=target_used, zero_target_replaced=target_raw == 0)
    required = cagr(basis.base_value, target_used, basis.base_time, target_time)
    components["cagr_required"] = required
    return required


def target_reached(value: float, target: float, direction: int) -> bool:
    """``value >= target`` when higher is better, ``value <= target`` when lower is better."""
    return value >= target if direction == 1 else value <= target


def ratio_to_required(basis: GrowthBasis, direction: int, required: float) -> float:
    """``R = sign * d * CAGR_observed / |CAGR_required|``.

    A required growth of zero (target equal to the base value) gives ``±inf`` in the direction of the observed
    movement; callers clamp the score, and ``to_dict`` publishes non-finite numbers as ``null``.
    """
    progress = basis.sign * direction * basis.cagr_observed
    if required == 0:
        return 0.0 if progress == 0 else math.copysign(math.inf, progress)
    return progress / abs(required)  # float division overflows to ±inf, never raises
