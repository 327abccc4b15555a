"""Hand-computed examples for the Statistics Canada / Open SDG method (the default)."""

import math

import pytest

from kompass.algorithms.progress import Status, compute_status
from kompass.algorithms.progress.open_sdg import limit_factor, score_from_growth, score_from_ratio


@pytest.fixture(autouse=True)
def _german_by_default():
    """Replaces the autouse Django language fixture of tests/conftest.py: these tests must run without Django
    (``-p no:django``), and the progress algorithms have no translations."""


# A base of 100 in 2015 and 121 in 2017 grows by exactly 10 % a year: (121 / 100) ** (1 / 2) - 1 = 0.1.
SERIES_UP = [(2015, 100.0), (2016, 111.0), (2017, 121.0)]
# 100 -> 81 over two years: (0.81) ** (1 / 2) - 1 = -0.1.
SERIES_DOWN = [(2015, 100.0), (2017, 81.0)]


class TestWithTarget:
    def test_on_track_ratio_one(self):
        # Required CAGR: target 100 * 1.1**10 = 259.374246 in 2025 -> exactly 10 % a year.
        # R = 1 * 1 * 0.1 / |0.1| = 1 >= 0.95 -> on track; score = 50/7 * 1 - 30/7 = 20/7 = 2.857143.
        result = compute_status(SERIES_UP, target=(259.37424601, 2025))
        assert result.status is Status.ON_TRACK
        assert result.label == "substantial_progress"
        assert result.components["cagr_observed"] == pytest.approx(0.1)
        assert result.components["cagr_required"] == pytest.approx(0.1)
        assert result.components["ratio"] == pytest.approx(1.0)
        assert result.score == pytest.approx(20 / 7)

    def test_acceleration_needed(self):
        # Target 100 * 1.125**10 = 324.732103 in 2025 -> required CAGR 12.5 %.
        # R = 0.1 / 0.125 = 0.8 (0.6 <= R < 0.95); score = 50/7 * 0.8 - 30/7 = 10/7 = 1.428571.
        result = compute_status(SERIES_UP, target=(324.7321025468409, 2025))
        assert result.status is Status.ACCELERATION_NEEDED
        assert result.components["ratio"] == pytest.approx(0.8)
        assert result.score == pytest.approx(10 / 7)

    def test_limited_progress(self):
        # Target 100 * 1.2**10 = 619.173642 in 2025 -> required CAGR 20 %.
        # R = 0.1 / 0.2 = 0.5 (0 <= R < 0.6); score = 25/6 * 0.5 - 2.5 = -0.416667.
        result = compute_status(SERIES_UP, target=(619.17364224, 2025))
        assert result.status is Status.LIMITED_PROGRESS
        assert result.components["ratio"] == pytest.approx(0.5)
        assert result.score == pytest.approx(-5 / 12)

    def test_deterioration(self):
        # Observed CAGR -10 %, required +10 %: R = -0.1 / 0.1 = -1;
        # score = max(25/6 * -1 - 2.5, -5) = max(-6.667, -5) = -5.
        result = compute_status(SERIES_DOWN, target=(259.37424601, 2025))
        assert result.status is Status.DETERIORATION
        assert result.components["ratio"] == pytest.approx(-1.0)
        assert result.score == -5.0

    def test_achieved_scores_five(self):
        # 121 >= 120 (higher is better) -> achieved, score 5 whatever the trend.
        result = compute_status(SERIES_UP, target=(120.0, 2030))
        assert result.status is Status.ACHIEVED
        assert result.score == 5.0
        assert result.label == "target_achieved"
        assert result.components["achieved"] is True

    def test_lower_is_better(self):
        # d = -1. Observed CAGR -10 %; target 100 * 0.9**10 = 34.867844 in 2025 -> required -10 %.
        # R = 1 * (-1) * (-0.1) / |-0.1| = 1 -> on track, score 20/7.
        result = compute_status(SERIES_DOWN, direction=-1, target=(34.86784401, 2025))
        assert result.status is Status.ON_TRACK
        assert result.components["ratio"] == pytest.approx(1.0)
        assert result.score == pytest.approx(20 / 7)

    def test_negative_values_flip_the_sign(self):
        # Base -100 -> sign = -1. -100 -> -121 in two years: CAGR of the ratio 1.21 is +10 %.
        # d = -1 (lower is better, -121 is better). Target -259.374 in 2025: required +10 %.
        # R = (-1) * (-1) * 0.1 / 0.1 = 1 -> on track.
        result = compute_status([(2015, -100.0), (2017, -121.0)], direction=-1, target=(-259.37424601, 2025))
        assert result.components["sign"] == -1
        assert result.status is Status.ON_TRACK
        assert result.components["ratio"] == pytest.approx(1.0)

    def test_target_on_the_wrong_side_of_the_baseline(self):
        # Higher is better, target 90 was already met at the base (100), now lost: 81 < 90.
        # CAGR(100 -> 90 over 10 years) is negative; |.| keeps R = 1 * 1 * (-0.1) / 0.0105 < 0.
        result = compute_status(SERIES_DOWN, target=(90.0, 2025))
        assert result.status is Status.DETERIORATION
        assert result.components["ratio"] < 0

    def test_target_equal_to_base_and_lost(self):
        # Required CAGR is 0 -> R = -inf: deterioration, score -5; published as null.
        result = compute_status(SERIES_DOWN, target=(100.0, 2025))
        assert result.status is Status.DETERIORATION
        assert result.score == -5.0
        assert math.isinf(result.components["ratio"])
        assert result.to_dict()["components"]["ratio"] is None

    def test_zero_target_is_replaced(self):
        # Lower is better, target 0 in 2025 -> 0.001 in the growth formula (0 in the achievement test).
        # Required CAGR (0.001 / 100) ** (1 / 10) - 1 = 10 ** -0.5 - 1 = -0.683772.
        # R = 1 * (-1) * (-0.1) / 0.683772 = 0.146247 -> limited progress.
        result = compute_status(SERIES_DOWN, direction=-1, target=(0.0, 2025))
        assert result.components["zero_target_replaced"] is True
        assert result.components["cagr_required"] == pytest.approx(10**-0.5 - 1)
        assert result.components["ratio"] == pytest.approx(0.1 / (1 - 10**-0.5))
        assert result.status is Status.LIMITED_PROGRESS

    def test_explicit_baseline(self):
        # The baseline (value 100, 2015) is given separately; the series only holds the current value.
        result = compute_status([(2017, 121.0)], baseline=(100.0, 2015), target=(259.37424601, 2025))
        assert result.components["baseline_source"] == "explicit"
        assert result.components["ratio"] == pytest.approx(1.0)

    def test_target_before_baseline_is_not_computable(self):
        result = compute_status(SERIES_UP, target=(500.0, 2014))
        assert result.status is Status.NOT_COMPUTABLE
        assert "target time" in result.reason

    def test_natural_limit_is_ignored_with_a_target(self):
        result = compute_status(SERIES_UP, target=(259.37424601, 2025), natural_limit=150.0)
        assert "natural_limit_ignored" in result.components
        assert result.components["ratio"] == pytest.approx(1.0)


class TestWithoutTarget:
    @pytest.mark.parametrize(
        ("current", "growth", "status", "score"),
        [
            # 100 -> 104.04 in two years: g = 2 %; >= 1.5 % -> min(500 * 0.02 - 5, 5) = 5.
            (104.04, 0.02, Status.ON_TRACK, 5.0),
            # 100 -> 102.01: g = 1 %; 0.5 % <= g < 1.5 % -> 250 * 0.01 - 1.25 = 1.25.
            (102.01, 0.01, Status.ACCELERATION_NEEDED, 1.25),
            # 100 -> 100.6009: g = 0.3 %; 0 <= g < 0.5 % -> 500 * 0.003 - 2.5 = -1.
            (100.6009, 0.003, Status.LIMITED_PROGRESS, -1.0),
            # 100 -> 98.01: g = -1 %; g < 0 -> max(125 * -0.01 - 2.5, -5) = -3.75.
            (98.01, -0.01, Status.DETERIORATION, -3.75),
            # 100 -> 90.25: g = -5 % -> max(-6.25 - 2.5, -5) = -5.
            (90.25, -0.05, Status.DETERIORATION, -5.0),
        ],
    )
    def test_growth_classes(self, current, growth, status, score):
        result = compute_status([(2015, 100.0), (2017, current)])
        assert result.components["growth"] == pytest.approx(growth)
        assert result.components["limit_factor"] == 1.0
        assert result.status is status
        assert result.score == pytest.approx(score)

    def test_no_change_is_limited_progress(self):
        # g = 0 -> 500 * 0 - 2.5 = -2.5, the lower edge of "limited progress".
        result = compute_status([(2015, 50.0), (2020, 50.0)])
        assert result.status is Status.LIMITED_PROGRESS
        assert result.score == -2.5

    def test_lower_is_better(self):
        # 100 -> 98.01: CAGR -1 %, d = -1 -> g = +1 % -> acceleration needed, score 1.25.
        result = compute_status([(2015, 100.0), (2017, 98.01)], direction=-1)
        assert result.components["growth"] == pytest.approx(0.01)
        assert result.score == pytest.approx(1.25)

    def test_natural_limit_lowers_the_thresholds(self):
        # Base 90, limit 100 (maximum): b <= l -> C = 1 - 0.9 ** 4.44 = 1 - 0.626378 = 0.373622.
        # Thresholds 1.5 % * C = 0.5604 %, 0.5 % * C = 0.1868 %.
        # g = 0.4 % (90 -> 90 * 1.004 ** 2) is between them -> acceleration needed;
        # score = 250 * 0.004 / C - 1.25 = 2.676504 - 1.25 = 1.426504.
        series = [(2015, 90.0), (2017, 90.0 * 1.004**2)]
        limited = compute_status(series)
        result = compute_status(series, natural_limit=100.0)
        assert limited.status is Status.LIMITED_PROGRESS  # without the limit: 500 * 0.004 - 2.5 = -0.5
        assert result.components["limit_factor"] == pytest.approx(0.373622, abs=1e-6)
        assert result.components["thresholds"]["on_track"] == pytest.approx(0.005604, abs=1e-6)
        assert result.status is Status.ACCELERATION_NEEDED
        assert result.score == pytest.approx(1.426504, abs=1e-6)

    def test_natural_limit_reached_and_held(self):
        # Base at the limit: C = 1 - 1 ** 4.44 = 0; holding the limit (g >= 0) is on track with score 5.
        result = compute_status([(2015, 100.0), (2020, 100.0)], natural_limit=100.0)
        assert result.components["limit_factor"] == 0.0
        assert result.status is Status.ON_TRACK
        assert result.score == 5.0

    def test_natural_limit_reached_then_lost(self):
        # Base at the limit, 100 -> 98.01: g = -1 % -> 125 * -0.01 - 2.5 = -3.75 as usual.
        result = compute_status([(2015, 100.0), (2017, 98.01)], natural_limit=100.0)
        assert result.status is Status.DETERIORATION
        assert result.score == pytest.approx(-3.75)

    def test_minimum_limit(self):
        # Lower is better, minimum 100, base 150: l < b < 2l -> C = 1 - ((200 - 150) / 100) ** 4.44
        # = 1 - 0.5 ** 4.44 = 1 - 0.046071 = 0.953929.
        result = compute_status([(2015, 150.0), (2017, 140.0)], direction=-1, natural_limit=100.0)
        assert result.components["natural_limit_applies"] is True
        assert result.components["limit_factor"] == pytest.approx(0.953929, abs=1e-6)

    def test_limit_in_the_undesired_direction_is_ignored(self):
        # Lower is better, base 90 below the limit 100: the limit does not restrict progress -> C = 1.
        result = compute_status([(2015, 90.0), (2017, 80.0)], direction=-1, natural_limit=100.0)
        assert result.components["natural_limit_applies"] is False
        assert result.components["limit_factor"] == 1.0


class TestPreconditions:
    def test_single_point(self):
        result = compute_status([(2020, 5.0)])
        assert result.status is Status.NOT_COMPUTABLE
        assert result.score is None
        assert "two data points" in result.reason
        assert result.components["current_value"] == 5.0

    def test_empty_series(self):
        result = compute_status([])
        assert result.status is Status.NOT_COMPUTABLE

    def test_sign_change(self):
        result = compute_status([(2015, -3.0), (2020, 4.0)])
        assert result.status is Status.NOT_COMPUTABLE
        assert "different signs" in result.reason

    def test_zero_base_is_replaced(self):
        # Base 0 -> 0.001; 0.001 -> 0.002 in one year: CAGR = 100 % -> g = 1 -> on track, score 5.
        result = compute_status([(2015, 0.0), (2016, 0.002)])
        assert result.components["zero_base_replaced"] is True
        assert result.components["base_value_used"] == 0.001
        assert result.components["growth"] == pytest.approx(1.0)
        assert result.status is Status.ON_TRACK

    def test_zero_base_with_negative_values(self):
        # Base 0 -> -0.001 when the series is negative, so that negating a series never changes its status.
        result = compute_status([(2015, 0.0), (2016, -0.002)], direction=-1)
        assert result.components["base_value_used"] == -0.001
        assert result.status is Status.ON_TRACK

    def test_all_zero_means_no_change(self):
        result = compute_status([(2015, 0.0), (2016, 0.0)])
        assert result.components["growth"] == 0.0
        assert result.status is Status.LIMITED_PROGRESS

    def test_current_zero_is_a_fall_of_100_percent(self):
        # 10 -> 0: CAGR = -1 -> higher is better: g = -1 -> score max(-125 - 2.5, -5) = -5.
        result = compute_status([(2015, 10.0), (2016, 0.0)])
        assert result.components["cagr_observed"] == -1.0
        assert result.status is Status.DETERIORATION

    def test_latest_point_not_after_explicit_baseline(self):
        result = compute_status([(2015, 10.0)], baseline=(8.0, 2016))
        assert result.status is Status.NOT_COMPUTABLE
        assert "later than the baseline" in result.reason

    def test_overflowing_growth_is_not_computable(self):
        result = compute_status([(2015, 1e-300), (2015.001, 1e300)])
        assert result.status is Status.NOT_COMPUTABLE
        assert "too large" in result.reason


class TestParity:
    def test_parity_transform_and_ratio(self):
        # 0.5 -> max(0.5, 2) = 2; 0.8 -> 1.25; target 1 -> 1; direction becomes -1.
        # CAGR(2 -> 1.25, 2 years) = 0.625 ** 0.5 - 1 = -0.209431;
        # CAGR(2 -> 1, 10 years) = 0.5 ** 0.1 - 1 = -0.066967;
        # R = 1 * (-1) * (-0.209431) / 0.066967 = 3.127370 -> on track, score min(., 5) = 5.
        result = compute_status([(2015, 0.5), (2017, 0.8)], target=(1.0, 2025), parity=True)
        assert result.components["base_value"] == 2.0
        assert result.components["current_value"] == 1.25
        assert result.components["direction"] == -1
        assert result.components["ratio"] == pytest.approx(3.127370, abs=1e-6)
        assert result.status is Status.ON_TRACK

    def test_parity_within_tolerance_is_achieved(self):
        # 1.02 is within 1 +/- 3 % -> transformed to 1 <= 1 -> achieved.
        result = compute_status([(2015, 0.5), (2019, 1.02)], target=(1.0, 2025), parity=True)
        assert result.status is Status.ACHIEVED

    def test_parity_is_symmetric(self):
        # A group performing twice as well is as far from parity as one performing half as well.
        a = compute_status([(2015, 0.5), (2017, 0.8)], target=(1.0, 2025), parity=True)
        b = compute_status([(2015, 2.0), (2017, 1.25)], target=(1.0, 2025), parity=True)
        assert a.status is b.status
        assert a.score == pytest.approx(b.score)


class TestScoreFunctions:
    def test_ratio_breakpoints_are_exact(self):
        # The published 7.1429 / 4.2857 / 4.1667 are roundings of 50/7, 30/7, 25/6.
        assert score_from_ratio(0.6) == pytest.approx(0.0, abs=1e-12)
        assert score_from_ratio(0.95) == pytest.approx(2.5, abs=1e-12)
        assert score_from_ratio(1.3) == pytest.approx(5.0, abs=1e-12)
        assert score_from_ratio(0.0) == -2.5
        assert score_from_ratio(-0.6) == pytest.approx(-5.0)
        assert score_from_ratio(10.0) == 5.0
        assert score_from_ratio(-10.0) == -5.0

    def test_growth_breakpoints(self):
        assert score_from_growth(0.0) == -2.5
        assert score_from_growth(0.005) == pytest.approx(0.0)
        assert score_from_growth(0.015) == pytest.approx(2.5)
        assert score_from_growth(0.02) == pytest.approx(5.0)
        assert score_from_growth(-0.02) == pytest.approx(-5.0)

    def test_limit_factor_cases(self):
        assert limit_factor(0.0, 100.0) == 1.0
        assert limit_factor(100.0, 100.0) == 0.0
        assert limit_factor(200.0, 100.0) == 1.0
        assert limit_factor(0.0, 0.0) == 1.0
        assert limit_factor(-50.0, -100.0) == pytest.approx(1 - 0.5**4.44)


def test_binary_indicator():
    assert compute_status([(2020, 0), (2023, 1)], method="binary").status is Status.ACHIEVED
    result = compute_status([(2020, 1), (2023, 0)], method="binary")
    assert result.status is Status.NOT_ACHIEVED
    assert result.status.scale_class is Status.LIMITED_PROGRESS
    assert result.label == "target_not_achieved"
    assert compute_status([], method="binary").status is Status.NOT_COMPUTABLE
    with pytest.raises(ValueError, match="0 or 1"):
        compute_status([(2020, 0.5)], method="binary")
