"""Edge shapes of the opinion pipeline that a uniform mutation sample showed unpinned (docs/mutation/algorithms.md,
exploration of 2026-12-04): planted votes drawn in several chunks and for nobody, a participant with a single
vote on the map, a single vote in the group counts, and the documented defaults of the clustering and of the
representative statements. Expected values come from definitions written out here."""

import numpy as np
import pytest

from kompass.algorithms.opinions import compute_opinion_map
from kompass.algorithms.opinions.clustering import cluster_points
from kompass.algorithms.opinions.matrix import votes_from_arrays
from kompass.algorithms.opinions.projection import fit_projection
from kompass.algorithms.opinions.statistics import group_vote_counts, representative_statements
from kompass.algorithms.opinions.synthetic import planted_votes
from kompass.algorithms.opinions.types import AGREE, DISAGREE, PASS


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


@pytest.mark.parametrize("chunk", [7, 4096])
def test_planted_votes_cover_every_participant_once_per_cell_at_the_configured_density(chunk):
    """Drawn in chunks of 7 participants or in one: every vote names a participant and a statement inside the
    sizes, no cell is voted twice, and the share of cells voted is the density (binomial: 2,000 cells, three
    standard deviations)."""
    planted = planted_votes(100, 20, density=0.3, seed=5, chunk=chunk)
    p, s = planted.participants, planted.statements
    assert p.shape == s.shape == planted.votes.shape
    assert p.min() >= 0 and p.max() < 100 and s.min() >= 0 and s.max() < 20
    assert len(set(zip(p.tolist(), s.tolist(), strict=True))) == p.shape[0]
    share, sd = p.shape[0] / 2000, np.sqrt(0.3 * 0.7 / 2000)
    assert abs(share - 0.3) < 3 * sd
    assert np.bincount(p, minlength=100).min() >= 1  # 20 statements at 30 %: everybody votes somewhere


def test_planted_votes_for_nobody_are_empty_and_of_one_length():
    planted = planted_votes(0, 5, seed=1)
    assert planted.participants.shape == planted.statements.shape == planted.votes.shape == (0,)
    assert planted.groups.shape == (0,)


def test_a_participant_with_a_single_vote_is_placed_by_that_vote_scaled_to_the_active_statements():
    """The map scales each participant by sqrt(active statements / own votes), so somebody who voted once sits at
    their vote times that statement's loadings times sqrt(active statements), centred like everybody else."""
    rng = np.random.default_rng(3)
    dense = rng.choice([-1, 0, 1], size=(12, 6))
    p, s = np.nonzero(np.ones_like(dense))
    v = dense[p, s]
    keep = ~((p == 11) & (s != 2))  # participant 11 votes only on statement 2
    votes = votes_from_arrays(p[keep], s[keep], v[keep], 12, 6)
    assert votes.votes_per_participant()[11] == 1
    fitted = np.arange(12) < 11
    proj = fit_projection(votes, fitted, 2)
    vote = float(dense[11, 2])
    centred = np.zeros(6)
    centred[2] = vote - proj.means[2]
    expected = (centred @ proj.components.T) * np.sqrt(6 / 1)
    assert proj.coordinates[11] == pytest.approx(expected, abs=1e-9)


def test_a_single_vote_is_counted_for_its_group():
    votes = votes_from_arrays(np.array([1]), np.array([2]), np.array([-1]), 3, 4)
    counts = group_vote_counts(votes, np.array([0, 1, 1]), 2)
    expected = np.zeros((2, 4, 3), dtype=np.int64)
    expected[1, 2, DISAGREE] = 1
    assert (counts == expected).all()
    assert counts[:, :, [AGREE, PASS]].sum() == 0


def test_the_clustering_tries_two_to_five_groups_by_default():
    """Six well separated clouds of points: the silhouette would choose six groups if it might; by default the
    search stops at five (Polis' limit), so it tries k = 2 .. 5 only."""
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [10, 0], [0, 10], [10, 10], [20, 0], [20, 10]], dtype=float)
    x = np.concatenate([c + rng.normal(scale=0.3, size=(15, 2)) for c in centres])
    default = cluster_points(x)
    assert set(default.silhouette) == {2, 3, 4, 5} and default.k <= 5
    wider = cluster_points(x, max_groups=6)
    assert set(wider.silhouette) == {2, 3, 4, 5, 6} and wider.k == 6


def test_a_group_keeps_at_most_five_representative_statements_by_default():
    """Group 0 agrees with eight statements that group 1 rejects (40 votes each): all eight are significant for
    group 0, and the default keeps the best five."""
    counts = np.zeros((2, 8, 3), dtype=np.int64)
    counts[0, :, AGREE], counts[0, :, DISAGREE] = 38 - np.arange(8), 2 + np.arange(8)
    counts[1, :, AGREE], counts[1, :, DISAGREE] = 2, 38
    every = representative_statements(counts, max_per_group=8)[0]
    kept = representative_statements(counts)[0]
    assert len(every) == 8 and len(kept) == 5
    assert [r.statement for r in kept] == [r.statement for r in every][:5]


def test_an_opinion_map_of_one_statement_groups_participants_by_their_vote():
    """With a single statement every participant stands on one line at one of three points (agree, pass,
    disagree): the map finds exactly those three groups, each holding the participants who voted alike."""
    p = np.arange(30)
    s = np.zeros(30, dtype=np.int64)
    v = np.array([-1, 0, 1] * 10)
    result = compute_opinion_map((p, s, v), 30, 1)
    assert result.components.shape == (1, 1) and (result.coordinates[:, 1] == 0).all()
    assert len(np.unique(np.round(result.coordinates[:, 0], 9))) == 3
    assert result.k == 3
    assert sorted(sorted(set(v[g.members].tolist())) for g in result.groups) == [[-1], [0], [1]]
    assert sorted(g.size for g in result.groups) == [10, 10, 10]


def test_five_participants_are_split_into_at_most_four_groups():
    """A clustering of n participants tries at most n - 1 groups (n groups of one have no silhouette)."""
    x = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 0.0], [5.0, 1.0], [9.0, 9.0]])
    assert set(cluster_points(x).silhouette) == {2, 3, 4}


def test_each_group_centre_is_the_mean_position_of_its_members_on_the_map():
    planted = planted_votes(90, 12, n_groups=3, density=0.8, signal=0.9, seed=2)
    result = compute_opinion_map((planted.participants, planted.statements, planted.votes), 90, 12)
    assert result.k >= 2
    for group in result.groups:
        assert group.centroid.shape == (result.coordinates.shape[1],)
        assert group.centroid == pytest.approx(result.coordinates[group.members].mean(axis=0))


def test_a_difference_of_proportions_without_any_spread_has_a_z_score_of_0():
    """Without smoothing (a = 0): where both groups voted unanimously the same way, or nobody voted agree, the
    pooled proportion is 1 or 0 and has no variance; the z score is then 0 (no evidence either way), not a
    negative number that would count as evidence against."""
    from kompass.algorithms.opinions.statistics import two_proportion_z

    z = two_proportion_z(np.array([3, 0, 3]), np.array([3, 2, 4]), np.array([4, 0, 1]), np.array([4, 3, 4]), a=0.0)
    assert z[0] == 0.0 and z[1] == 0.0  # unanimous agree in both groups; no agree at all
    p_in, p_out, pooled = 3 / 4, 1 / 4, 4 / 8
    assert z[2] == pytest.approx((p_in - p_out) / np.sqrt(pooled * (1 - pooled) * (1 / 4 + 1 / 4)))


def test_the_silhouette_is_measured_on_a_sample_of_3000_participants_by_default(monkeypatch):
    """Up to 3,000 clustered participants every one counts; above, a seeded sample of 3,000 (the default)."""
    from kompass.algorithms.opinions import clustering

    sizes = []
    real = clustering.silhouette_score

    def measured(x, labels):
        sizes.append(x.shape[0])
        return real(x, labels)

    monkeypatch.setattr(clustering, "silhouette_score", measured)
    rng = np.random.default_rng(4)
    for n in (3000, 3001):
        sizes.clear()
        cluster_points(np.concatenate([rng.normal(size=(n - n // 2, 2)), rng.normal(size=(n // 2, 2)) + 8]),
                       max_groups=3)
        assert sizes == [3000, 3000]  # k = 2 and k = 3


def test_votes_of_another_length_than_their_participants_are_refused():
    with pytest.raises(ValueError, match="must have the same length"):
        votes_from_arrays(np.array([0, 1, 2]), np.array([0, 1, 2]), np.array([1, -1]))


def test_a_projection_is_fitted_on_the_chosen_participants_only():
    """The axes are the principal directions of the centred votes of the fitted participants (an SVD written out
    here); the others are placed on those axes but do not shape them."""
    rng = np.random.default_rng(8)
    dense = rng.choice([-1, 1], size=(20, 5)).astype(float)
    dense[15:] = 1.0  # five participants who agree with everything, left out of the fit
    p, s = np.nonzero(np.ones_like(dense))
    votes = votes_from_arrays(p, s, dense[p, s].astype(int), 20, 5)
    fitted = np.arange(20) < 15
    proj = fit_projection(votes, fitted, 2)
    centred = dense[:15] - dense[:15].mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    for axis in range(2):  # the same direction up to its sign
        assert abs(float(proj.components[axis] @ vt[axis])) == pytest.approx(1.0, abs=1e-9)
    assert proj.means == pytest.approx(dense[:15].mean(axis=0))


def test_a_representative_statement_reports_its_ratio_to_the_other_groups():
    """Group 0 agrees 30 of 32 times, group 1 agrees 2 of 32 times; with the pseudo count 1 the ratio is
    ((30 + 1) / (32 + 2)) / ((2 + 1) / (32 + 2))."""
    counts = np.zeros((2, 1, 3), dtype=np.int64)
    counts[0, 0, AGREE], counts[0, 0, DISAGREE] = 30, 2
    counts[1, 0, AGREE], counts[1, 0, DISAGREE] = 2, 30
    (rep,) = representative_statements(counts)[0]
    assert rep.direction == "agree" and rep.probability == pytest.approx(31 / 34)
    assert rep.ratio == pytest.approx((31 / 34) / (3 / 34))
