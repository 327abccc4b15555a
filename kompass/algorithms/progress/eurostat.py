"""Eurostat method (EU SDG monitoring report).

With a target: ``RR = CAGR(base -> current) / CAGR(base -> target)`` against 95 % / 60 % / 0 %.
Without a target: ``g = d * CAGR(base -> current)`` against +1 % / 0 % / -1 % per year.

Eurostat defines no score; roll-ups use the representative score of the status.
"""

from __future__ import annotations

from typing import Any

from .growth import growth_basis, ratio_to_required, required_cagr, target_reached
from .inputs import ProgressInput
from .result import ProgressResult
from .status import Status

METHOD_ID = "eurostat"

#: RR thresholds: significant progress / moderate progress / insufficient progress; below: movement away.
RATIO_THRESHOLDS = (0.95, 0.60, 0.0)
#: g thresholds (per year): above the first significant progress, from the second moderate progress, from the
#: third moderate movement away, below it significant movement away. The two negative-side thresholds are
#: marked "not verified" in the domain notes; keep them configurable here only.
GROWTH_THRESHOLDS = (0.01, 0.0, -0.01)

WITH_TARGET = (
    ("significant_progress", Status.ON_TRACK),
    ("moderate_progress", Status.ACCELERATION_NEEDED),
    ("insufficient_progress", Status.LIMITED_PROGRESS),
    ("movement_away", Status.DETERIORATION),
)
WITHOUT_TARGET = (
    ("significant_progress", Status.ON_TRACK),
    ("moderate_progress", Status.ACCELERATION_NEEDED),
    ("moderate_movement_away", Status.DETERIORATION),
    ("significant_movement_away", Status.DETERIORATION),
)


def classify_ratio(ratio: float) -> tuple[str, Status]:
    high, medium, low = RATIO_THRESHOLDS
    index = 0 if ratio >= high else 1 if ratio >= medium else 2 if ratio >= low else 3
    return WITH_TARGET[index]


def classify_growth(growth: float) -> tuple[str, Status]:
    high, medium, low = GROWTH_THRESHOLDS
    index = 0 if growth > high else 1 if growth >= medium else 2 if growth >= low else 3
    return WITHOUT_TARGET[index]


def compute(inp: ProgressInput) -> ProgressResult:
    components: dict[str, Any] = inp.base_components()
    if inp.natural_limit is not None:
        components["natural_limit_ignored"] = "the Eurostat method has no natural-limit adjustment"
    if inp.target is not None:
        components["variant"] = "with_target"
        components["thresholds"] = dict(
            zip(
                ("significant_progress", "moderate_progress", "insufficient_progress"),
                RATIO_THRESHOLDS,
                strict=True,
            )
        )
        current = inp.current
        if current is not None and target_reached(current[1], inp.target[1], inp.direction):
            components["achieved"] = True
            return ProgressResult(METHOD_ID, Status.ACHIEVED, None, "target_achieved", components)
        components["achieved"] = False
        basis = growth_basis(inp, components)
        required = required_cagr(inp, basis, components)
        # sign * d * obs / |req| equals obs / req whenever the target lies in the desired direction, and stays
        # meaningful when it does not (then the target was already met at the baseline and has been lost).
        ratio = ratio_to_required(basis, inp.direction, required)
        components["ratio"] = ratio
        label, status = classify_ratio(ratio)
    else:
        components["variant"] = "without_target"
        components["thresholds"] = dict(
            zip(
                ("significant_progress", "moderate_progress", "moderate_movement_away"),
                GROWTH_THRESHOLDS,
                strict=True,
            )
        )
        basis = growth_basis(inp, components)
        growth = basis.sign * inp.direction * basis.cagr_observed
        components["growth"] = growth
        label, status = classify_growth(growth)
    return ProgressResult(METHOD_ID, status, None, label, components)
