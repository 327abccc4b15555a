"""Property tests (hypothesis) of kompass.algorithms.opinions on random and planted votes."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompass.algorithms.opinions import (
    AGREE,
    DISAGREE,
    OpinionMapConfig,
    compute_opinion_map,
    planted_votes,
    votes_from_arrays,
)
from kompass.algorithms.opinions.statistics import smoothed


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override tests/conftest.py's autouse fixture of the same name, which needs Django settings: these
    tests of a pure algorithm run without Django (``-p no:django``)."""
    yield

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def random_votes(draw):
    n_p = draw(st.integers(0, 40))
    n_s = draw(st.integers(0, 12))
    if n_p == 0 or n_s == 0:
        return ([], [], []), n_p, n_s
    n = draw(st.integers(0, n_p * n_s))
    p = draw(st.lists(st.integers(0, n_p - 1), min_size=n, max_size=n))
    s = draw(st.lists(st.integers(0, n_s - 1), min_size=n, max_size=n))
    v = draw(st.lists(st.sampled_from([-1, 0, 1]), min_size=n, max_size=n))
    return (p, s, v), n_p, n_s


@st.composite
def planted(draw):
    return planted_votes(
        n_participants=draw(st.integers(20, 300)),
        n_statements=draw(st.integers(5, 40)),
        n_groups=draw(st.integers(2, 5)),
        density=draw(st.floats(0.2, 0.9)),
        signal=draw(st.floats(0.0, 0.9)),
        pass_rate=draw(st.floats(0.0, 0.4)),
        seed=draw(st.integers(0, 2**16)),
    )


configs = st.builds(
    OpinionMapConfig,
    min_votes=st.integers(1, 8),
    max_groups=st.integers(2, 5),
    seed=st.integers(0, 1000),
    consensus_threshold=st.floats(0.5, 0.9),
    pseudo_count=st.sampled_from([0.0, 0.5, 1.0]),
)


def check_invariants(result, n_p, n_s, cfg):
    assert 0 <= result.k <= cfg.max_groups <= 5
    assert result.labels.shape == (n_p,)
    assert result.coordinates.shape == (n_p, cfg.map_dims)
    assert np.all((result.labels >= -1) & (result.labels < max(result.k, 0)))
    assert np.all((result.labels >= 0) == (result.clustered & (result.k > 0)))
    assert result.counts.shape == (result.k, n_s, 3)
    assert np.all(np.isfinite(result.coordinates[result.vote_counts > 0]))
    if result.k == 0:
        assert result.message and np.all(result.labels == -1)
        return
    assert result.k >= 2
    assert len(result.groups) == result.k
    for g in result.groups:
        assert g.size == g.members.shape[0] > 0
        assert np.all(result.labels[g.members] == g.id)
    assert sum(g.size for g in result.groups) == int(np.sum(result.labels >= 0))
    # Counts cover exactly the votes of clustered participants.
    assert int(result.counts.sum()) == int(result.vote_counts[result.labels >= 0].sum())
    a = cfg.pseudo_count
    n = result.counts.sum(axis=2)
    for g in result.groups:
        assert len(g.representative) <= cfg.max_representative
        for rep in g.representative:
            slot = AGREE if rep.direction == "agree" else DISAGREE
            s_in = result.counts[g.id, rep.statement, slot]
            s_out = result.counts[:, rep.statement, slot].sum() - s_in
            n_out = n[:, rep.statement].sum() - n[g.id, rep.statement]
            p_in = smoothed(s_in, n[g.id, rep.statement], a)
            assert rep.n_success == s_in and rep.n_votes == n[g.id, rep.statement]
            assert np.isclose(rep.probability, p_in)
            assert p_in > 0.5, "the group leans that way"
            assert p_in > smoothed(s_out, n_out, a), "more than the rest of the clustered participants"
    for cons in result.consensus:
        slot = AGREE if cons.direction == "agree" else DISAGREE
        p = smoothed(result.counts[:, cons.statement, slot], n[:, cons.statement], a)
        assert np.all(p >= cfg.consensus_threshold - 1e-12), "consensus holds in every group"
        assert np.isclose(cons.score, np.prod(p))


@SETTINGS
@given(random_votes(), configs)
def test_random_votes_never_crash_and_keep_invariants(data, cfg):
    votes, n_p, n_s = data
    result = compute_opinion_map(votes, n_p, n_s, cfg)
    check_invariants(result, n_p, n_s, cfg)


@SETTINGS
@given(planted(), configs)
def test_planted_votes_keep_invariants(data, cfg):
    result = compute_opinion_map((data.participants, data.statements, data.votes), data.n_participants,
                                 data.n_statements, cfg)
    check_invariants(result, data.n_participants, data.n_statements, cfg)


@settings(max_examples=10, deadline=None)
@given(planted(), st.integers(0, 1000))
def test_deterministic_for_a_fixed_seed(data, seed):
    cfg = OpinionMapConfig(seed=seed)
    args = ((data.participants, data.statements, data.votes), data.n_participants, data.n_statements, cfg)
    a = compute_opinion_map(*args)
    b = compute_opinion_map(*args)
    np.testing.assert_array_equal(a.labels, b.labels)
    np.testing.assert_array_equal(a.coordinates, b.coordinates)
    np.testing.assert_array_equal(a.counts, b.counts)
    assert a.groups.__repr__() == b.groups.__repr__()
    assert a.consensus == b.consensus
    assert a.silhouette == b.silhouette


@settings(max_examples=10, deadline=None)
@given(st.integers(2, 4), st.integers(0, 2**16))
def test_well_separated_planted_groups_are_recovered(k, seed):
    data = planted_votes(600, 60, n_groups=k, density=0.4, signal=0.8, seed=seed)
    result = compute_opinion_map((data.participants, data.statements, data.votes), 600, 60)
    assert result.k == k
    # Every found group is (almost) pure in one planted group.
    for g in result.groups:
        purity = np.bincount(data.groups[g.members]).max() / g.size
        assert purity >= 0.95


@settings(max_examples=50, deadline=None)
@given(random_votes())
def test_vote_matrix_keeps_the_last_vote_of_every_pair(data):
    (p, s, v), n_p, n_s = data
    votes = votes_from_arrays(p, s, v, n_p, n_s)
    expected = {}
    for a, b, c in zip(p, s, v, strict=True):
        expected[(a, b)] = c
    got = {}
    for row in range(n_p):
        lo, hi = votes.indptr[row], votes.indptr[row + 1]
        cols = votes.indices[lo:hi]
        assert np.all(np.diff(cols) > 0), "columns sorted, no duplicates"
        for col, val in zip(cols.tolist(), votes.values[lo:hi].tolist(), strict=True):
            got[(row, col)] = val
    assert got == expected
    np.testing.assert_array_equal(votes.votes_per_participant(), np.diff(votes.indptr))
