"""Progress-method behaviour that surviving mutants showed untested (docs/mutation/algorithms.md)."""

import pytest

from kompass.algorithms.progress import Status, compute_status


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


@pytest.mark.parametrize("series", [[(2015, 0.0), (2016, 1.0)], [(2015, 1.0), (2017, 0.0)], [(2015, 1.0)]])
def test_binary_indicators_refuse_the_parity_transform(series):
    with pytest.raises(ValueError, match="parity transform does not apply to binary"):
        compute_status(series, method="binary", parity=True)


@pytest.mark.parametrize("end", [100.0, 100.4, 101.0])
def test_a_base_at_the_natural_limit_that_is_held_is_on_track(end):
    """Open SDG: C = 0 when the base equals the limit; holding or exceeding it counts as substantial progress,
    whatever the (small) growth."""
    result = compute_status([(2015, 100.0), (2017, end)], natural_limit=100.0)
    assert result.components["limit_factor"] == 0.0
    assert 0.0 <= result.components["growth"] < 1.0
    assert result.status is Status.ON_TRACK


@pytest.mark.parametrize("method", ["open_sdg", "eurostat"])
def test_a_negative_series_is_used_as_it_is_and_growth_is_signed(method):
    """Nothing is replaced when base and target are negative (only a zero is); the sign of the series (-1) turns the
    observed CAGR (-4 -> -1 in two years: (1/4) ** (1/2) - 1 = -0.5) into progress towards -0.5 in 2025."""
    result = compute_status([(2015, -4.0), (2017, -1.0)], target=(-0.5, 2025), method=method)
    c = result.components
    assert (c["base_value_used"], c["current_value_used"], c["target_value_used"]) == (-4.0, -1.0, -0.5)
    assert c["zero_base_replaced"] is False and c["zero_target_replaced"] is False
    assert c["sign"] == -1 and c["years_elapsed"] == 2.0
    assert c["cagr_observed"] == pytest.approx(-0.5)
    assert c["cagr_required"] == pytest.approx((0.5 / 4) ** (1 / 10) - 1)
    assert c["ratio"] == pytest.approx(0.5 / (1 - (0.5 / 4) ** (1 / 10)))
    assert result.status is Status.ON_TRACK


@pytest.mark.parametrize("method", ["open_sdg", "eurostat", "linear", "destatis"])
def test_a_reached_target_is_recorded_as_achieved_in_the_components(method):
    """100 -> 121 reaches the target 110 (higher is better); 100 -> 105 does not."""
    reached = compute_status([(2015, 100.0), (2016, 105.0), (2017, 121.0)], method=method, target=(110.0, 2025))
    assert reached.status is Status.ACHIEVED and reached.components["achieved"] is True
    short = compute_status([(2015, 100.0), (2016, 102.0), (2017, 105.0)], method=method, target=(110.0, 2025))
    assert short.status is not Status.ACHIEVED and short.components["achieved"] is False


@pytest.mark.parametrize("point", [(2015,), (2015, 1.0, 2.0), ()])
def test_a_series_point_must_be_a_pair(point):
    with pytest.raises(ValueError, match=r"series point 1 must be a \(time, value\) pair"):
        compute_status([(2014, 1.0), point])


@pytest.mark.parametrize(("start", "end"), [(-4.0, 2.0), (4.0, -2.0)])
def test_growth_between_values_of_different_signs_is_refused(start, end):
    from kompass.algorithms.progress.growth import cagr

    with pytest.raises(ValueError, match="same sign"):
        cagr(start, end, 2015.0, 2016.0)
    assert cagr(-4.0, -1.0, 2015.0, 2017.0) == pytest.approx(-0.5) and cagr(4.0, 0.0, 2015.0, 2016.0) == -1.0


def test_the_parity_transform_keeps_the_baseline_time_and_transforms_its_value():
    result = compute_status([(2015, 0.8), (2017, 0.9)], baseline=(0.8, 2015), parity=True)
    assert result.components["base_time"] == 2015.0 and result.components["base_value"] == pytest.approx(1.25)


def test_method_descriptions_are_immutable():
    import dataclasses

    from kompass.algorithms.progress.registry import METHODS

    with pytest.raises(dataclasses.FrozenInstanceError):
        METHODS["open_sdg"].needs_target = True


@pytest.mark.parametrize("status", list(Status))
def test_a_roll_up_is_computable_unless_its_status_is_not_computable(status):
    """A single child passes its status on; only NOT_COMPUTABLE makes the parent not computable (the statuses are
    strings, so an ordering comparison would sort them alphabetically instead)."""
    from kompass.algorithms.progress import ProgressResult, roll_up

    parent = roll_up([ProgressResult("test", status, None, status.value, {})])
    assert parent.status is status
    assert parent.computable is (status is not Status.NOT_COMPUTABLE)


@pytest.mark.parametrize("scale", [1e-300, 1.0, 1e300])
def test_the_weighted_mean_of_a_roll_up_holds_for_extreme_weights(scale):
    """Weights 3 : 1 of scores 4 and -4 give (12 - 4) / 4 = 2 at any scale; at 1e300 the products of score and
    weight would overflow and at 1e-300 the scaled weights would underflow unless scaled the right way."""
    from kompass.algorithms.progress import ProgressResult, roll_up

    children = [ProgressResult("test", Status.ON_TRACK, 4.0, "x", {}),
                ProgressResult("test", Status.DETERIORATION, -4.0, "x", {})]
    parent = roll_up(children, weights=[3 * scale, scale])
    assert parent.score == pytest.approx(2.0, abs=1e-12)
    assert parent.total_weight == pytest.approx(4 * scale, rel=1e-12)


def test_destatis_marks_a_passed_target_time_only_when_it_has_passed():
    steady = [(2015, 100.0), (2016, 104.0), (2017, 108.0), (2018, 112.0), (2019, 116.0), (2020, 120.0)]
    future = compute_status(steady, method="destatis", target=(160.0, 2030))
    assert future.components["years_to_target"] == 10.0
    assert "target_time_passed" not in future.components
    passed = compute_status(steady, method="destatis", target=(130.0, 2019))
    assert passed.components["years_to_target"] == 0.0 and passed.components["target_time_passed"] is True


def test_weights_near_the_float_limit_are_scaled_before_they_multiply_scores():
    """5 x 1e308 overflows; scaled by a power of two the mean (5 * 10 - 5 * 1) / 11 is exact."""
    from kompass.algorithms.progress import ProgressResult, roll_up

    children = [ProgressResult("test", Status.ON_TRACK, 5.0, "x", {}),
                ProgressResult("test", Status.DETERIORATION, -5.0, "x", {})]
    assert roll_up(children, weights=[1e308, 1e307]).score == pytest.approx(45 / 11, rel=1e-12)


def test_an_achieved_status_keeps_the_top_score_of_5():
    """ACHIEVED's band is the single point 5, closed, like the top of ON_TRACK; the lower bands are half-open."""
    import math

    from kompass.algorithms.progress.status import clamp_to_band

    assert clamp_to_band(5.0, Status.ACHIEVED) == 5.0 and clamp_to_band(1.0, Status.ACHIEVED) == 5.0
    assert clamp_to_band(5.0, Status.ON_TRACK) == 5.0
    high = Status.ACCELERATION_NEEDED.score_band[1]
    assert clamp_to_band(high, Status.ACCELERATION_NEEDED) == math.nextafter(high, -math.inf)


@pytest.mark.parametrize(("trends", "expected"), [([1, -1], 0), ([], 0), ([1, 1, -1], 1), ([-1, 0], -1)])
def test_a_measure_trend_is_the_sign_of_its_indicator_trends(trends, expected):
    from kompass.algorithms.progress import ProgressResult, measure_summary

    goal = ("output", True, ProgressResult("test", Status.ON_TRACK, 3.0, "x", {}), 1)
    assert measure_summary([goal], ["output"], trends, has_inputs=True).trend == expected


def test_the_linear_method_refuses_a_target_time_before_the_baseline():
    result = compute_status([(2015, 100.0), (2017, 110.0)], method="linear", target=(120.0, 2010))
    assert result.status is Status.NOT_COMPUTABLE
    assert result.reason == "the target time (2010) must be later than the baseline (2015)"


@pytest.mark.parametrize("status", list(Status))
def test_every_status_but_not_computable_is_computable(status):
    assert status.is_computable is (status is not Status.NOT_COMPUTABLE)


@pytest.mark.parametrize(("current", "passed"), [(2019, False), (2020, True), (2022, True)])
def test_the_linear_method_says_whether_the_target_time_has_passed(current, passed):
    result = compute_status([(2010, 0.0), (current, 1.0)], method="linear", target=(10.0, 2020))
    assert result.components["target_time_passed"] is passed


def test_a_measure_trend_compares_the_last_two_points_of_a_series():
    """Three points: up, then down. The trend is the last change (down), not the one from the second point."""
    from kompass.algorithms.progress.chain import trend

    assert trend([(2018, 1.0), (2019, 5.0), (2020, 3.0)], 1) == -1
    assert trend([(2018, 5.0), (2019, 1.0), (2020, 3.0)], 1) == 1
    assert trend([(2017, 1.0), (2018, 2.0), (2019, 4.0), (2020, 4.0)], 1) == 0


def test_a_series_without_a_direction_counts_higher_values_as_better():
    from kompass.algorithms.progress.inputs import normalise_input

    assert normalise_input([(2015, 1.0), (2016, 2.0)]).direction == 1


@pytest.mark.parametrize("method", ["open_sdg", "eurostat"])
def test_a_series_that_stays_at_zero_has_no_growth(method):
    """Both points 0: the zero base is replaced by +0.001 (the series is not negative), the CAGR is that of
    0.001 -> 0 taken as no change, and the growth is 0, not a gain."""
    result = compute_status([(2015, 0.0), (2020, 0.0)], method=method)
    assert result.components["base_value_used"] == 0.001
    assert result.components["growth"] == 0.0


@pytest.mark.parametrize("pair", [(1.0, 2020, 0), (1.0,)])
def test_a_target_must_be_exactly_a_value_and_a_time(pair):
    with pytest.raises(ValueError, match=r"^target must be a \(value, time\) pair"):
        compute_status([(2015, 1.0), (2016, 2.0)], target=pair)


@pytest.mark.parametrize(("points", "direction", "expected"), [
    ([(2019, 10.0), (2020, 7.0)], -1, 1),  # fell by 3 where lower is better: in the desired direction
    ([(2019, 7.0), (2020, 10.0)], -1, -1),
    ([(2019, 7.0), (2020, 10.0)], 1, 1),
    ([(2019, 10.0), (2020, 7.0)], 1, -1),
])
def test_a_trend_compares_the_sign_of_the_change_with_the_desired_direction(points, direction, expected):
    """Changes larger than 1 in either direction: the sign of change x direction decides, whatever their sizes."""
    from kompass.algorithms.progress.chain import trend

    assert trend(points, direction) == expected


def test_the_linear_method_refuses_a_latest_point_at_the_baseline_time():
    result = compute_status([(2015, 100.0), (2017, 110.0)], method="linear", baseline=(90.0, 2017),
                            target=(120.0, 2020))
    assert result.status is Status.NOT_COMPUTABLE
    assert result.reason == "the latest data point (2017) must be later than the baseline (2017)"


def test_equal_frozen_components_hash_equally_whatever_their_order():
    """Components are compared as dicts (order does not matter), so their hash must not depend on the order either,
    also when several keys have the same value."""
    from kompass.algorithms.progress.result import FrozenDict

    one, other = FrozenDict({"a": 1, "b": 1, "c": 2}), FrozenDict({"c": 2, "b": 1, "a": 1})
    assert one == other and hash(one) == hash(other)
    assert len({one, other}) == 1


@pytest.mark.parametrize("status", list(Status))
def test_a_roll_up_is_achieved_only_when_its_status_is_achieved(status):
    from kompass.algorithms.progress import ProgressResult, roll_up

    parent = roll_up([ProgressResult("test", status, None, status.value, {})])
    assert parent.achieved is (status is Status.ACHIEVED)


@pytest.mark.parametrize("weights", [[1.0], [1.0, 2.0, 3.0]])
def test_a_roll_up_needs_exactly_one_weight_per_child(weights):
    from kompass.algorithms.progress import ProgressResult, roll_up

    children = [ProgressResult("test", Status.ON_TRACK, 4.0, "x", {}) for _ in range(2)]
    with pytest.raises(ValueError, match=f"got {len(weights)} weights for 2 children"):
        roll_up(children, weights=weights)


def test_a_series_is_not_parity_transformed_unless_asked():
    from kompass.algorithms.progress.inputs import ProgressInput, normalise_input

    assert normalise_input([(2015, 0.4), (2016, 0.45)]).parity is False
    assert normalise_input([(2015, 0.4), (2016, 0.45)], parity=True).parity is True
    assert ProgressInput(((2015, 0.4), (2016, 0.45)), 1, None, None, None).parity is False
