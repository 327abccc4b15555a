"""Polis-style opinion mapping: who thinks alike, and on what.

Participants vote agree (+1), disagree (-1) or pass (0) on statements. :func:`compute_opinion_map`
places every participant on a 2-D map (PCA of the vote matrix with missing votes imputed by the
statement's mean, computed sparsely), forms at most five opinion groups with k-means (k chosen by
silhouette), and reports for each group its representative statements and, across groups, the consensus
statements. Pure Python + NumPy/SciPy/scikit-learn; see docs/opinion-mapping-method.md and
docs/adr/0012-opinion-mapping.md.
"""

from .matrix import Votes, build_vote_matrix, votes_from_arrays, votes_from_sparse
from .pipeline import compute_opinion_map
from .synthetic import PlantedVotes, planted_votes
from .types import (
    AGREE,
    DISAGREE,
    PASS,
    ConsensusStatement,
    Group,
    OpinionMap,
    OpinionMapConfig,
    RepresentativeStatement,
)

__all__ = [
    "AGREE",
    "DISAGREE",
    "PASS",
    "ConsensusStatement",
    "Group",
    "OpinionMap",
    "OpinionMapConfig",
    "PlantedVotes",
    "RepresentativeStatement",
    "Votes",
    "build_vote_matrix",
    "compute_opinion_map",
    "planted_votes",
    "votes_from_arrays",
    "votes_from_sparse",
]
