"""Hand-computed examples for the Eurostat, Destatis and linear-achievement methods."""

import pytest

from kompass.algorithms.progress import Status, compute_status


@pytest.fixture(autouse=True)
def _german_by_default():
    """Replaces the autouse Django language fixture of tests/conftest.py: these tests must run without Django
    (``-p no:django``), and the progress algorithms have no translations."""


SERIES_UP = [(2015, 100.0), (2017, 121.0)]  # CAGR exactly +10 %


class TestEurostat:
    @pytest.mark.parametrize(
        ("target", "ratio", "label", "status"),
        [
            # Required CAGR 10 % (100 * 1.1**10 in 2025): RR = 0.1 / 0.1 = 1 >= 95 %.
            (259.37424601, 1.0, "significant_progress", Status.ON_TRACK),
            # Required 12.5 %: RR = 0.8 (60-95 %).
            (324.7321025468409, 0.8, "moderate_progress", Status.ACCELERATION_NEEDED),
            # Required 20 %: RR = 0.5 (0-60 %).
            (619.17364224, 0.5, "insufficient_progress", Status.LIMITED_PROGRESS),
        ],
    )
    def test_with_target(self, target, ratio, label, status):
        result = compute_status(SERIES_UP, method="eurostat", target=(target, 2025))
        assert result.components["ratio"] == pytest.approx(ratio)
        assert (result.label, result.status) == (label, status)
        assert result.score is None  # Eurostat defines no score

    def test_movement_away(self):
        # 100 -> 81: CAGR -10 %, required +10 %: RR = -1 < 0.
        result = compute_status([(2015, 100.0), (2017, 81.0)], method="eurostat", target=(259.37424601, 2025))
        assert result.label == "movement_away"
        assert result.status is Status.DETERIORATION

    def test_reduction_target(self):
        # Lower is better: 100 -> 81 (CAGR -10 %), target 100 * 0.9**10 in 2025 (required -10 %):
        # RR = CAGR_obs / CAGR_req = (-0.1) / (-0.1) = 1 -> significant progress.
        result = compute_status(
            [(2015, 100.0), (2017, 81.0)], method="eurostat", direction=-1, target=(34.86784401, 2025)
        )
        assert result.components["ratio"] == pytest.approx(1.0)
        assert result.label == "significant_progress"

    def test_achieved(self):
        result = compute_status(SERIES_UP, method="eurostat", target=(110.0, 2025))
        assert result.status is Status.ACHIEVED

    @pytest.mark.parametrize(
        ("current", "label", "status"),
        [
            (104.04, "significant_progress", Status.ON_TRACK),  # g = +2 % > 1 %
            (101.0025, "moderate_progress", Status.ACCELERATION_NEEDED),  # g = +0.5 % in [0, 1 %]
            (100.0, "moderate_progress", Status.ACCELERATION_NEEDED),  # g = 0
            (99.0025, "moderate_movement_away", Status.DETERIORATION),  # g = -0.5 % in [-1 %, 0)
            (96.04, "significant_movement_away", Status.DETERIORATION),  # g = -2 % < -1 %
        ],
    )
    def test_without_target(self, current, label, status):
        result = compute_status([(2015, 100.0), (2017, current)], method="eurostat")
        assert (result.label, result.status) == (label, status)

    def test_without_target_lower_is_better(self):
        # 100 -> 96.04: CAGR -2 %, d = -1 -> g = +2 % -> significant progress.
        result = compute_status([(2015, 100.0), (2017, 96.04)], method="eurostat", direction=-1)
        assert result.components["growth"] == pytest.approx(0.02)
        assert result.label == "significant_progress"


# Six annual points rising by 4 a year: mean of the last five changes = (120 - 100) / 5 = 4.
STEADY = [(2015, 100.0), (2016, 104.0), (2017, 108.0), (2018, 112.0), (2019, 116.0), (2020, 120.0)]


class TestDestatis:
    @pytest.mark.parametrize(
        ("target", "share", "symbol", "status"),
        [
            # Projection to 2030: 120 + 4 * 10 = 160.
            (160.0, 0.0, "sun", Status.ON_TRACK),  # reached exactly
            (150.0, -10 / 30, "sun", Status.ON_TRACK),  # overshoots: shortfall -10 of a gap of 30
            (162.0, 2 / 42, "sun", Status.ON_TRACK),  # misses by 2 of a gap of 42 = 4.8 % < 5 %
            (168.0, 8 / 48, "slightly_cloudy", Status.ACCELERATION_NEEDED),  # 16.7 % in 5-20 %
            (200.0, 40 / 80, "cloudy", Status.LIMITED_PROGRESS),  # 50 % > 20 %, right direction
        ],
    )
    def test_symbols(self, target, share, symbol, status):
        result = compute_status(STEADY, method="destatis", target=(target, 2030))
        assert result.components["mean_annual_change"] == pytest.approx(4.0)
        assert result.components["projection"] == pytest.approx(160.0)
        assert result.components["shortfall_share"] == pytest.approx(share)
        assert (result.label, result.status) == (symbol, status)

    def test_thunderstorm(self):
        # Falling by 4 a year while higher is better.
        falling = [(t, 220.0 - v) for t, v in STEADY]
        result = compute_status(falling, method="destatis", target=(160.0, 2030))
        assert result.components["mean_annual_change"] == pytest.approx(-4.0)
        assert result.label == "thunderstorm"
        assert result.status is Status.DETERIORATION

    def test_only_the_last_six_points_count(self):
        # An early collapse (2013 -> 2014) is outside the window of the last six points.
        series = [(2013, 500.0), (2014, 0.0), *STEADY]
        result = compute_status(series, method="destatis", target=(160.0, 2030))
        assert result.components["window_start_time"] == 2015.0
        assert result.label == "sun"

    def test_four_points_with_a_gap(self):
        # 2014: 10, 2016: 14, 2017: 15, 2020: 22 -> mean annual change (22 - 10) / (2020 - 2014) = 2;
        # projection to 2025: 22 + 2 * 5 = 32; target 33 -> shortfall 1 of a gap of 11 = 9.1 %
        # -> slightly cloudy.
        series = [(2014, 10.0), (2016, 14.0), (2017, 15.0), (2020, 22.0)]
        result = compute_status(series, method="destatis", target=(33.0, 2025))
        assert result.components["mean_annual_change"] == pytest.approx(2.0)
        assert result.components["projection"] == pytest.approx(32.0)
        assert result.label == "slightly_cloudy"

    def test_lower_is_better(self):
        # Falling by 4 a year: 2030 projection 180 - 40 = 140, target 130: shortfall -(130 - 140) = 10
        # of a gap of 50 = 20 % -> slightly cloudy (5-20 % inclusive).
        falling = [(t, 300.0 - v) for t, v in STEADY]
        result = compute_status(falling, method="destatis", direction=-1, target=(130.0, 2030))
        assert result.components["shortfall_share"] == pytest.approx(0.2)
        assert result.label == "slightly_cloudy"

    def test_achieved(self):
        result = compute_status(STEADY, method="destatis", target=(115.0, 2030))
        assert result.status is Status.ACHIEVED
        assert result.label == "sun"

    def test_target_time_passed(self):
        # No time left: the projection is the current value; a remaining gap is > 20 % -> cloudy.
        result = compute_status(STEADY, method="destatis", target=(130.0, 2019))
        assert result.components["target_time_passed"] is True
        assert result.label == "cloudy"

    def test_needs_four_points(self):
        result = compute_status(STEADY[:3], method="destatis", target=(160.0, 2030))
        assert result.status is Status.NOT_COMPUTABLE
        assert "at least 4" in result.reason

    def test_needs_a_target(self):
        result = compute_status(STEADY, method="destatis")
        assert result.status is Status.NOT_COMPUTABLE
        assert "target" in result.reason


class TestLinear:
    @pytest.mark.parametrize(
        ("current", "ratio", "status", "score"),
        [
            # Base 0 (2020), target 100 (2030), now 2024: time share 4 / 10 = 0.4.
            # 40 delivered: achievement 0.4, ratio 1 -> on track, score 50/7 - 30/7 = 2.857143.
            (40.0, 1.0, Status.ON_TRACK, 20 / 7),
            # 30: achievement 0.3, ratio 0.75 -> acceleration needed, score 50/7 * 0.75 - 30/7 = 1.071429.
            (30.0, 0.75, Status.ACCELERATION_NEEDED, 7.5 / 7),
            # 10: achievement 0.1, ratio 0.25 -> limited, score 25/6 * 0.25 - 2.5 = -1.458333.
            (10.0, 0.25, Status.LIMITED_PROGRESS, -1.4583333333),
            # -4: achievement -0.04, ratio -0.1 -> deterioration,
            # score max(25/6 * -0.1 - 2.5, -5) = -2.916667.
            (-4.0, -0.1, Status.DETERIORATION, -2.9166666667),
        ],
    )
    def test_classes(self, current, ratio, status, score):
        result = compute_status([(2020, 0.0), (2024, current)], method="linear", target=(100.0, 2030))
        assert result.components["time_share"] == pytest.approx(0.4)
        assert result.components["ratio"] == pytest.approx(ratio)
        assert result.status is status
        assert result.score == pytest.approx(score)

    def test_lower_is_better(self):
        # 500 -> 340, target 100: achievement (-1) * (340 - 500) / |100 - 500| = 0.4;
        # time share 0.4 -> ratio 1.
        result = compute_status(
            [(2020, 500.0), (2024, 340.0)], method="linear", direction=-1, target=(100, 2030)
        )
        assert result.components["achievement"] == pytest.approx(0.4)
        assert result.status is Status.ON_TRACK

    def test_achieved(self):
        result = compute_status([(2020, 0.0), (2022, 100.0)], method="linear", target=(100.0, 2030))
        assert result.status is Status.ACHIEVED
        assert result.score == 5.0

    def test_needs_a_target(self):
        assert compute_status([(2020, 0.0), (2022, 1.0)], method="linear").status is Status.NOT_COMPUTABLE

    def test_disagrees_with_growth_method_on_the_same_series(self):
        # Base 100 (2020), target 200 (2030), 137 in 2024.
        # Linear: achievement 0.37, time share 0.4 -> ratio 0.925 -> acceleration needed.
        # Open SDG: CAGR 1.37 ** 0.25 - 1 = 8.188 %, required 2 ** 0.1 - 1 = 7.177 %
        # -> R = 1.1408 -> on track.
        series = [(2020, 100.0), (2024, 137.0)]
        linear = compute_status(series, method="linear", target=(200.0, 2030))
        growth = compute_status(series, method="open_sdg", target=(200.0, 2030))
        assert linear.components["ratio"] == pytest.approx(0.925)
        assert linear.status is Status.ACCELERATION_NEEDED
        assert growth.components["ratio"] == pytest.approx(1.140848, abs=1e-6)
        assert growth.status is Status.ON_TRACK
