"""Synthetic votes with a planted group structure, for tests and benchmarks.

Each of ``n_groups`` groups has an opinion profile: for every statement a probability of agreeing. A
participant belongs to one group, sees a random subset of the statements (``density``) and, on each,
passes with probability ``pass_rate`` or otherwise agrees with the group's probability. A share of the
statements (``consensus_share``) is planted as consensus: every group leans the same way on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PlantedVotes:
    participants: np.ndarray  # int32 (n_votes,)
    statements: np.ndarray  # int32 (n_votes,)
    votes: np.ndarray  # int8 (n_votes,) in {-1, 0, 1}
    groups: np.ndarray  # int64 (n_participants,) planted group of each participant
    agree_probability: np.ndarray  # (n_groups, n_statements)
    consensus_statements: np.ndarray  # planted consensus statement indices
    n_participants: int
    n_statements: int


def planted_votes(
    n_participants: int,
    n_statements: int,
    n_groups: int = 3,
    density: float = 0.3,
    signal: float = 0.7,
    pass_rate: float = 0.1,
    consensus_share: float = 0.05,
    group_weights: np.ndarray | None = None,
    seed: int = 0,
    chunk: int = 4096,
) -> PlantedVotes:
    """Sample planted votes.

    Args:
        signal: how strongly groups lean; on each statement a group agrees with probability
            ``(1 + signal) / 2`` or ``(1 - signal) / 2`` (its side drawn at random).
        group_weights: relative group sizes (default equal).
        chunk: participants sampled per step (bounds the memory of the Bernoulli mask).
    """
    rng = np.random.default_rng(seed)
    w = np.ones(n_groups) if group_weights is None else np.asarray(group_weights, dtype=float)
    groups = rng.choice(n_groups, size=n_participants, p=w / w.sum())
    sides = rng.choice(np.array([-1.0, 1.0]), size=(n_groups, n_statements))
    n_cons = int(round(consensus_share * n_statements))
    cons = np.sort(rng.choice(n_statements, size=n_cons, replace=False)) if n_cons else np.zeros(0, int)
    if n_cons:
        sides[:, cons] = rng.choice(np.array([-1.0, 1.0]), size=n_cons)[None, :]
    agree_p = 0.5 + 0.5 * signal * sides

    parts_p, parts_s, parts_v = [], [], []
    for start in range(0, n_participants, chunk):
        stop = min(start + chunk, n_participants)
        mask = rng.random((stop - start, n_statements)) < density
        r, c = np.nonzero(mask)
        del mask
        g = groups[start + r]
        u = rng.random(r.shape[0])
        passed = rng.random(r.shape[0]) < pass_rate
        vote = np.where(u < agree_p[g, c], 1, -1).astype(np.int8)
        vote[passed] = 0
        parts_p.append((r + start).astype(np.int32))
        parts_s.append(c.astype(np.int32))
        parts_v.append(vote)
    return PlantedVotes(
        participants=np.concatenate(parts_p) if parts_p else np.zeros(0, np.int32),
        statements=np.concatenate(parts_s) if parts_s else np.zeros(0, np.int32),
        votes=np.concatenate(parts_v) if parts_v else np.zeros(0, np.int8),
        groups=groups.astype(np.int64),
        agree_probability=agree_p,
        consensus_statements=cons,
        n_participants=n_participants,
        n_statements=n_statements,
    )
