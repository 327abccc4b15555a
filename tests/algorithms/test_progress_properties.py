"""Property tests (hypothesis) for the progress methods and the roll-up."""

import json
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kompass.algorithms.progress import Status, compute_status, roll_up, status_from_score


@pytest.fixture(autouse=True)
def _german_by_default():
    """Replaces the autouse Django language fixture of tests/conftest.py: these tests must run without Django
    (``-p no:django``), and the progress algorithms have no translations."""


PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

TREND_METHODS = ["open_sdg", "eurostat", "linear"]  # status driven by baseline -> current
TARGET_METHODS = ["open_sdg", "eurostat", "destatis", "linear"]
SCORE_METHODS = ["open_sdg", "linear"]
NUMERIC_METHODS = ["open_sdg", "eurostat", "destatis", "linear"]

magnitudes = st.floats(min_value=0.01, max_value=1e4, allow_nan=False, allow_infinity=False)
magnitudes_or_zero = st.one_of(magnitudes, st.just(0.0))
quarters = st.sampled_from([0.0, 0.25, 0.5, 0.75])


@st.composite
def series(draw, min_size=2, max_size=8, sign=None, allow_zero=True):
    """A same-sign series with unique (possibly fractional) times between 1990 and 2040."""
    if sign is None:
        sign = draw(st.sampled_from([1, -1]))
    years = sorted(draw(st.lists(st.integers(1990, 2040), min_size=min_size, max_size=max_size, unique=True)))
    values = magnitudes_or_zero if allow_zero else magnitudes
    return [(year + draw(quarters), sign * draw(values)) for year in years], sign


@st.composite
def scenarios(draw, methods=NUMERIC_METHODS, with_target=None, min_size=2):
    points, sign = draw(series(min_size=min_size))
    method = draw(st.sampled_from(methods))
    direction = draw(st.sampled_from([1, -1]))
    has_target = draw(st.booleans()) if with_target is None else with_target
    target = None
    if has_target:
        target = (sign * draw(magnitudes_or_zero), points[0][0] + draw(st.integers(1, 40)))
    natural_limit = sign * draw(magnitudes) if draw(st.booleans()) else None
    return {
        "series": points,
        "method": method,
        "direction": direction,
        "target": target,
        "natural_limit": natural_limit,
    }


def compute(scenario):
    return compute_status(
        scenario["series"],
        method=scenario["method"],
        direction=scenario["direction"],
        target=scenario["target"],
        natural_limit=scenario["natural_limit"],
    )


def negated(scenario):
    target = scenario["target"]
    limit = scenario["natural_limit"]
    return {
        "series": [(t, -v) for t, v in scenario["series"]],
        "method": scenario["method"],
        "direction": -scenario["direction"],
        "target": None if target is None else (-target[0], target[1]),
        "natural_limit": None if limit is None else -limit,
    }


@PROPERTY_SETTINGS
@given(scenarios(methods=TARGET_METHODS), st.floats(0, 1e3), st.sampled_from(TARGET_METHODS))
def test_reaching_the_target_is_achieved(scenario, overshoot, method):
    current_time, current_value = scenario["series"][-1]
    d = scenario["direction"]
    target = (current_value - d * overshoot, current_time + 5)
    result = compute_status(scenario["series"], method=method, direction=d, target=target)
    assert result.status is Status.ACHIEVED
    assert result.score in (None, 5.0)


@PROPERTY_SETTINGS
@given(scenarios(methods=TREND_METHODS))
def test_moving_away_never_scores_above_limited(scenario):
    (_, base), (_, current) = scenario["series"][0], scenario["series"][-1]
    assume(current != base)
    # Choose the direction that makes the latest value worse than the baseline.
    scenario = {**scenario, "direction": -1 if current > base else 1}
    result = compute(scenario)
    assume(result.status not in (Status.ACHIEVED, Status.NOT_COMPUTABLE))
    assert result.status in (Status.LIMITED_PROGRESS, Status.DETERIORATION)
    if result.score is not None:
        assert result.score < 0


@PROPERTY_SETTINGS
@given(scenarios(methods=["destatis"], with_target=True, min_size=4), magnitudes)
def test_destatis_trend_against_the_direction_is_a_thunderstorm(scenario, gap):
    # A target beyond the latest value in the desired direction (never reached yet).
    current_time, current = scenario["series"][-1]
    scenario = {**scenario, "target": (current + scenario["direction"] * gap, current_time + 10)}
    result = compute(scenario)
    assert result.status is not Status.ACHIEVED
    if scenario["direction"] * result.components["mean_annual_change"] <= 0:
        assert result.label == "thunderstorm"
        assert result.status is Status.DETERIORATION
    else:
        assert result.label != "thunderstorm"


@PROPERTY_SETTINGS
@given(scenarios())
def test_components_always_come_with_the_status(scenario):
    result = compute(scenario)
    components = result.components
    for key in ("base_value", "base_time", "current_value", "current_time", "target_value", "direction"):
        assert key in components
    assert components["current_value"] == scenario["series"][-1][1]
    if result.status is Status.NOT_COMPUTABLE:
        assert result.reason
    else:
        assert result.reason is None
        if result.method in ("open_sdg", "eurostat") and not result.achieved:
            assert ("ratio" if scenario["target"] else "growth") in components
        if result.method == "linear" and not result.achieved:
            assert {"achievement", "time_share", "ratio"} <= set(components)
        if result.method == "destatis" and not result.achieved:
            assert {"mean_annual_change", "projection", "gap"} <= set(components)
    json.dumps(result.to_dict(), allow_nan=False)


@PROPERTY_SETTINGS
@given(scenarios())
def test_score_within_bounds_and_consistent_with_status(scenario):
    result = compute(scenario)
    if result.score is None:
        assert result.method not in SCORE_METHODS or result.status is Status.NOT_COMPUTABLE
        return
    assert -5.0 <= result.score <= 5.0
    if result.achieved:
        assert result.score == 5.0
    else:
        assert status_from_score(result.score) is result.status


@PROPERTY_SETTINGS
@given(scenarios())
def test_direction_symmetry(scenario):
    original = compute(scenario)
    mirrored = compute(negated(scenario))
    assert mirrored.status is original.status
    assert mirrored.label == original.label
    if original.score is None:
        assert mirrored.score is None
    else:
        assert mirrored.score == pytest.approx(original.score)


@PROPERTY_SETTINGS
@given(scenarios(methods=SCORE_METHODS, with_target=True), magnitudes)
def test_a_better_current_value_never_lowers_the_score(scenario, step):
    points = scenario["series"]
    d = scenario["direction"]
    time, value = points[-1]
    improved = value + d * step
    assume(improved * value > 0)  # stay on the same side of zero
    better = {**scenario, "series": [*points[:-1], (time, improved)]}
    before, after = compute(scenario), compute(better)
    assume(before.score is not None and after.score is not None)
    assert after.score >= before.score


@PROPERTY_SETTINGS
@given(scenarios(), st.integers(1, 6), st.sampled_from([1.0, 2.0, 3.0]))
def test_roll_up_of_identical_children_keeps_the_status(scenario, n, weight):
    child = compute(scenario)
    parent = roll_up([child] * n, weights=[weight] * n)
    assert parent.status is child.status
    assert parent.counts[child.status] == n
    if child.computable:
        expected = child.score if child.score is not None else child.status.representative_score
        assert parent.score == expected
    else:
        assert parent.score is None


@PROPERTY_SETTINGS
@given(
    st.lists(scenarios(), min_size=1, max_size=6),
    st.lists(st.integers(1, 3), min_size=6, max_size=6),
)
def test_roll_up_score_within_children(scenario_list, alignment):
    children = [compute(s) for s in scenario_list]
    weights = alignment[: len(children)]
    parent = roll_up(children, weights=weights)
    used = [c["score_used"] for c in parent.contributions if c["included"]]
    assert sum(parent.counts.values()) == len(children)
    assert parent.n_included + parent.n_not_computable == len(children)
    if not used:
        assert parent.status is Status.NOT_COMPUTABLE
        return
    assert min(used) <= parent.score <= max(used)
    statuses = {c.status for c in children if c.computable}
    if len(statuses) > 1:
        assert parent.status is status_from_score(parent.score)
    # The order of the children does not matter.
    reverse = roll_up(children[::-1], weights=weights[::-1])
    assert reverse.status is parent.status
    assert reverse.score == pytest.approx(parent.score)
    assert math.isfinite(parent.total_weight)
