"""The status scale shared by every progress method, and the score <-> status mapping.

All methods report one :class:`Status`. Four members form the common 4-class scale of Statistics Canada /
Open SDG (on track, acceleration needed, limited progress, deterioration); ``ACHIEVED`` and
``NOT_COMPUTABLE`` sit outside it, and ``NOT_ACHIEVED`` (binary indicators) maps onto ``LIMITED_PROGRESS``.
The score scale is the Open SDG one, [-5, 5], split into four equal bands.
"""

from __future__ import annotations

import math
from enum import StrEnum

SCORE_MIN = -5.0
SCORE_MAX = 5.0

#: Lower bounds of the score bands (Open SDG): [2.5, 5] on track, [0, 2.5) acceleration needed,
#: [-2.5, 0) limited progress, [-5, -2.5) deterioration.
ON_TRACK_MIN_SCORE = 2.5
ACCELERATION_MIN_SCORE = 0.0
LIMITED_MIN_SCORE = -2.5


class Status(StrEnum):
    """Progress status, shared across methods.

    The string values are stable identifiers (safe to store in a database or publish).
    """

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    NOT_ACHIEVED = "not_achieved"
    NOT_COMPUTABLE = "not_computable"

    @property
    def scale_class(self) -> Status:
        """The member of the common scale (4 classes + achieved + not computable) this status maps to."""
        return _SCALE_CLASS[self]

    @property
    def score_band(self) -> tuple[float, float] | None:
        """Closed-open score band ``(low, high)`` of the status on the common scale (``None``: no band).

        The top band is closed at 5 (a score of exactly 5 is on track).
        """
        return _SCORE_BAND.get(self.scale_class)

    @property
    def representative_score(self) -> float | None:
        """Score used in roll-ups for results that carry no score of their own (band midpoints, 5 for
        achieved, ``None`` for not computable)."""
        return _REPRESENTATIVE_SCORE.get(self)

    @property
    def is_computable(self) -> bool:
        return self is not Status.NOT_COMPUTABLE


_SCALE_CLASS = {
    Status.ACHIEVED: Status.ACHIEVED,
    Status.ON_TRACK: Status.ON_TRACK,
    Status.ACCELERATION_NEEDED: Status.ACCELERATION_NEEDED,
    Status.LIMITED_PROGRESS: Status.LIMITED_PROGRESS,
    Status.DETERIORATION: Status.DETERIORATION,
    Status.NOT_ACHIEVED: Status.LIMITED_PROGRESS,
    Status.NOT_COMPUTABLE: Status.NOT_COMPUTABLE,
}

_SCORE_BAND = {
    Status.ACHIEVED: (SCORE_MAX, SCORE_MAX),
    Status.ON_TRACK: (ON_TRACK_MIN_SCORE, SCORE_MAX),
    Status.ACCELERATION_NEEDED: (ACCELERATION_MIN_SCORE, ON_TRACK_MIN_SCORE),
    Status.LIMITED_PROGRESS: (LIMITED_MIN_SCORE, ACCELERATION_MIN_SCORE),
    Status.DETERIORATION: (SCORE_MIN, LIMITED_MIN_SCORE),
}

_REPRESENTATIVE_SCORE = {
    Status.ACHIEVED: 5.0,
    Status.ON_TRACK: 3.75,
    Status.ACCELERATION_NEEDED: 1.25,
    Status.LIMITED_PROGRESS: -1.25,
    Status.DETERIORATION: -3.75,
    Status.NOT_ACHIEVED: -1.25,
}


def status_from_score(score: float, *, achieved: bool = False) -> Status:
    """Map a score in [-5, 5] to the common 4-class scale (``ACHIEVED`` if ``achieved`` is true)."""
    if achieved:
        return Status.ACHIEVED
    if not math.isfinite(score) or not SCORE_MIN <= score <= SCORE_MAX:
        raise ValueError(f"score must be a finite number within [-5, 5], got {score!r}")
    if score >= ON_TRACK_MIN_SCORE:
        return Status.ON_TRACK
    if score >= ACCELERATION_MIN_SCORE:
        return Status.ACCELERATION_NEEDED
    if score >= LIMITED_MIN_SCORE:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def clamp_to_band(score: float, status: Status) -> float:
    """Clamp ``score`` into the band of ``status``.

    The methods decide the status from their progress value (R, g, ratio ...) and compute the score with a
    piecewise-linear transform whose breakpoints coincide with the class thresholds. Clamping removes
    floating-point disagreements exactly at a threshold, so that ``status_from_score(score)`` always agrees.
    """
    band = status.score_band
    if band is None:
        raise ValueError(f"status {status.value!r} has no score band")
    low, high = band
    if status.scale_class is Status.ON_TRACK or status is Status.ACHIEVED:
        return min(max(score, low), high)
    # Half-open band [low, high): the largest float below ``high`` is the upper limit.
    return min(max(score, low), math.nextafter(high, -math.inf))
