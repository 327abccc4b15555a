"""Plain data types of the opinion map: configuration in, results out.

Everything here is a frozen dataclass holding Python scalars, tuples or NumPy arrays, so results can be
serialised by the caller (e.g. to JSON for the map) without knowing anything about the algorithm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Direction = Literal["agree", "disagree"]

#: Column order of :attr:`OpinionMap.counts` (last axis).
AGREE, DISAGREE, PASS = 0, 1, 2


@dataclass(frozen=True)
class OpinionMapConfig:
    """Tuning knobs. The defaults follow Polis where Polis has a value.

    Attributes:
        min_votes: participants with fewer votes are projected onto the map but not clustered (Polis: 7).
            If there are fewer statements than this, all statements must have been voted on instead.
        min_groups, max_groups: range of group counts k tried; the best silhouette wins (Polis: 2..5).
        map_dims: dimensions of the map coordinates (2).
        cluster_dims: principal components used for k-means. Polis clusters in the 2-D map; k groups in
            general need k-1 dimensions to be told apart, so the default is 4 (= the largest max_groups - 1).
            The map itself always shows the first ``map_dims`` components.
        seed: seed for the randomized SVD, k-means and the silhouette sample: same input + seed = same output.
        n_init: k-means restarts per k.
        silhouette_sample: participants sampled (with ``seed``) to score each k; all if fewer.
        min_cluster_participants: below this many clusterable participants no groups are formed.
        pseudo_count: Laplace smoothing of vote probabilities, p = (n_success + a) / (n_votes + 2a).
        confidence: one-sided confidence of the z-tests for representative and consensus statements (0.90).
        max_representative: representative statements kept per group.
        consensus_threshold: a consensus statement has a smoothed agree (or disagree) probability of at
            least this in every group.
        max_consensus: consensus statements kept per direction.
    """

    min_votes: int = 7
    min_groups: int = 2
    max_groups: int = 5
    map_dims: int = 2
    cluster_dims: int = 4
    seed: int = 0
    n_init: int = 4
    silhouette_sample: int = 3000
    min_cluster_participants: int = 4
    pseudo_count: float = 1.0
    confidence: float = 0.90
    max_representative: int = 5
    consensus_threshold: float = 0.6
    max_consensus: int = 5

    def __post_init__(self) -> None:
        if not 2 <= self.min_groups <= self.max_groups <= 5:
            raise ValueError("need 2 <= min_groups <= max_groups <= 5")
        if self.map_dims < 1 or self.cluster_dims < 1:
            raise ValueError("map_dims and cluster_dims must be >= 1")
        if self.min_votes < 1:
            raise ValueError("min_votes must be >= 1")
        if not 0.5 <= self.confidence < 1:
            raise ValueError("confidence must be in [0.5, 1)")
        if not 0.5 <= self.consensus_threshold <= 1:
            raise ValueError("consensus_threshold must be in [0.5, 1]")
        if self.pseudo_count < 0:
            raise ValueError("pseudo_count must be >= 0")


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement on which a group votes notably differently from everyone else (Polis "repness").

    Attributes:
        statement: statement index.
        direction: whether the group notably agrees or notably disagrees.
        n_success: votes in the group in that direction; n_votes: all votes of the group on it (incl. pass).
        probability: smoothed probability that a group member votes that way.
        probability_z: z-score of ``probability`` against 1/2 (is the group clearly on that side?).
        ratio: ``probability`` divided by the same probability among all other clustered participants.
        ratio_z: two-proportion z-score of group vs. the rest.
    """

    statement: int
    direction: Direction
    n_success: int
    n_votes: int
    probability: float
    probability_z: float
    ratio: float
    ratio_z: float


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement that every group agrees (or disagrees) with (Polis "group-informed consensus").

    Attributes:
        score: product over groups of the smoothed probability of voting ``direction``.
        min_probability: the lowest of those per-group probabilities (>= the configured threshold).
    """

    statement: int
    direction: Direction
    score: float
    min_probability: float


@dataclass(frozen=True)
class Group:
    """One opinion group.

    Attributes:
        id: 0-based; groups are numbered by decreasing size.
        size: number of participants in the group.
        members: participant indices (sorted).
        centroid: centre on the map (``map_dims`` coordinates).
        representative: most representative statements, best first (at most ``max_representative``).
    """

    id: int
    size: int
    members: np.ndarray
    centroid: np.ndarray
    representative: tuple[RepresentativeStatement, ...]


@dataclass(frozen=True)
class OpinionMap:
    """Result of :func:`compute_opinion_map`.

    Attributes:
        n_participants, n_statements: sizes of the input.
        coordinates: (n_participants, map_dims) map positions; NaN for participants without any vote.
        labels: (n_participants,) group id, or -1 for participants who were not clustered (too few votes).
        clustered: (n_participants,) bool, True for participants that took part in clustering.
        vote_counts: (n_participants,) number of votes (incl. pass) of each participant.
        k: number of groups (0 when no groups could be formed; see ``message``).
        groups: one :class:`Group` per group id.
        counts: (k, n_statements, 3) int votes per group and statement: agree, disagree, pass.
        consensus: consensus statements, agree ones first, each direction best first.
        consensus_agree, consensus_disagree: (n_statements,) group-informed consensus score of every
            statement (product over groups of the smoothed probability); empty arrays when k == 0.
        silhouette: silhouette score per k tried.
        explained_variance_ratio: share of the (imputed) vote variance explained per component.
        components: (n_components, n_statements) principal axes; statement_means: (n_statements,) mean vote.
        message: empty when groups were formed, otherwise why not.
    """

    n_participants: int
    n_statements: int
    coordinates: np.ndarray
    labels: np.ndarray
    clustered: np.ndarray
    vote_counts: np.ndarray
    k: int
    groups: tuple[Group, ...]
    counts: np.ndarray
    consensus: tuple[ConsensusStatement, ...]
    consensus_agree: np.ndarray
    consensus_disagree: np.ndarray
    silhouette: dict[int, float] = field(default_factory=dict)
    explained_variance_ratio: np.ndarray = field(default_factory=lambda: np.zeros(0))
    components: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    statement_means: np.ndarray = field(default_factory=lambda: np.zeros(0))
    message: str = ""

    @property
    def has_groups(self) -> bool:
        return self.k > 0
