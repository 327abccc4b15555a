"""Indicator progress status: pure algorithms (standard library only, no Django).

Public API::

    compute_status(series, *, method="open_sdg", direction=1, baseline=None, target=None,
                   natural_limit=None, parity=False) -> ProgressResult
    roll_up(results, weights=None) -> RollUp
    status_from_score(score, *, achieved=False) -> Status
    Status, ProgressResult, RollUp, METHODS, MethodInfo, DEFAULT_METHOD

Methods (``METHODS``): ``open_sdg`` (Statistics Canada / Open SDG, default), ``eurostat``, ``destatis``
(weather symbols), ``linear`` (linear achievement) and ``binary``. See
docs/adr/0011-progress-status-methods.md and docs/progress-rollup.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .chain import MeasureSummary, measure_summary, trend
from .growth import NotComputable
from .inputs import PARITY_TOLERANCE, ProgressInput, normalise_input, parity_transform
from .registry import DEFAULT_METHOD, METHODS, MethodInfo, get_method
from .result import FrozenDict, ProgressResult
from .rollup import RollUp, roll_up
from .status import Status, status_from_score

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "PARITY_TOLERANCE",
    "FrozenDict",
    "MeasureSummary",
    "MethodInfo",
    "ProgressInput",
    "ProgressResult",
    "RollUp",
    "Status",
    "compute_status",
    "measure_summary",
    "parity_transform",
    "roll_up",
    "status_from_score",
    "trend",
]


def compute_status(
    series: Iterable[Any] | Mapping[Any, Any],
    *,
    method: str = DEFAULT_METHOD,
    direction: int = 1,
    baseline: tuple[float, float] | None = None,
    target: tuple[float, float] | None = None,
    natural_limit: float | None = None,
    parity: bool = False,
) -> ProgressResult:
    """Progress status of one indicator series.

    Args:
        series: ``(time, value)`` pairs (time: year or fractional year), or a mapping ``{time: value}``;
            any order.
        method: a key of ``METHODS`` (default ``"open_sdg"``).
        direction: +1 if higher is better, -1 if lower is better.
        baseline: ``(value, time)``; default: the first point of the series.
        target: ``(value, time)``; optional for ``open_sdg`` and ``eurostat``, required for ``destatis`` and
            ``linear`` (else not computable), ignored by ``binary``.
        natural_limit: natural maximum/minimum of the indicator (``open_sdg`` without target only).
        parity: parity index (ideal 1): values, baseline and target are transformed with ``max(y, 1/y)``
            (values within 1 +/- 3 % count as 1) and ``direction`` is set to -1.

    Note the argument order: series points are ``(time, value)``, ``baseline`` and ``target`` are
    ``(value, time)`` as in the domain notes.

    Returns:
        A :class:`ProgressResult`. Failed preconditions (too few points, sign changes, target before the
        baseline ...) give ``Status.NOT_COMPUTABLE`` with a ``reason``.

    Raises:
        ValueError: unknown method or malformed input (non-finite numbers, duplicate times, bad direction,
            non-positive parity values, binary values other than 0/1).
    """
    info = get_method(method)
    if info.id == "binary" and parity:
        raise ValueError("the parity transform does not apply to binary indicators")
    inp = normalise_input(
        series,
        direction=direction,
        baseline=_value_time(baseline, "baseline"),
        target=_value_time(target, "target"),
        natural_limit=natural_limit,
        parity=parity,
    )
    try:
        return info.compute(inp)
    except NotComputable as failure:
        components = failure.components or inp.base_components()
        return ProgressResult(
            info.id, Status.NOT_COMPUTABLE, None, "not_computable", components, failure.reason
        )


def _value_time(pair: Any, what: str) -> tuple[Any, Any] | None:
    """Turn a ``(value, time)`` argument into the internal ``(time, value)`` order."""
    if pair is None:
        return None
    if isinstance(pair, str | bytes) or not isinstance(pair, Iterable):
        raise ValueError(f"{what} must be a (value, time) pair, got {pair!r}")
    items = tuple(pair)
    if len(items) != 2:
        raise ValueError(f"{what} must be a (value, time) pair, got {pair!r}")
    value, time = items
    return time, value
