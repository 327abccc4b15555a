"""Pure summaries above a single series: the short-term trend of a series and the summary of one measure's
impact chain (its goals' roll-up overall and per level, the trend and whether the chain is complete)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .rollup import HasStatus, RollUp, roll_up

#: Changes smaller than this share of the previous value count as "no change".
TREND_TOLERANCE = 1e-9


def trend(points: Sequence[tuple[float, float]], direction: int) -> int:
    """+1 when the last change moved in the desired `direction`, -1 against it, 0 for no (or too little) change
    or fewer than two points. `points` are ``(time, value)`` sorted by time."""
    if len(points) < 2:
        return 0
    previous, last = points[-2][1], points[-1][1]
    delta = last - previous
    if abs(delta) <= TREND_TOLERANCE * max(1.0, abs(previous)):
        return 0
    return 1 if delta * direction > 0 else -1


@dataclass(frozen=True)
class MeasureSummary:
    result: RollUp
    level_status: dict[str, str]  # level -> status value of its goals' roll-up, "" without goals at that level
    n_indicators: int
    trend: int
    chain_complete: bool


def measure_summary(goals: Sequence[tuple[str, bool, HasStatus, int]], levels: Sequence[str],
                    trends: Iterable[int], *, has_inputs: bool) -> MeasureSummary:
    """Summarise a measure from its goals, given as ``(level, has_assumption, status, n_indicators)``.

    The measure's status is the roll-up of all its goals; each level gets the roll-up of its goals. The trend
    is the sign of the sum of the indicator trends. The chain is complete when the measure has inputs and every
    level has a goal with at least one indicator and a stated assumption.
    """
    if not goals:
        raise ValueError("a measure summary needs at least one goal")
    level_status = {}
    for level in levels:
        children = [child for lv, _a, child, _n in goals if lv == level]
        level_status[level] = roll_up(children).status.value if children else ""
    total = sum(trends)
    complete = has_inputs and all(
        any(lv == level and n > 0 and has_assumption for lv, has_assumption, _c, n in goals) for level in levels)
    return MeasureSummary(
        result=roll_up([child for _lv, _a, child, _n in goals]),
        level_status=level_status,
        n_indicators=sum(n for _lv, _a, _c, n in goals),
        trend=(total > 0) - (total < 0),
        chain_complete=complete,
    )
