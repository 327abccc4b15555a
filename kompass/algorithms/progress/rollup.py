"""Roll-up of child statuses into a parent status (indicator -> goal -> measure -> action field -> strategy).

Rule (documented for users in docs/progress-rollup.md):

1. Children whose status is ``NOT_COMPUTABLE`` are excluded from the mean, but counted and reported.
2. Every other child contributes a score: its own score when the method has one (Open SDG, linear
   achievement, nested roll-ups), else the representative score of its status (band midpoints 3.75 / 1.25 /
   -1.25 / -3.75, 5 for achieved, -1.25 for not achieved).
3. The parent score is the (weighted) mean of these scores; weights default to 1 (e.g. alignment
   strength 1-3).
4. The parent status follows the score bands, except that when all included children share one status the
   parent takes that status (so a parent is "achieved" only when every computable child is achieved).
5. With no computable child the parent is ``NOT_COMPUTABLE``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .result import FrozenDict, freeze, thaw
from .status import SCORE_MAX, SCORE_MIN, Status, status_from_score

METHOD_ID = "roll_up"


class HasStatus(Protocol):
    """Anything with a ``status`` and an optional ``score``: ``ProgressResult`` and ``RollUp``."""

    @property
    def status(self) -> Status: ...

    @property
    def score(self) -> float | None: ...


@dataclass(frozen=True)
class RollUp:
    """Aggregated status of a parent.

    Attributes:
        status: parent status.
        score: weighted mean score of the computable children (``None`` when not computable).
        counts: number of children per status (every ``Status`` member is present, keyed by the member).
        n_children: number of children given.
        n_included: children that entered the mean.
        n_not_computable: children excluded because they are not computable.
        total_weight: sum of the weights of the included children.
        contributions: one read-only dict per child: ``index``, ``status``, ``included``, ``score_used``,
            ``score_source`` (``"score"``, ``"representative"`` or ``None``) and ``weight``.
        reason: explanation when the status is ``NOT_COMPUTABLE``.
    """

    status: Status
    score: float | None
    counts: FrozenDict = field(hash=False)
    n_children: int
    n_included: int
    n_not_computable: int
    total_weight: float
    contributions: tuple[FrozenDict, ...] = field(hash=False)
    reason: str | None = None

    method = METHOD_ID

    @property
    def achieved(self) -> bool:
        return self.status is Status.ACHIEVED

    @property
    def computable(self) -> bool:
        return self.status is not Status.NOT_COMPUTABLE

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready representation (statuses as their string values)."""
        return {
            "method": METHOD_ID,
            "status": self.status.value,
            "scale_class": self.status.scale_class.value,
            "score": self.score,
            "counts": thaw(self.counts),
            "n_children": self.n_children,
            "n_included": self.n_included,
            "n_not_computable": self.n_not_computable,
            "total_weight": self.total_weight,
            "contributions": thaw(self.contributions),
            "reason": self.reason,
        }


def _weights(weights: Iterable[Any] | None, n: int) -> list[float]:
    if weights is None:
        return [1.0] * n
    values = list(weights)
    if len(values) != n:
        raise ValueError(f"got {len(values)} weights for {n} children")
    result = []
    for index, weight in enumerate(values):
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real):
            raise ValueError(f"weight {index} must be a real number, got {weight!r}")
        weight = float(weight)
        if not math.isfinite(weight) or weight <= 0:
            raise ValueError(f"weight {index} must be finite and > 0, got {weight!r}")
        result.append(weight)
    return result


def _child_score(child: HasStatus, index: int) -> tuple[float | None, str | None]:
    status = child.status
    if not isinstance(status, Status):
        raise ValueError(f"child {index} has no valid status: {status!r}")
    if status is Status.NOT_COMPUTABLE:
        return None, None
    score = getattr(child, "score", None)
    if score is None:
        return status.representative_score, "representative"
    score = float(score)
    if not math.isfinite(score) or not SCORE_MIN <= score <= SCORE_MAX:
        raise ValueError(f"child {index} has a score outside [-5, 5]: {score!r}")
    return score, "score"


def roll_up(results: Iterable[HasStatus], weights: Iterable[Any] | None = None) -> RollUp:
    """Aggregate child results (``ProgressResult`` or nested ``RollUp``) into a parent :class:`RollUp`.

    Args:
        results: the children.
        weights: optional positive weights, one per child (e.g. alignment strength 1-3).

    Raises:
        ValueError: wrong number of weights, non-positive or non-finite weights, children without a valid
            status or with a score outside [-5, 5].
    """
    children = list(results)
    child_weights = _weights(weights, len(children))
    counts = {status: 0 for status in Status}
    contributions = []
    included: list[tuple[float, float, Status]] = []
    for index, (child, weight) in enumerate(zip(children, child_weights, strict=True)):
        score, source = _child_score(child, index)
        counts[child.status] += 1
        contributions.append(
            {
                "index": index,
                "status": child.status,
                "included": score is not None,
                "score_used": score,
                "score_source": source,
                "weight": weight,
            }
        )
        if score is not None:
            included.append((score, weight, child.status))

    n_not_computable = counts[Status.NOT_COMPUTABLE]
    common = {
        "counts": freeze(counts),
        "n_children": len(children),
        "n_included": len(included),
        "n_not_computable": n_not_computable,
        "contributions": freeze(contributions),
    }
    if not included:
        reason = "no children" if not children else f"none of the {len(children)} children is computable"
        return RollUp(Status.NOT_COMPUTABLE, None, total_weight=0.0, reason=reason, **common)

    total_weight = math.fsum(weight for _, weight, _ in included)
    # Scaling the weights by a power of two is exact and keeps score * weight from overflowing.
    exponent = math.frexp(max(weight for _, weight, _ in included))[1]
    scaled = [(score, math.ldexp(weight, -exponent)) for score, weight, _ in included]
    mean = math.fsum(score * weight for score, weight in scaled) / math.fsum(weight for _, weight in scaled)
    # The exact weighted mean lies between the extreme scores; clamping removes rounding drift.
    scores = [score for score, _, _ in included]
    mean = min(max(mean, min(scores)), max(scores))
    statuses = {status for _, _, status in included}
    status = statuses.pop() if len(statuses) == 1 else status_from_score(mean)
    return RollUp(status, mean, total_weight=total_weight, **common)
