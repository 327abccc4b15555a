"""Validation and normalisation of the inputs shared by all methods."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: A point is ``(time, value)``; time is a year or a fractional year (e.g. 2024.5).
Point = tuple[float, float]


@dataclass(frozen=True)
class ProgressInput:
    """Validated input of a progress computation.

    ``points`` are sorted by time. With ``parity`` the values, baseline and target are already transformed
    with ``max(y, 1/y)`` and ``direction`` is -1 (a natural limit is then read in transformed units).
    """

    points: tuple[Point, ...]
    direction: int
    baseline: Point | None
    target: Point | None
    natural_limit: float | None
    parity: bool = False

    @property
    def base(self) -> Point | None:
        """``(time, value)`` of the baseline: the explicit one, else the first point."""
        if self.baseline is not None:
            return self.baseline
        return self.points[0] if self.points else None

    @property
    def current(self) -> Point | None:
        """``(time, value)`` of the latest point."""
        return self.points[-1] if self.points else None

    def base_components(self) -> dict[str, Any]:
        """Components every method publishes."""
        base = self.base
        current = self.current
        return {
            "base_time": base[0] if base else None,
            "base_value": base[1] if base else None,
            "baseline_source": "explicit" if self.baseline is not None else "first_point",
            "current_time": current[0] if current else None,
            "current_value": current[1] if current else None,
            "target_time": self.target[0] if self.target else None,
            "target_value": self.target[1] if self.target else None,
            "direction": self.direction,
            "natural_limit": self.natural_limit,
            "parity_transform": self.parity,
            "n_points": len(self.points),
        }


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{what} must be a real number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return number


def _pair(pair: Any, what: str) -> Point:
    if isinstance(pair, str | bytes) or not isinstance(pair, Iterable):
        raise ValueError(f"{what} must be a (time, value) pair, got {pair!r}")
    items = tuple(pair)
    if len(items) != 2:
        raise ValueError(f"{what} must be a (time, value) pair, got {pair!r}")
    return _number(items[0], f"{what} time"), _number(items[1], f"{what} value")


#: Parity indices within 1 ± 3 % count as parity (transformed value 1), as in Open SDG's practice.
PARITY_TOLERANCE = 0.03


def parity_transform(value: float) -> float:
    """``max(y, 1/y)``, with values within ``1 ± PARITY_TOLERANCE`` taken as exactly 1."""
    if value <= 0:
        raise ValueError(f"parity values must be > 0, got {value!r}")
    if abs(value - 1.0) <= PARITY_TOLERANCE:
        return 1.0
    return max(value, 1.0 / value)


def _parity(value: float, what: str) -> float:
    if value <= 0:
        raise ValueError(f"parity values must be > 0 (ratio of two groups), {what} is {value!r}")
    return parity_transform(value)


def normalise_input(
    series: Iterable[Any] | Mapping[Any, Any],
    *,
    direction: Any = 1,
    baseline: Any = None,
    target: Any = None,
    natural_limit: Any = None,
    parity: bool = False,
) -> ProgressInput:
    """Validate the raw arguments of ``compute_status`` and return a :class:`ProgressInput`.

    Raises:
        ValueError: malformed pairs, non-finite numbers, duplicate times, a direction other than +1/-1,
            non-positive values with ``parity``.
    """
    if isinstance(series, Mapping):
        raw_points = list(series.items())
    elif isinstance(series, str | bytes) or not isinstance(series, Iterable):
        raise ValueError(f"series must be an iterable of (time, value) pairs, got {type(series).__name__}")
    else:
        raw_points = list(series)
    points = sorted(_pair(pair, f"series point {index}") for index, pair in enumerate(raw_points))
    for (t0, _), (t1, _) in zip(points, points[1:], strict=False):
        if t0 == t1:
            raise ValueError(f"duplicate time {t0!r} in series")

    if isinstance(direction, bool) or direction not in (1, -1):
        raise ValueError(
            f"direction must be +1 (higher is better) or -1 (lower is better), got {direction!r}"
        )
    direction = int(direction)

    base = None if baseline is None else _pair(baseline, "baseline")
    goal = None if target is None else _pair(target, "target")
    limit = None if natural_limit is None else _number(natural_limit, "natural_limit")

    if not isinstance(parity, bool):
        raise ValueError(f"parity must be a bool, got {parity!r}")
    if parity:
        points = [(t, _parity(v, f"the value at time {t!r}")) for t, v in points]
        if base is not None:
            base = (base[0], _parity(base[1], "the baseline value"))
        if goal is not None:
            goal = (goal[0], _parity(goal[1], "the target value"))
        # After max(y, 1/y) the ideal value is 1 and every deviation is larger: lower is better.
        direction = -1

    return ProgressInput(
        points=tuple(points),
        direction=direction,
        baseline=base,
        target=goal,
        natural_limit=limit,
        parity=parity,
    )
