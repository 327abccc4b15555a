"""Input validation, result objects, status scale and roll-up (hand-computed examples)."""

import dataclasses
import json
import math

import pytest

from kompass.algorithms.progress import (
    DEFAULT_METHOD,
    METHODS,
    ProgressResult,
    RollUp,
    Status,
    compute_status,
    roll_up,
    status_from_score,
)


@pytest.fixture(autouse=True)
def _german_by_default():
    """Replaces the autouse Django language fixture of tests/conftest.py: these tests must run without Django
    (``-p no:django``), and the progress algorithms have no translations."""


class TestValidation:
    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"series": [(2015, math.nan), (2016, 1.0)]}, "finite"),
            ({"series": [(2015, 1.0), (math.inf, 1.0)]}, "finite"),
            ({"series": [(2015, 1.0), (2015, 2.0)]}, "duplicate time"),
            ({"series": [(2015, 1.0, 3.0)]}, "pair"),
            ({"series": [(2015, "1.0")]}, "real number"),
            ({"series": [2015]}, "pair"),
            ({"series": "2015,1"}, "iterable"),
            ({"series": [(2015, 1.0)], "direction": 0}, "direction"),
            ({"series": [(2015, 1.0)], "direction": True}, "direction"),
            ({"series": [(2015, 1.0)], "method": "magic"}, "unknown progress method"),
            ({"series": [(2015, 1.0)], "target": (math.nan, 2030)}, "target value"),
            ({"series": [(2015, 1.0)], "target": 5.0}, "target"),
            ({"series": [(2015, 1.0)], "baseline": (1.0,)}, "baseline"),
            ({"series": [(2015, 1.0)], "natural_limit": math.inf}, "natural_limit"),
            ({"series": [(2015, 0.0)], "parity": True}, "parity"),
            ({"series": [(2015, 1.0)], "method": "binary", "parity": True}, "parity"),
        ],
    )
    def test_bad_input_raises(self, kwargs, message):
        series = kwargs.pop("series")
        with pytest.raises(ValueError, match=message):
            compute_status(series, **kwargs)

    def test_unsorted_series_and_mapping_input(self):
        a = compute_status([(2017, 121.0), (2015, 100.0)])
        b = compute_status({2015: 100.0, 2017: 121.0})
        assert a == b
        assert a.components["base_time"] == 2015.0

    def test_fractional_times(self):
        # 100 -> 110.25 between 2015.5 and 2017.5: CAGR 5 % -> g = 5 % -> on track.
        result = compute_status([(2015.5, 100.0), (2017.5, 110.25)])
        assert result.components["cagr_observed"] == pytest.approx(0.05)
        assert result.status is Status.ON_TRACK

    def test_default_method_and_registry(self):
        assert DEFAULT_METHOD == "open_sdg"
        assert set(METHODS) == {"open_sdg", "eurostat", "destatis", "linear", "binary"}
        assert METHODS["open_sdg"].has_score and not METHODS["eurostat"].has_score
        assert compute_status([(2015, 1.0), (2016, 2.0)]).method == "open_sdg"
        with pytest.raises(TypeError):
            METHODS["x"] = METHODS["open_sdg"]  # type: ignore[index]


class TestResult:
    def test_immutable(self):
        result = compute_status([(2015, 100.0), (2017, 121.0)])
        with pytest.raises(dataclasses.FrozenInstanceError):
            result.status = Status.DETERIORATION  # type: ignore[misc]
        with pytest.raises(TypeError):
            result.components["growth"] = 0.0
        with pytest.raises(TypeError):
            result.components["thresholds"]["on_track"] = 0.0
        assert isinstance(result.components, dict)

    def test_to_dict_is_plain_json(self):
        result = compute_status([(2015, 100.0), (2017, 121.0)], target=(200.0, 2030))
        data = result.to_dict()
        text = json.dumps(data, allow_nan=False)
        assert json.loads(text)["status"] == "on_track"
        assert data["components"]["base_value"] == 100.0
        assert data["components"]["target_time"] == 2030.0

    def test_not_computable_result_keeps_components(self):
        result = compute_status([(2015, 3.0), (2016, -3.0)], target=(5.0, 2030))
        assert result.status is Status.NOT_COMPUTABLE
        assert not result.computable
        assert result.components["base_value"] == 3.0
        assert result.components["target_value"] == 5.0
        assert result.to_dict()["reason"] == result.reason


class TestStatusScale:
    @pytest.mark.parametrize(
        ("score", "status"),
        [
            (5.0, Status.ON_TRACK),
            (2.5, Status.ON_TRACK),
            (2.4999, Status.ACCELERATION_NEEDED),
            (0.0, Status.ACCELERATION_NEEDED),
            (-0.0001, Status.LIMITED_PROGRESS),
            (-2.5, Status.LIMITED_PROGRESS),
            (-2.5001, Status.DETERIORATION),
            (-5.0, Status.DETERIORATION),
        ],
    )
    def test_status_from_score(self, score, status):
        assert status_from_score(score) is status

    def test_status_from_score_rejects_out_of_range(self):
        with pytest.raises(ValueError):
            status_from_score(5.5)
        assert status_from_score(0.0, achieved=True) is Status.ACHIEVED

    def test_representative_scores_lie_in_their_band(self):
        for status in Status:
            score = status.representative_score
            if status is Status.NOT_COMPUTABLE:
                assert score is None and status.score_band is None
                continue
            assert status_from_score(score) is (
                Status.ON_TRACK if status is Status.ACHIEVED else status.scale_class
            )

    def test_string_values_are_stable(self):
        assert [s.value for s in Status] == [
            "achieved",
            "on_track",
            "acceleration_needed",
            "limited_progress",
            "deterioration",
            "not_achieved",
            "not_computable",
        ]


def _result(status, score=None):
    return ProgressResult("test", status, score, status.value, {})


class TestRollUp:
    def test_mean_of_scores(self):
        # (5 + -5) / 2 = 0 -> acceleration needed.
        parent = roll_up([_result(Status.ON_TRACK, 5.0), _result(Status.DETERIORATION, -5.0)])
        assert parent.score == 0.0
        assert parent.status is Status.ACCELERATION_NEEDED
        assert parent.counts[Status.ON_TRACK] == 1
        assert parent.counts[Status.DETERIORATION] == 1
        assert parent.n_included == 2

    def test_weights(self):
        # Alignment strengths 3 and 1: (3 * 5 + 1 * -5) / 4 = 2.5 -> on track.
        parent = roll_up([_result(Status.ON_TRACK, 5.0), _result(Status.DETERIORATION, -5.0)], weights=[3, 1])
        assert parent.score == 2.5
        assert parent.status is Status.ON_TRACK
        assert parent.total_weight == 4.0

    def test_representative_scores_for_scoreless_methods(self):
        # Eurostat / Destatis results carry no score: on track 3.75, limited -1.25 -> mean 1.25.
        parent = roll_up([_result(Status.ON_TRACK), _result(Status.LIMITED_PROGRESS)])
        assert parent.score == pytest.approx(1.25)
        assert parent.status is Status.ACCELERATION_NEEDED
        assert [c["score_source"] for c in parent.contributions] == ["representative", "representative"]

    def test_not_computable_children_are_excluded_but_counted(self):
        # Mean over the two computable children only: (2 + -1) / 2 = 0.5.
        children = [
            _result(Status.ACCELERATION_NEEDED, 2.0),
            _result(Status.NOT_COMPUTABLE),
            _result(Status.LIMITED_PROGRESS, -1.0),
        ]
        parent = roll_up(children, weights=[1, 100, 1])
        assert parent.score == pytest.approx(0.5)
        assert parent.n_children == 3
        assert parent.n_not_computable == 1
        assert parent.counts[Status.NOT_COMPUTABLE] == 1
        assert parent.total_weight == 2.0
        assert parent.contributions[1]["included"] is False

    def test_achieved_only_when_all_computable_children_are_achieved(self):
        achieved = _result(Status.ACHIEVED, 5.0)
        assert roll_up([achieved, achieved, _result(Status.NOT_COMPUTABLE)]).status is Status.ACHIEVED
        mixed = roll_up([achieved, _result(Status.ON_TRACK, 5.0)])
        assert mixed.status is Status.ON_TRACK
        assert mixed.score == 5.0

    def test_binary_children(self):
        # Achieved (5) and not achieved (-1.25): mean 1.875 -> acceleration needed.
        parent = roll_up([_result(Status.ACHIEVED), _result(Status.NOT_ACHIEVED)])
        assert parent.score == pytest.approx(1.875)
        assert parent.status is Status.ACCELERATION_NEEDED
        assert roll_up([_result(Status.NOT_ACHIEVED)] * 2).status is Status.NOT_ACHIEVED

    def test_nothing_computable(self):
        assert roll_up([]).status is Status.NOT_COMPUTABLE
        assert roll_up([]).reason == "no children"
        parent = roll_up([_result(Status.NOT_COMPUTABLE)])
        assert parent.status is Status.NOT_COMPUTABLE
        assert parent.score is None
        assert "none of the 1" in parent.reason

    def test_nested(self):
        # Goal A: (5 + 0) / 2 = 2.5; goal B: -3.75 (Eurostat deterioration, representative).
        # Measure: weights 2 and 1 -> (2 * 2.5 + -3.75) / 3 = 0.416667 -> acceleration needed.
        goal_a = roll_up([_result(Status.ON_TRACK, 5.0), _result(Status.ACCELERATION_NEEDED, 0.0)])
        goal_b = roll_up([_result(Status.DETERIORATION)])
        measure = roll_up([goal_a, goal_b], weights=[2, 1])
        assert goal_a.status is Status.ON_TRACK
        assert measure.score == pytest.approx(1.25 / 3)
        assert measure.status is Status.ACCELERATION_NEEDED

    def test_to_dict_and_immutability(self):
        parent = roll_up([_result(Status.ON_TRACK, 4.0)])
        data = json.loads(json.dumps(parent.to_dict(), allow_nan=False))
        assert data["counts"]["on_track"] == 1
        assert data["contributions"][0]["status"] == "on_track"
        with pytest.raises(dataclasses.FrozenInstanceError):
            parent.score = 0.0  # type: ignore[misc]
        assert isinstance(parent, RollUp)

    @pytest.mark.parametrize(
        ("weights", "message"),
        [
            ([1], "2 children"),
            ([1, 0], "> 0"),
            ([1, -2], "> 0"),
            ([1, math.nan], "finite"),
            ([1, "3"], "real"),
        ],
    )
    def test_bad_weights(self, weights, message):
        with pytest.raises(ValueError, match=message):
            roll_up([_result(Status.ON_TRACK, 3.0), _result(Status.ON_TRACK, 3.0)], weights=weights)

    def test_bad_child_score(self):
        with pytest.raises(ValueError, match="outside"):
            roll_up([_result(Status.ON_TRACK, 7.0)])


def test_documented_roll_up_example():
    # docs/progress-rollup.md: Open SDG on track (4.0), Destatis "cloudy" (-1.25), one without enough data.
    on_track = ProgressResult("open_sdg", Status.ON_TRACK, 4.0, "substantial_progress", {})
    cloudy = ProgressResult("destatis", Status.LIMITED_PROGRESS, None, "cloudy", {})
    too_short = compute_status([(2024, 3.0)])
    parent = roll_up([on_track, cloudy, too_short])
    assert parent.score == pytest.approx(1.375)  # (4.0 - 1.25) / 2
    assert parent.status is Status.ACCELERATION_NEEDED
    assert (parent.n_included, parent.n_children) == (2, 3)
    weighted = roll_up([on_track, cloudy, too_short], weights=[3, 1, 1])
    assert weighted.score == pytest.approx(2.6875)  # (3 * 4.0 - 1.25) / 4
    assert weighted.status is Status.ON_TRACK
