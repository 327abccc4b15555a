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


def test_vote_statistics_against_textbook_formulas():
    import math

    from kompass.algorithms.opinions.statistics import one_proportion_z, smoothed, two_proportion_z, z_critical

    def p(s, n, a):
        return (s + a) / (n + 2 * a) if n + 2 * a > 0 else 0.5

    for s, n, a in [(3, 10, 1.0), (0, 0, 1.0), (0, 0, 0.0), (7, 7, 0.5)]:
        assert smoothed(np.array(s), np.array(n), a) == pytest.approx(p(s, n, a))
        # z of a proportion against 1/2 with standard error sqrt(1/4 / n_eff)
        expected = (p(s, n, a) - 0.5) / math.sqrt(0.25 / (n + 2 * a)) if n + 2 * a > 0 else 0.0
        assert one_proportion_z(np.array(p(s, n, a)), np.array(n), a) == pytest.approx(expected)
    s_in, n_in, s_out, n_out, a = 8, 10, 3, 12, 1.0
    pooled = p(s_in + s_out, n_in + n_out, a)
    se = math.sqrt(pooled * (1 - pooled) * (1 / (n_in + 2 * a) + 1 / (n_out + 2 * a)))
    z = two_proportion_z(np.array(s_in), np.array(n_in), np.array(s_out), np.array(n_out), a)
    assert z == pytest.approx((p(s_in, n_in, a) - p(s_out, n_out, a)) / se)
    assert two_proportion_z(np.array(0), np.array(0), np.array(0), np.array(0), 0.0) == 0.0  # no votes: no signal
    assert z_critical(0.90) == pytest.approx(1.2815516, abs=1e-6)  # standard normal table
    assert z_critical(0.95) == pytest.approx(1.6448536, abs=1e-6)


def test_group_vote_counts_against_a_loop():
    from kompass.algorithms.opinions.statistics import group_vote_counts

    rng = np.random.default_rng(4)
    n_p, n_s, k = 30, 6, 3
    cells = rng.choice(n_p * n_s, size=120, replace=False)
    participants, statements = cells // n_s, cells % n_s
    values = rng.choice([-1, 0, 1], size=cells.size)
    labels = rng.integers(-1, k, size=n_p)  # -1: not clustered
    counts = group_vote_counts(votes_from_arrays(participants, statements, values, n_p, n_s), labels, k)
    expected = np.zeros((k, n_s, 3), dtype=np.int64)
    for i, s, v in zip(participants, statements, values, strict=True):
        if labels[i] >= 0:
            expected[labels[i], s, {1: 0, -1: 1, 0: 2}[int(v)]] += 1
    assert (counts == expected).all()
    assert group_vote_counts(votes_from_arrays(participants, statements, values, n_p, n_s), labels, 0).shape == (
        0, n_s, 3)


def dense_reference(participants, statements, values, n_p, n_s):
    """The last vote of each (participant, statement) in array order; NaN where nobody voted."""
    out = np.full((n_p, n_s), np.nan)
    for i, s, v in zip(participants, statements, values, strict=True):
        out[int(i), int(s)] = v
    return out


def dense(v):
    out = np.full((v.n_participants, v.n_statements), np.nan)
    for i in range(v.n_participants):
        cols = v.indices[v.indptr[i]:v.indptr[i + 1]]
        assert (np.diff(cols) > 0).all()  # sorted, no duplicates
        out[i, cols] = v.values[v.indptr[i]:v.indptr[i + 1]]
    return out


@pytest.mark.parametrize("duplicates", [False, True])
def test_votes_match_a_last_vote_wins_reference(duplicates):
    rng = np.random.default_rng(8)
    n_p, n_s = 12, 7
    if duplicates:
        participants, statements = rng.integers(0, n_p, 150), rng.integers(0, n_s, 150)
    else:
        cells = rng.choice(n_p * n_s, size=50, replace=False)
        participants, statements = cells // n_s, cells % n_s
    values = rng.choice([-1, 0, 1], size=participants.size)
    v = votes_from_arrays(participants, statements, values, n_p, n_s)
    assert np.array_equal(dense(v), dense_reference(participants, statements, values, n_p, n_s), equal_nan=True)
    assert v.indptr.dtype == np.int64 and v.values.dtype == np.int8
    inferred = votes_from_arrays(participants, statements, values)
    assert (inferred.n_participants, inferred.n_statements) == (participants.max() + 1, statements.max() + 1)


def test_integral_float_indices_and_empty_input_are_accepted():
    v = votes_from_arrays(np.array([0.0, 2.0]), np.array([1.0, 0.0]), np.array([1, -1]))
    assert (v.n_participants, v.n_statements, v.n_votes) == (3, 2, 2)
    empty = votes_from_arrays(np.array([]), np.array([]), np.array([]), 2, 3)
    assert (empty.n_participants, empty.n_statements, empty.n_votes) == (2, 3, 0)
    assert list(empty.indptr) == [0, 0, 0]


@pytest.mark.parametrize(("args", "message"), [
    (([0, 1], [0], [1, 1]), "same length"),
    (([0.5], [0], [1]), "integers"),
    (([-1], [0], [1]), ">= 0"),
    (([0], [-1], [1]), ">= 0"),
    (([0], [0], [2]), "-1 \\(disagree\\)"),
    (([3], [0], [1], 3, None), "out of range"),
    (([0], [2], [1], None, 2), "out of range"),
    (([0], [0], [1], -1, None), "must be >= 0"),
])
def test_malformed_votes_are_refused(args, message):
    arrays, sizes = [np.array(a) for a in args[:3]], args[3:]
    with pytest.raises(ValueError, match=message):
        votes_from_arrays(*arrays, *sizes)


def test_votes_from_sparse_keep_explicit_passes_and_check_the_shape():
    import scipy.sparse as sp

    from kompass.algorithms.opinions import votes_from_sparse

    m = sp.coo_array((np.array([1, 0, -1]), (np.array([0, 1, 1]), np.array([1, 0, 2]))), shape=(2, 3))
    v = votes_from_sparse(m)
    assert np.array_equal(dense(v), np.array([[np.nan, 1, np.nan], [0, np.nan, -1]]), equal_nan=True)
    assert votes_from_sparse(m, 4, 5).n_participants == 4
    with pytest.raises(ValueError, match="smaller than the matrix shape"):
        votes_from_sparse(m, 1, 3)
    with pytest.raises(ValueError, match="smaller than the matrix shape"):
        votes_from_sparse(m, 2, 2)


def test_votes_are_an_immutable_value():
    import dataclasses

    v = votes()
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.n_participants = 4
    assert (v.n_participants, v.n_statements, v.n_votes) == (3, 2, 3)


def test_every_component_is_oriented_with_its_largest_loading_positive():
    from kompass.algorithms.opinions.projection import _fix_signs, fit_projection

    vt = np.array([[0.1, -0.9, 0.3], [0.6, 0.0, -0.2], [0.0, 0.0, 0.0]])
    assert _fix_signs(vt).tolist() == [[-0.1, 0.9, -0.3], [0.6, 0.0, -0.2], [0.0, 0.0, 0.0]]
    assert _fix_signs(np.array([[-2.0]])).tolist() == [[2.0]]  # a single loading too
    assert _fix_signs(np.zeros((0, 3))).shape == (0, 3) and _fix_signs(np.zeros((0, 0))).shape == (0, 0)
    rng = np.random.default_rng(8)
    n_p, n_s = 60, 12
    p, s = np.nonzero(rng.random((n_p, n_s)) < 0.6)
    v = rng.integers(-1, 2, len(p))
    for values in (v, -v):  # flipping every vote flips the raw components; the orientation is the same rule
        proj = fit_projection(votes_from_arrays(p, s, values, n_p, n_s), np.ones(n_p, dtype=bool), 3)
        comp = proj.components
        assert comp.shape == (3, n_s)
        pivots = comp[np.arange(3), np.argmax(np.abs(comp), axis=1)]
        assert (pivots > 0).all()


def test_the_exact_svd_is_used_up_to_its_cell_limit(monkeypatch):
    """At most DENSE_SVD_MAX_CELLS = 2,000,000 fitted cells take the exact dense SVD, one more row of fitted
    participants takes the randomised one."""
    from kompass.algorithms.opinions import projection

    class Randomised(Exception):
        pass

    def randomised(matrix, **kwargs):
        raise Randomised(matrix.shape)

    monkeypatch.setattr(projection, "randomized_svd", randomised)
    n_p, n_s = 200_001, 10
    p = np.arange(n_p)
    v = votes_from_arrays(p, p % n_s, np.where(p % 3 == 0, 1, -1), n_p, n_s)
    fit = np.ones(n_p, dtype=bool)
    fit[-1] = False
    assert 200_000 * n_s == projection.DENSE_SVD_MAX_CELLS
    proj = projection.fit_projection(v, fit, 2)
    assert proj.components.shape == (2, n_s) and np.isfinite(proj.coordinates).all()
    with pytest.raises(Randomised):
        projection.fit_projection(v, np.ones(n_p, dtype=bool), 2)


def test_groups_are_numbered_by_size_and_ties_by_their_first_member():
    from kompass.algorithms.opinions.clustering import _relabel_by_size

    assert _relabel_by_size(np.array([1, 0, 0, 1]), 2).tolist() == [0, 1, 1, 0]
    assert _relabel_by_size(np.array([1, 2, 2, 0, 0, 0, 1]), 3).tolist() == [1, 2, 2, 0, 0, 0, 1]
    assert _relabel_by_size(np.array([0, 1, 1, 1]), 2).tolist() == [1, 0, 0, 0]


def blobs(sizes, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    return np.concatenate([centres[i] + rng.normal(scale=0.3, size=(n, 2)) for i, n in enumerate(sizes)])


def test_the_number_of_groups_is_the_best_silhouette_over_every_k():
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    from kompass.algorithms.opinions.clustering import cluster_points

    x = blobs([9, 14, 6])
    result = cluster_points(x, min_groups=2, max_groups=5, seed=1)
    assert result.k == 3 and result.message == ""
    assert sorted(result.silhouette) == [2, 3, 4, 5]
    for k, score in result.silhouette.items():
        labels = KMeans(n_clusters=k, n_init=4, random_state=1).fit_predict(x)
        assert score == pytest.approx(silhouette_score(x, labels))
    assert max(result.silhouette, key=result.silhouette.get) == 3
    assert np.bincount(result.labels).tolist() == [14, 9, 6]  # numbered by decreasing size
    assert set(result.labels[9:23]) == {0} and set(result.labels[:9]) == {1} and set(result.labels[23:]) == {2}
    only = cluster_points(x, min_groups=2, max_groups=2, seed=1)
    assert only.k == 2 and sorted(only.silhouette) == [2]


def test_the_silhouette_of_a_large_map_is_scored_on_a_seeded_sample():
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    from kompass.algorithms.opinions.clustering import cluster_points

    x = blobs([30, 20], seed=3)
    result = cluster_points(x, min_groups=2, max_groups=3, seed=5, silhouette_sample=12)
    sample = np.sort(np.random.default_rng(5).choice(50, size=12, replace=False))
    for k, score in result.silhouette.items():
        labels = KMeans(n_clusters=k, n_init=4, random_state=5).fit_predict(x)
        assert score == pytest.approx(silhouette_score(x[sample], labels[sample]))
    assert result.k == 2 and np.bincount(result.labels).tolist() == [30, 20]


@pytest.mark.parametrize(("n", "min_points", "k"), [(3, 4, 0), (4, 4, 2), (2, 1, 0), (3, 1, 2)])
def test_too_few_participants_form_no_groups(n, min_points, k):
    from kompass.algorithms.opinions.clustering import cluster_points

    x = np.array([[0.0, 0.0], [9.0, 9.0], [0.1, 0.0], [9.0, 9.1]])[:n]
    result = cluster_points(x, min_points=min_points)
    assert result.k == k
    if k == 0:
        assert result.message == f"too few participants to form groups ({n})" and result.labels.shape == (0,)


def test_a_sample_too_small_to_score_gives_every_k_minus_one_and_the_smallest_k_wins():
    from kompass.algorithms.opinions.clustering import cluster_points

    result = cluster_points(blobs([9, 14, 6]), min_groups=2, max_groups=4, seed=1, silhouette_sample=2)
    assert result.silhouette == {2: -1.0, 3: -1.0, 4: -1.0}
    assert result.k == 2 and np.bincount(result.labels).tolist()[0] >= np.bincount(result.labels).tolist()[1]


def test_planted_consensus_leans_the_same_way_in_every_group_and_either_way_across_statements():
    """Consensus statements: every group has the same agree probability, (1 + signal) / 2 or (1 - signal) / 2,
    and over 40 of them both sides occur (drawn per statement, not fixed to agreement)."""
    from kompass.algorithms.opinions import planted_votes

    data = planted_votes(10, 400, n_groups=3, signal=0.7, consensus_share=0.1, seed=0)
    cons = data.consensus_statements
    assert len(cons) == 40
    p = data.agree_probability[:, cons]
    assert (p == p[0]).all()
    assert set(np.round(p[0], 9)) == {0.15, 0.85}


def test_a_group_keeps_five_representative_statements_unless_configured_otherwise():
    """Two planted groups split on 80 statements: far more than five statements represent each group."""
    from kompass.algorithms.opinions import OpinionMapConfig, compute_opinion_map, planted_votes

    data = planted_votes(600, 80, n_groups=2, density=0.5, signal=0.8, consensus_share=0.0, seed=21)
    args = ((data.participants, data.statements, data.votes), data.n_participants, data.n_statements)
    default = compute_opinion_map(*args)
    wider = compute_opinion_map(*args, OpinionMapConfig(max_representative=8))
    assert default.k == wider.k == 2
    assert [len(g.representative) for g in default.groups] == [5, 5]
    assert [len(g.representative) for g in wider.groups] == [8, 8]
    for short, long in zip(default.groups, wider.groups, strict=True):
        assert short.representative == long.representative[:5]  # the best five, best first


@pytest.mark.parametrize("n", [2, 4])
def test_votes_must_come_as_exactly_three_arrays(n):
    from kompass.algorithms.opinions import compute_opinion_map

    arrays = tuple(np.array([0, 1]) for _ in range(n))
    with pytest.raises(ValueError, match=r"expected \(participant_index, statement_index, vote\) arrays"):
        compute_opinion_map(arrays)


def test_a_projection_fitted_on_nobody_has_no_axes_and_the_map_says_why():
    """No participant to fit on: zero components (not one column of NaN), and the map has no groups."""
    from kompass.algorithms.opinions import compute_opinion_map
    from kompass.algorithms.opinions.projection import fit_projection

    votes = votes_from_arrays(np.array([0, 1, 2]), np.array([0, 1, 2]), np.array([1, -1, 1]), 3, 3)
    proj = fit_projection(votes, np.zeros(3, dtype=bool), 2)
    assert proj.coordinates.shape == (3, 0) and proj.components.shape == (0, 3)
    few = compute_opinion_map((np.array([0, 1, 2]), np.array([0, 1, 2]), np.array([1, -1, 1])), 3, 3)
    assert few.k == 0 and few.groups == ()


def test_a_map_with_one_axis_still_finds_two_opinion_groups():
    """Two groups split on every statement lie apart along the first principal axis alone."""
    from kompass.algorithms.opinions import OpinionMapConfig, compute_opinion_map, planted_votes

    data = planted_votes(400, 40, n_groups=2, density=0.6, signal=0.9, consensus_share=0.0, seed=8)
    one = compute_opinion_map((data.participants, data.statements, data.votes), data.n_participants,
                              data.n_statements, OpinionMapConfig(map_dims=1, cluster_dims=1))
    assert one.coordinates.shape[1] == 1
    assert one.k == 2 and sum(g.size for g in one.groups) == int(one.clustered.sum()) > 300


def test_a_collapsed_k_means_run_is_renumbered_densely_per_participant(monkeypatch):
    """k-means may return fewer distinct labels than clusters asked for (an empty cluster): the groups are then
    renumbered 0..k-1, one label per participant, and k is the number of groups that really exist."""
    from kompass.algorithms.opinions import clustering

    class Collapsing:
        def __init__(self, n_clusters, n_init, random_state):
            self.n_clusters = n_clusters

        def fit_predict(self, x):  # three clusters asked for, the middle one left empty
            return np.where(x[:, 0] < 0, 0, 2)

    monkeypatch.setattr(clustering, "KMeans", Collapsing)
    rng = np.random.default_rng(3)
    x = np.vstack([rng.normal(-5, 0.1, (6, 2)), rng.normal(5, 0.1, (4, 2))])
    result = clustering.cluster_points(x, min_groups=3, max_groups=3)
    assert result.k == 2
    assert result.labels.tolist() == [0] * 6 + [1] * 4  # the larger group first


def test_k_means_restarts_four_times_per_k_by_default(monkeypatch):
    """The documented default (ADR 0012: scikit-learn k-means with n_init=4) reaches k-means from the map."""
    from kompass.algorithms.opinions import clustering, compute_opinion_map, planted_votes

    seen = []
    real = clustering.KMeans

    def spy(**kwargs):
        seen.append(kwargs["n_init"])
        return real(**kwargs)

    monkeypatch.setattr(clustering, "KMeans", spy)
    data = planted_votes(120, 20, n_groups=2, density=0.7, signal=0.9, consensus_share=0.0, seed=2)
    compute_opinion_map((data.participants, data.statements, data.votes), data.n_participants, data.n_statements)
    assert seen and set(seen) == {4}


def test_an_index_beyond_the_given_size_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"^n_participants index 5 out of range for size 3$"):
        votes_from_arrays(np.array([0, 5]), np.array([0, 1]), np.array([1, -1]), 3, 2)


def test_a_k_means_run_that_puts_everybody_in_one_group_reports_no_groups(monkeypatch):
    from kompass.algorithms.opinions import clustering

    class OneGroup:
        def __init__(self, n_clusters, n_init, random_state):
            pass

        def fit_predict(self, x):
            return np.zeros(x.shape[0], dtype=np.int64)

    monkeypatch.setattr(clustering, "KMeans", OneGroup)
    x = np.random.default_rng(4).normal(0, 1, (12, 2))
    result = clustering.cluster_points(x, min_groups=2, max_groups=3)
    assert result.k == 0 and result.labels.size == 0 and result.message == "no distinct groups found"


@pytest.mark.parametrize("pass_rate", [0.0, 0.1, 0.3])
def test_planted_votes_pass_at_the_configured_rate(pass_rate):
    from kompass.algorithms.opinions import planted_votes

    data = planted_votes(400, 50, density=0.5, pass_rate=pass_rate, seed=5)
    share = float(np.mean(data.votes == 0))
    assert share == pytest.approx(pass_rate, abs=0.02)
