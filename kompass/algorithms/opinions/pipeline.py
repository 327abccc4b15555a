"""The whole opinion-mapping pipeline: votes in, :class:`OpinionMap` out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from .clustering import cluster_points
from .matrix import Votes, votes_from_arrays, votes_from_sparse
from .projection import fit_projection
from .statistics import group_consensus, group_vote_counts, representative_statements
from .types import Group, OpinionMap, OpinionMapConfig

VoteInput = Votes | sp.sparray | sp.spmatrix | Sequence[np.ndarray]


def as_votes(votes: VoteInput, n_participants: int | None = None, n_statements: int | None = None) -> Votes:
    """Accept :class:`Votes`, a SciPy sparse matrix, or a (participants, statements, votes) triple."""
    if isinstance(votes, Votes):
        if (n_participants is not None and n_participants != votes.n_participants) or (
            n_statements is not None and n_statements != votes.n_statements
        ):
            raise ValueError("sizes do not match the given Votes")
        return votes
    if sp.issparse(votes):
        return votes_from_sparse(votes, n_participants, n_statements)
    if len(votes) != 3:
        raise ValueError("expected (participant_index, statement_index, vote) arrays")
    p, s, v = votes
    return votes_from_arrays(p, s, v, n_participants, n_statements)


def _empty_map(
    votes: Votes, coords: np.ndarray, clustered: np.ndarray, message: str, **extra: object
) -> OpinionMap:
    n_p, n_s = votes.n_participants, votes.n_statements
    return OpinionMap(
        n_participants=n_p,
        n_statements=n_s,
        coordinates=coords,
        labels=np.full(n_p, -1, dtype=np.int64),
        clustered=np.zeros(n_p, dtype=bool) if clustered is None else clustered,
        vote_counts=votes.votes_per_participant(),
        k=0,
        groups=(),
        counts=np.zeros((0, n_s, 3), dtype=np.int64),
        consensus=(),
        consensus_agree=np.zeros(0),
        consensus_disagree=np.zeros(0),
        message=message,
        **extra,  # type: ignore[arg-type]
    )


def compute_opinion_map(
    votes: VoteInput,
    n_participants: int | None = None,
    n_statements: int | None = None,
    config: OpinionMapConfig | None = None,
) -> OpinionMap:
    """Map participants by how they voted, find opinion groups and what characterises them.

    Args:
        votes: a (participant_index, statement_index, vote) triple of equal-length arrays, a SciPy sparse
            participants x statements matrix (stored entries are votes; passes as explicit zeros) or
            :class:`Votes`. Votes are +1 agree, -1 disagree, 0 pass; duplicates: the last one counts.
        n_participants, n_statements: sizes (default: largest index + 1, or the matrix shape).
        config: tuning knobs, see :class:`OpinionMapConfig`.

    Returns:
        An :class:`OpinionMap`. When no groups can be formed (too few participants or votes, everybody in
        the same place) it has ``k == 0``, all labels -1 and ``message`` saying why; it never raises for
        degenerate but valid input.

    Raises:
        ValueError: for malformed input (see :func:`votes_from_arrays`).
    """
    cfg = config or OpinionMapConfig()
    v = as_votes(votes, n_participants, n_statements)
    # Single-threaded BLAS/OpenMP: the heavy parts (sparse products, bincounts) are single-threaded anyway,
    # the dense ones are tiny, and thread start-up/contention on a shared 2-core machine cost more than they
    # gain. It also makes floating-point results independent of the machine's core count.
    with threadpool_limits(limits=1):
        return _compute(v, cfg)


def _compute(v: Votes, cfg: OpinionMapConfig) -> OpinionMap:
    n_p, n_s = v.n_participants, v.n_statements
    n_voted = v.votes_per_participant()
    n_dims = max(cfg.map_dims, cfg.cluster_dims)

    if v.n_votes == 0:
        return _empty_map(v, np.full((n_p, cfg.map_dims), np.nan), None, "no votes yet")

    n_active = int(np.count_nonzero(np.bincount(v.indices, minlength=n_s)))
    threshold = min(cfg.min_votes, n_active)
    clustered = n_voted >= threshold
    proj = fit_projection(v, clustered, n_dims, seed=cfg.seed)
    coords = np.full((n_p, cfg.map_dims), np.nan)
    d = min(cfg.map_dims, proj.coordinates.shape[1])
    coords[:, :d] = proj.coordinates[:, :d]
    coords[(n_voted > 0)[:, None] & np.isnan(coords)] = 0.0
    extra = dict(
        explained_variance_ratio=proj.explained_variance_ratio,
        components=proj.components,
        statement_means=proj.means,
    )

    idx = np.flatnonzero(clustered)
    if proj.coordinates.shape[1] == 0:
        return _empty_map(v, coords, np.zeros(n_p, dtype=bool), "too few participants or statements", **extra)
    x = proj.coordinates[idx, : min(cfg.cluster_dims, proj.coordinates.shape[1])]
    result = cluster_points(
        x,
        min_groups=cfg.min_groups,
        max_groups=cfg.max_groups,
        seed=cfg.seed,
        n_init=cfg.n_init,
        silhouette_sample=cfg.silhouette_sample,
        min_points=cfg.min_cluster_participants,
    )
    if result.k == 0:
        extra["silhouette"] = result.silhouette
        return _empty_map(v, coords, np.zeros(n_p, dtype=bool), result.message, **extra)

    k = result.k
    labels = np.full(n_p, -1, dtype=np.int64)
    labels[idx] = result.labels
    counts = group_vote_counts(v, labels, k)
    reps = representative_statements(
        counts, a=cfg.pseudo_count, confidence=cfg.confidence, max_per_group=cfg.max_representative
    )
    cons_a, cons_d, consensus = group_consensus(
        counts,
        a=cfg.pseudo_count,
        confidence=cfg.confidence,
        threshold=cfg.consensus_threshold,
        max_per_direction=cfg.max_consensus,
    )
    groups = []
    for g in range(k):
        members = idx[result.labels == g]
        groups.append(
            Group(
                id=g,
                size=int(members.shape[0]),
                members=members,
                centroid=coords[members].mean(axis=0),
                representative=reps[g],
            )
        )
    return OpinionMap(
        n_participants=n_p,
        n_statements=n_s,
        coordinates=coords,
        labels=labels,
        clustered=clustered,
        vote_counts=n_voted,
        k=k,
        groups=tuple(groups),
        counts=counts,
        consensus=consensus,
        consensus_agree=cons_a,
        consensus_disagree=cons_d,
        silhouette=result.silhouette,
        **extra,  # type: ignore[arg-type]
    )
