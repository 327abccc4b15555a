"""Opinion-map behaviour that surviving mutants showed untested (docs/mutation/algorithms.md)."""

import numpy as np
import pytest

from kompass.algorithms.opinions import votes_from_arrays
from kompass.algorithms.opinions.pipeline import as_votes


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


def votes():
    return votes_from_arrays(np.array([0, 1, 2]), np.array([0, 1, 1]), np.array([1, -1, 0]), 3, 2)


def test_given_votes_pass_through_when_their_sizes_match():
    v = votes()
    assert as_votes(v) is v
    assert as_votes(v, n_participants=3, n_statements=2) is v


@pytest.mark.parametrize(("participants", "statements"), [(4, None), (None, 3), (2, 2), (3, 1)])
def test_given_votes_with_other_sizes_are_refused(participants, statements):
    with pytest.raises(ValueError, match="sizes do not match"):
        as_votes(votes(), n_participants=participants, n_statements=statements)


def test_positions_equal_up_to_rounding_noise_form_no_groups():
    """Positions that differ only below 1e-9 (floating-point noise of the projection) count as one point."""
    from kompass.algorithms.opinions.clustering import cluster_points

    x = np.zeros((8, 2))
    x[4:, 0] = 4e-10
    noise = cluster_points(x)
    assert (noise.k, noise.message) == (0, "participants' positions are too similar to form groups")
    x[4:, 0] = 4e-9
    assert cluster_points(x).k == 2


def test_the_default_configuration_follows_polis_where_polis_has_a_value():
    from kompass.algorithms.opinions import OpinionMapConfig

    cfg = OpinionMapConfig()
    assert (cfg.min_votes, cfg.min_groups, cfg.max_groups, cfg.map_dims) == (7, 2, 5, 2)  # Polis
    assert cfg.cluster_dims == cfg.max_groups - 1  # k groups need k - 1 dimensions (docstring)
    assert (cfg.confidence, cfg.pseudo_count) == (0.90, 1.0)


@pytest.mark.parametrize("fine", [
    {"min_groups": 2, "max_groups": 2}, {"min_groups": 5, "max_groups": 5}, {"map_dims": 1, "cluster_dims": 1},
    {"min_votes": 1}, {"confidence": 0.5}, {"confidence": 0.999}, {"consensus_threshold": 0.5},
    {"consensus_threshold": 1.0}, {"pseudo_count": 0.0}])
def test_configuration_edges_that_are_allowed(fine):
    from kompass.algorithms.opinions import OpinionMapConfig

    cfg = OpinionMapConfig(**fine)
    assert all(getattr(cfg, key) == value for key, value in fine.items())


@pytest.mark.parametrize("bad", [
    {"min_groups": 3, "max_groups": 2}, {"max_groups": 6}, {"min_groups": 1}, {"map_dims": 0}, {"cluster_dims": 0},
    {"min_votes": 0}, {"confidence": 0.49}, {"confidence": 1.0}, {"consensus_threshold": 0.49},
    {"consensus_threshold": 1.01}, {"pseudo_count": -0.1}])
def test_configuration_beyond_the_edges_is_refused(bad):
    from kompass.algorithms.opinions import OpinionMapConfig

    with pytest.raises(ValueError, match="must|need"):
        OpinionMapConfig(**bad)
