"""Example-based tests of kompass.algorithms.opinions: recovery of planted groups, PCA, statistics, input."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score

from kompass.algorithms.opinions import (
    AGREE,
    DISAGREE,
    PASS,
    OpinionMapConfig,
    build_vote_matrix,
    compute_opinion_map,
    planted_votes,
    votes_from_arrays,
    votes_from_sparse,
)
from kompass.algorithms.opinions import projection as projection_module
from kompass.algorithms.opinions.projection import fit_projection


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override tests/conftest.py's autouse fixture of the same name, which needs Django settings: these
    tests of a pure algorithm run without Django (``-p no:django``)."""
    yield

def _run(data, **cfg):
    config = OpinionMapConfig(**cfg) if cfg else None
    return compute_opinion_map(
        (data.participants, data.statements, data.votes), data.n_participants, data.n_statements, config
    )


def _ari(data, result):
    c = result.clustered
    return adjusted_rand_score(data.groups[c], result.labels[c])


@pytest.mark.parametrize("k", [2, 3, 4])
def test_recovers_planted_groups_and_k(k):
    data = planted_votes(900, 80, n_groups=k, density=0.3, signal=0.7, seed=10 + k)
    result = _run(data)
    assert result.k == k
    assert _ari(data, result) >= 0.9
    assert sum(g.size for g in result.groups) == int(result.clustered.sum())
    assert [g.size for g in result.groups] == sorted((g.size for g in result.groups), reverse=True)


def test_recovers_unequal_groups_with_sparse_votes():
    data = planted_votes(3000, 300, n_groups=3, density=0.1, signal=0.7, group_weights=[5, 3, 2], seed=3)
    result = _run(data)
    assert result.k == 3
    assert _ari(data, result) >= 0.9


def test_randomized_svd_path_matches_dense_path(monkeypatch):
    data = planted_votes(1500, 200, n_groups=3, density=0.1, seed=4)
    dense = _run(data)
    monkeypatch.setattr(projection_module, "DENSE_SVD_MAX_CELLS", 0)
    randomized = _run(data)
    assert randomized.k == dense.k
    assert adjusted_rand_score(dense.labels, randomized.labels) >= 0.98
    np.testing.assert_allclose(np.abs(randomized.components[:2]), np.abs(dense.components[:2]), atol=0.02)


def test_projection_equals_pca_of_mean_imputed_dense_matrix():
    data = planted_votes(300, 40, n_groups=3, density=0.5, seed=5)
    votes = votes_from_arrays(data.participants, data.statements, data.votes, 300, 40)
    dense = np.full((300, 40), np.nan)
    dense[data.participants, data.statements] = data.votes
    everyone = np.ones(300, dtype=bool)
    proj = fit_projection(votes, everyone, 2)
    means = np.nanmean(dense, axis=0)
    imputed = np.where(np.isnan(dense), means, dense)
    reference = PCA(n_components=2).fit(imputed)
    np.testing.assert_allclose(proj.means, means, atol=1e-12)
    np.testing.assert_allclose(np.abs(proj.components), np.abs(reference.components_), atol=1e-8)
    np.testing.assert_allclose(proj.explained_variance_ratio, reference.explained_variance_ratio_, atol=1e-8)
    n_voted = (~np.isnan(dense)).sum(axis=1)
    scaled = reference.transform(imputed) * np.sqrt(40 / n_voted)[:, None]
    np.testing.assert_allclose(np.abs(proj.coordinates), np.abs(scaled), atol=1e-8)


def test_counts_match_brute_force_and_exclude_unclustered():
    data = planted_votes(400, 30, n_groups=2, density=0.4, seed=6)
    result = _run(data)
    for g in range(result.k):
        members = set(result.groups[g].members.tolist())
        sel = np.array([p in members for p in data.participants])
        for slot, value in ((AGREE, 1), (DISAGREE, -1), (PASS, 0)):
            expect = np.bincount(data.statements[sel & (data.votes == value)], minlength=30)
            np.testing.assert_array_equal(result.counts[g, :, slot], expect)


def test_representative_statements_follow_planted_profiles():
    data = planted_votes(1200, 100, n_groups=3, density=0.3, signal=0.6, seed=7)
    result = _run(data)
    assert result.k == 3
    sides = np.sign(data.agree_probability - 0.5)
    for group in result.groups:
        truth = np.bincount(data.groups[group.members]).argmax()
        assert group.representative, "every clear group has representative statements"
        for rep in group.representative:
            want = 1 if rep.direction == "agree" else -1
            assert sides[truth, rep.statement] == want
            assert np.any(sides[:, rep.statement] != want), "a statement all groups share is not distinctive"
            assert rep.ratio > 1 and rep.ratio_z > 1.28 and rep.probability_z > 1.28


def test_planted_consensus_is_found():
    data = planted_votes(1200, 100, n_groups=4, density=0.3, signal=0.8, consensus_share=0.1, seed=8)
    result = _run(data, max_consensus=100)
    found = {c.statement for c in result.consensus}
    sides = np.sign(data.agree_probability - 0.5)
    shared = set(np.flatnonzero(np.all(sides == sides[0], axis=0)).tolist())
    assert set(data.consensus_statements.tolist()) <= found
    assert found <= shared
    for c in result.consensus:
        assert (c.direction == "agree") == (sides[0, c.statement] > 0)


def test_participants_below_threshold_are_projected_not_clustered():
    data = planted_votes(300, 50, n_groups=2, density=0.4, seed=9)
    p = np.concatenate([data.participants, [300, 300, 301]])
    s = np.concatenate([data.statements, [0, 1, 2]])
    v = np.concatenate([data.votes, [1, -1, 0]])
    result = compute_opinion_map((p, s, v), 303, 50)
    assert result.k == 2
    assert not result.clustered[300] and not result.clustered[301] and not result.clustered[302]
    assert result.labels[300] == result.labels[301] == result.labels[302] == -1
    assert np.all(np.isfinite(result.coordinates[300])) and np.all(np.isfinite(result.coordinates[301]))
    assert np.all(np.isnan(result.coordinates[302])), "a participant without votes has no position"
    assert result.vote_counts[300] == 2


def test_duplicates_last_vote_wins_and_sparse_roundtrip():
    votes = votes_from_arrays([0, 1, 0, 1], [2, 0, 2, 1], [1, 0, -1, 0], 3, 4)
    assert votes.n_votes == 3
    csr = votes.to_csr()
    assert csr.nnz == 3 and csr[0, 2] == -1 and csr[1, 0] == 0
    again = votes_from_sparse(csr)
    np.testing.assert_array_equal(again.indices, votes.indices)
    np.testing.assert_array_equal(again.values, votes.values)
    np.testing.assert_array_equal(again.indptr, votes.indptr)
    assert build_vote_matrix([0], [0], [0], 1, 1).nnz == 1, "a pass is stored as an explicit zero"


def test_sparse_input_gives_same_result_as_arrays():
    data = planted_votes(500, 40, n_groups=3, density=0.3, seed=11)
    coo = sp.coo_array((data.votes, (data.participants, data.statements)), shape=(500, 40))
    a = _run(data)
    b = compute_opinion_map(coo)
    np.testing.assert_array_equal(a.labels, b.labels)
    np.testing.assert_allclose(a.coordinates, b.coordinates)


@pytest.mark.parametrize(
    "args",
    [
        ([0, 1], [0], [1]),
        ([0], [0], [2]),
        ([-1], [0], [1]),
        ([0.5], [0], [1]),
    ],
)
def test_malformed_input_raises_value_error(args):
    with pytest.raises(ValueError):
        compute_opinion_map(args)


def test_index_out_of_declared_range_raises():
    with pytest.raises(ValueError):
        compute_opinion_map(([5], [0], [1]), n_participants=3, n_statements=2)


@pytest.mark.parametrize(
    "votes, n_p, n_s",
    [
        (([], [], []), 0, 0),
        (([], [], []), 10, 5),
        (([0, 1], [0, 0], [1, -1]), 2, 1),
        (([0, 1, 2, 3, 4], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]), 5, 3),
        (([0, 1, 2, 3, 4, 5], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]), 6, 1),
    ],
)
def test_degenerate_input_gives_no_groups_and_a_reason(votes, n_p, n_s):
    result = compute_opinion_map(votes, n_p, n_s)
    assert result.k == 0 and not result.has_groups
    assert result.message
    assert result.labels.shape == (n_p,) and np.all(result.labels == -1)
    assert result.coordinates.shape == (n_p, 2)
    assert result.counts.shape == (0, n_s, 3)
    assert result.groups == () and result.consensus == ()


def test_config_validation():
    with pytest.raises(ValueError):
        OpinionMapConfig(max_groups=6)
    with pytest.raises(ValueError):
        OpinionMapConfig(min_groups=1)
