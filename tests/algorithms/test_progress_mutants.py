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
