"""Exact values of the vote statistics (Laplace smoothing, z-scores): pinned by hand-computed numbers."""

import math

import numpy as np
import pytest

from kompass.algorithms.opinions.statistics import (
    one_proportion_z,
    smoothed,
    two_proportion_z,
    z_critical,
)


@pytest.fixture(autouse=True)
def _german_by_default():
    """No Django needed."""


@pytest.mark.parametrize(("success", "total", "a", "expected"), [
    (3, 4, 1.0, 4 / 6), (0, 0, 1.0, 0.5), (0, 2, 1.0, 0.25), (10, 10, 1.0, 11 / 12), (3, 4, 2.0, 5 / 8),
    (3, 4, 0.0, 0.75), (0, 0, 0.0, 0.5),
])
def test_smoothed_probability(success, total, a, expected):
    assert smoothed(np.array([success]), np.array([total]), a)[0] == pytest.approx(expected, abs=1e-12)


def test_one_proportion_z():
    # p = 4/6, n + 2a = 6: z = (p - 1/2) / sqrt(1/4 / 6) = (1/6) * 2 * sqrt(6)
    p = smoothed(np.array([3]), np.array([4]), 1.0)
    assert one_proportion_z(p, np.array([4]), 1.0)[0] == pytest.approx(2 * math.sqrt(6) / 6, abs=1e-12)
    assert one_proportion_z(np.array([0.5]), np.array([0]), 0.0)[0] == 0.0


def test_two_proportion_z():
    # in: 8 of 10 -> 9/12 = 0.75; out: 2 of 10 -> 3/12 = 0.25; pooled 10 of 20 -> 11/22 = 0.5
    z = two_proportion_z(np.array([8]), np.array([10]), np.array([2]), np.array([10]), 1.0)[0]
    expected = (0.75 - 0.25) / math.sqrt(0.5 * 0.5 * (1 / 12 + 1 / 12))
    assert z == pytest.approx(expected, abs=1e-12)
    assert two_proportion_z(np.array([0]), np.array([0]), np.array([0]), np.array([0]), 0.0)[0] == 0.0


def test_z_critical_of_polis_confidence():
    assert z_critical(0.9) == pytest.approx(1.2815515655446004, abs=1e-12)


def _planted_counts():
    """Two groups of 20 voters on three statements: statement 0 splits them (group 0 agrees, group 1
    disagrees), statement 1 is agreed by everyone, statement 2 is passed by everyone."""
    counts = np.zeros((2, 3, 3), dtype=np.int64)
    counts[0, 0] = (20, 0, 0)
    counts[1, 0] = (0, 20, 0)
    counts[:, 1] = (20, 0, 0)
    counts[:, 2] = (0, 0, 20)
    return counts


def test_representative_statements_with_the_default_confidence():
    from kompass.algorithms.opinions.statistics import representative_statements

    per_group = representative_statements(_planted_counts())
    assert [[(r.statement, r.direction) for r in group] for group in per_group] == [[(0, "agree")],
                                                                                    [(0, "disagree")]]
    assert per_group[0][0].probability == pytest.approx(21 / 22)


def test_group_consensus_with_the_default_confidence_and_without_groups():
    from kompass.algorithms.opinions.statistics import group_consensus

    agree, disagree, selected = group_consensus(_planted_counts())
    assert [(c.statement, c.direction) for c in selected] == [(1, "agree")]
    assert agree[1] == pytest.approx((21 / 22) ** 2) and disagree.shape == (3,)
    none_agree, none_disagree, nothing = group_consensus(np.zeros((0, 3, 3), dtype=np.int64))
    assert (none_agree.shape, none_disagree.shape, nothing) == ((0,), (0,), ())


def test_projection_means_are_zero_for_statements_nobody_voted_on():
    from kompass.algorithms.opinions.matrix import votes_from_arrays
    from kompass.algorithms.opinions.projection import fit_projection

    participants = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    statements = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    values = np.array([1, -1, 1, 1, -1, -1, 1, 0])
    votes = votes_from_arrays(participants, statements, values, n_participants=4, n_statements=3)
    projection = fit_projection(votes, np.ones(4, dtype=bool), 2)
    assert projection.means.tolist() == [0.5, -0.25, 0.0]  # statement 2: no vote, mean 0 (not NaN)
