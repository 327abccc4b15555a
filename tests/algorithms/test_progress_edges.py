"""Every class threshold of every progress method, hit exactly: a value on the threshold belongs to the upper
class where the method says "≥" (and to the lower one where it says ">"). These pin the comparison operators
that property tests rarely hit exactly."""

import pytest

from kompass.algorithms.progress import Status, destatis, eurostat, open_sdg, status_from_score
from kompass.algorithms.progress.growth import target_reached
from kompass.algorithms.progress.status import clamp_to_band


@pytest.fixture(autouse=True)
def _german_by_default():
    """No Django needed."""


@pytest.mark.parametrize(("ratio", "status"), [
    (0.95, Status.ON_TRACK), (0.9499999, Status.ACCELERATION_NEEDED),
    (0.60, Status.ACCELERATION_NEEDED), (0.5999999, Status.LIMITED_PROGRESS),
    (0.0, Status.LIMITED_PROGRESS), (-1e-12, Status.DETERIORATION),
])
def test_open_sdg_ratio_band_edges(ratio, status):
    assert open_sdg.status_from_ratio(ratio) is status


@pytest.mark.parametrize(("growth", "status"), [
    (0.015, Status.ON_TRACK), (0.0149999, Status.ACCELERATION_NEEDED),
    (0.005, Status.ACCELERATION_NEEDED), (0.0049999, Status.LIMITED_PROGRESS),
    (0.0, Status.LIMITED_PROGRESS), (-1e-12, Status.DETERIORATION),
])
def test_open_sdg_growth_band_edges(growth, status):
    assert open_sdg._classify(growth, open_sdg.GROWTH_THRESHOLDS) is status


@pytest.mark.parametrize(("growth", "factor", "score"), [
    (0.015, 1.0, 2.5), (0.005, 1.0, 0.0), (0.0, 1.0, -2.5), (-0.02, 1.0, -5.0), (-0.01, 1.0, -3.75),
    (0.0075, 0.5, 2.5), (0.0025, 0.5, 0.0), (0.001, 0.5, -1.5), (0.01, 1.0, 1.25), (0.1, 1.0, 5.0),
    (0.0, 0.0, 5.0),
])
def test_open_sdg_growth_scores_at_and_between_edges(growth, factor, score):
    assert open_sdg.score_from_growth(growth, factor) == pytest.approx(score, abs=1e-12)


@pytest.mark.parametrize(("ratio", "score"), [(0.6, 0.0), (0.95, 2.5), (1.3, 5.0), (2.0, 5.0), (0.0, -2.5),
                                              (-0.6, -5.0), (-3.0, -5.0), (0.3, -1.25)])
def test_open_sdg_ratio_scores(ratio, score):
    assert open_sdg.score_from_ratio(ratio) == pytest.approx(score, abs=1e-12)


@pytest.mark.parametrize(("base", "limit", "factor"), [
    (200.0, 100.0, 1.0), (100.0, 100.0, 0.0), (0.0, 0.0, 1.0), (50.0, 100.0, 1 - 0.5 ** 4.44),
    (150.0, 100.0, 1 - 0.5 ** 4.44), (-50.0, -100.0, 1 - 0.5 ** 4.44), (250.0, 100.0, 1.0),
])
def test_limit_factor_at_its_case_edges(base, limit, factor):
    assert open_sdg.limit_factor(base, limit) == pytest.approx(factor, abs=1e-12)


@pytest.mark.parametrize(("score", "status"), [
    (2.5, Status.ON_TRACK), (2.4999999, Status.ACCELERATION_NEEDED), (0.0, Status.ACCELERATION_NEEDED),
    (-1e-12, Status.LIMITED_PROGRESS), (-2.5, Status.LIMITED_PROGRESS), (-2.5000001, Status.DETERIORATION),
    (5.0, Status.ON_TRACK), (-5.0, Status.DETERIORATION),
])
def test_score_band_edges(score, status):
    assert status_from_score(score) is status


def test_scores_are_clamped_into_their_band():
    assert clamp_to_band(2.4, Status.ON_TRACK) == 2.5
    assert clamp_to_band(2.5, Status.ACCELERATION_NEEDED) < 2.5
    assert clamp_to_band(-3.0, Status.LIMITED_PROGRESS) == -2.5
    assert clamp_to_band(7.0, Status.ON_TRACK) == 5.0


@pytest.mark.parametrize(("ratio", "label"), [
    (0.95, "significant_progress"), (0.9499999, "moderate_progress"), (0.6, "moderate_progress"),
    (0.5999999, "insufficient_progress"), (0.0, "insufficient_progress"), (-1e-12, "movement_away"),
])
def test_eurostat_ratio_edges(ratio, label):
    assert eurostat.classify_ratio(ratio)[0] == label


@pytest.mark.parametrize(("growth", "label"), [
    (0.01, "moderate_progress"), (0.0100001, "significant_progress"), (0.0, "moderate_progress"),
    (-1e-12, "moderate_movement_away"), (-0.01, "moderate_movement_away"),
    (-0.0100001, "significant_movement_away"),
])
def test_eurostat_growth_edges(growth, label):
    assert eurostat.classify_growth(growth)[0] == label


@pytest.mark.parametrize(("share", "symbol"), [
    (0.0499999, "sun"), (0.05, "slightly_cloudy"), (0.2, "slightly_cloudy"), (0.2000001, "cloudy"),
    (-1.0, "sun"),
])
def test_destatis_symbol_edges(share, symbol):
    assert destatis.classify(share) == symbol


@pytest.mark.parametrize(("value", "target", "direction", "reached"), [
    (10.0, 10.0, 1, True), (9.999, 10.0, 1, False), (10.0, 10.0, -1, True), (10.001, 10.0, -1, False),
])
def test_target_reached_includes_equality(value, target, direction, reached):
    assert target_reached(value, target, direction) is reached


@pytest.mark.parametrize("method", ["eurostat", "destatis", "linear"])
def test_methods_without_a_limit_adjustment_say_that_they_ignore_it(method):
    from kompass.algorithms.progress import compute_status

    points = [(2020.0, 10.0), (2021.0, 11.0), (2022.0, 12.0), (2023.0, 13.0)]
    with_limit = compute_status(points, method=method, target=(20.0, 2030.0), natural_limit=100.0)
    without = compute_status(points, method=method, target=(20.0, 2030.0))
    assert "natural_limit_ignored" in with_limit.components
    assert "natural_limit_ignored" not in without.components
    assert with_limit.status is without.status and with_limit.label == without.label


def test_destatis_says_that_it_ignores_an_explicit_baseline():
    from kompass.algorithms.progress import compute_status

    points = [(2020.0, 10.0), (2021.0, 11.0), (2022.0, 12.0), (2023.0, 13.0)]
    explicit = compute_status(points, method="destatis", target=(20.0, 2030.0), baseline=(5.0, 2015.0))
    assert "baseline_ignored" in explicit.components
    assert "baseline_ignored" not in compute_status(points, method="destatis", target=(20.0, 2030.0)).components


@pytest.mark.parametrize("method", ["open_sdg", "eurostat", "destatis", "linear", "binary"])
def test_the_registry_says_which_methods_give_a_score(method):
    from kompass.algorithms.progress import METHODS, compute_status

    points = [(2020.0, 0.0), (2021.0, 1.0)] if method == "binary" else \
        [(2020.0, 10.0), (2021.0, 11.0), (2022.0, 12.0), (2023.0, 13.0)]
    result = compute_status(points, method=method, target=(20.0, 2030.0))
    assert METHODS[method].has_score is (result.score is not None)
    assert METHODS[method].needs_target is (method in ("destatis", "linear"))


def test_trend_and_measure_summary():
    from kompass.algorithms.progress import ProgressResult, measure_summary, trend

    assert trend([(2020.0, 1.0), (2021.0, 2.0)], 1) == 1 and trend([(2020.0, 1.0), (2021.0, 2.0)], -1) == -1
    assert trend([(2020.0, 1.0), (2021.0, 1.0)], 1) == 0 and trend([(2021.0, 5.0)], 1) == 0
    on_track = ProgressResult("open_sdg", Status.ON_TRACK, 3.0, "substantial_progress", {})
    limited = ProgressResult("open_sdg", Status.LIMITED_PROGRESS, -1.0, "limited_progress", {})
    goals = [("output", True, on_track, 2), ("outcome", True, limited, 1), ("impact", False, limited, 1)]
    summary = measure_summary(goals, ["output", "outcome", "impact"], [1, 1, -1], has_inputs=True)
    assert summary.result.score == pytest.approx(1 / 3) and summary.result.status is Status.ACCELERATION_NEEDED
    assert summary.level_status == {"output": "on_track", "outcome": "limited_progress",
                                    "impact": "limited_progress"}
    assert (summary.n_indicators, summary.trend, summary.chain_complete) == (4, 1, False)  # impact: no assumption
    complete = measure_summary(goals[:2] + [("impact", True, limited, 1)], ["output", "outcome", "impact"], [-2, 1],
                               has_inputs=True)
    assert (complete.chain_complete, complete.trend) == (True, -1)
    assert measure_summary(goals[:2], ["output", "outcome", "impact"], [], has_inputs=True).level_status["impact"] == ""
    assert not measure_summary(goals[:2] + [("impact", True, limited, 1)], ["output", "outcome", "impact"], [0],
                               has_inputs=False).chain_complete
    with pytest.raises(ValueError, match="at least one goal"):
        measure_summary([], ["output"], [], has_inputs=True)
