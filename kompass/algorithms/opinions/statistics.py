"""Per-group vote statistics: counts, representative statements and group-informed consensus.

All probabilities are Laplace-smoothed, p = (n_success + a) / (n_votes + 2a) with pseudo count a (1 by
default), so a statement that few people have seen stays near 1/2 instead of jumping to 0 or 1. A pass
counts as a vote that is neither agree nor disagree.

Significance uses one-sided z-tests at the configured confidence (Polis: 90 %):

* ``probability_z``: is the group's probability clearly above 1/2?  z = (p - 1/2) / sqrt(1/4 / (n + 2a))
* ``ratio_z``: is it clearly above the rest's? pooled two-proportion z-test of group vs. all other
  clustered participants, on the smoothed counts.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

from .matrix import Votes
from .types import AGREE, DISAGREE, PASS, ConsensusStatement, RepresentativeStatement


def group_vote_counts(votes: Votes, labels: np.ndarray, k: int) -> np.ndarray:
    """(k, n_statements, 3) counts of agree / disagree / pass per group; label -1 is ignored."""
    n_s = votes.n_statements
    counts = np.zeros((k, n_s, 3), dtype=np.int64)
    if k == 0 or votes.n_votes == 0:
        return counts
    key_type = np.int32 if k * n_s < 2**31 else np.int64
    vote_labels = labels.astype(key_type)[votes.row_of_vote()]
    keep = vote_labels >= 0
    key = vote_labels[keep]
    del vote_labels
    key *= n_s
    key += votes.indices[keep]
    vals = votes.values[keep]
    del keep
    for slot, value in ((AGREE, 1), (DISAGREE, -1), (PASS, 0)):
        counts[:, :, slot] = np.bincount(key[vals == value], minlength=k * n_s).reshape(k, n_s)
    return counts


def smoothed(success: np.ndarray, total: np.ndarray, a: float) -> np.ndarray:
    num = success + a
    den = total + 2 * a
    return np.divide(num, den, out=np.full(np.shape(num), 0.5), where=den > 0)


def one_proportion_z(p: np.ndarray, total: np.ndarray, a: float) -> np.ndarray:
    n_eff = total + 2 * a
    return np.where(n_eff > 0, (p - 0.5) * 2.0 * np.sqrt(np.maximum(n_eff, 0)), 0.0)


def two_proportion_z(
    s_in: np.ndarray, n_in: np.ndarray, s_out: np.ndarray, n_out: np.ndarray, a: float
) -> np.ndarray:
    p_in = smoothed(s_in, n_in, a)
    p_out = smoothed(s_out, n_out, a)
    pooled = smoothed(s_in + s_out, n_in + n_out, a)
    n_in_eff = n_in + 2 * a
    n_out_eff = n_out + 2 * a
    with np.errstate(divide="ignore", invalid="ignore"):
        var = pooled * (1 - pooled) * (1 / n_in_eff + 1 / n_out_eff)
        z = (p_in - p_out) / np.sqrt(var)
    return np.where(np.isfinite(z) & (var > 0), z, 0.0)


def z_critical(confidence: float) -> float:
    return float(norm.ppf(confidence))


def representative_statements(
    counts: np.ndarray, a: float = 1.0, confidence: float = 0.9, max_per_group: int = 5
) -> list[tuple[RepresentativeStatement, ...]]:
    """Polis-style representative statements for every group.

    A statement represents group g in direction d (agree / disagree) when the group's probability of d
    is significantly above 1/2 *and* significantly above the other groups' probability of d. Candidates are
    ranked by ratio * ratio_z * probability * probability_z (the Polis metric), best first.
    """
    k = counts.shape[0]
    n = counts.sum(axis=2)
    n_all = n.sum(axis=0)
    zc = z_critical(confidence)
    result: list[tuple[RepresentativeStatement, ...]] = []
    per_dir = {}
    for slot, name in ((AGREE, "agree"), (DISAGREE, "disagree")):
        s = counts[:, :, slot]
        s_out = s.sum(axis=0)[None, :] - s
        n_out = n_all[None, :] - n
        p = smoothed(s, n, a)
        p_out = smoothed(s_out, n_out, a)
        with np.errstate(divide="ignore", invalid="ignore"):  # p_out can be 0 only without smoothing
            ratio = np.divide(p, p_out, out=np.full(p.shape, np.inf), where=p_out > 0)
            pz = one_proportion_z(p, n, a)
            rz = two_proportion_z(s, n, s_out, n_out, a)
            metric = np.nan_to_num(ratio * rz * p * pz, nan=0.0, posinf=np.finfo(float).max)
        significant = (pz > zc) & (rz > zc)
        per_dir[name] = (s, p, pz, ratio, rz, significant, metric)
    for g in range(k):
        cands: list[tuple[float, int, str]] = []
        for name, (_, _, _, _, _, sig, metric) in per_dir.items():
            for j in np.flatnonzero(sig[g]):
                cands.append((-float(metric[g, j]), int(j), name))
        cands.sort()
        chosen = []
        for _, j, name in cands[:max_per_group]:
            s, p, pz, ratio, rz, _, _ = per_dir[name]
            chosen.append(
                RepresentativeStatement(
                    statement=j,
                    direction=name,  # type: ignore[arg-type]
                    n_success=int(s[g, j]),
                    n_votes=int(n[g, j]),
                    probability=float(p[g, j]),
                    probability_z=float(pz[g, j]),
                    ratio=float(ratio[g, j]),
                    ratio_z=float(rz[g, j]),
                )
            )
        result.append(tuple(chosen))
    return result


def group_consensus(
    counts: np.ndarray,
    a: float = 1.0,
    confidence: float = 0.9,
    threshold: float = 0.6,
    max_per_direction: int = 5,
) -> tuple[np.ndarray, np.ndarray, tuple[ConsensusStatement, ...]]:
    """Group-informed consensus (Polis): per statement, the product over groups of each group's smoothed
    probability of agreeing (resp. disagreeing). Because it is a product, one dissenting group is enough to
    pull the score down, however large the other groups are.

    Selected consensus statements additionally have, in *every* group, a probability of at least
    ``threshold`` and a probability significantly above 1/2. Returns (agree scores, disagree scores,
    selected statements: agree ones first, each best first).
    """
    k = counts.shape[0]
    n_s = counts.shape[1]
    if k == 0:
        return np.zeros(0), np.zeros(0), ()
    n = counts.sum(axis=2)
    zc = z_critical(confidence)
    scores = {}
    selected: list[ConsensusStatement] = []
    for slot, name in ((AGREE, "agree"), (DISAGREE, "disagree")):
        p = smoothed(counts[:, :, slot], n, a)
        pz = one_proportion_z(p, n, a)
        score = np.prod(p, axis=0)
        scores[name] = score
        ok = np.all((p >= threshold) & (pz > zc), axis=0)
        idx = np.flatnonzero(ok)
        order = idx[np.lexsort((idx, -score[idx]))][:max_per_direction]
        p_min = p.min(axis=0)
        selected.extend(
            ConsensusStatement(int(j), name, float(score[j]), float(p_min[j])) for j in order  # type: ignore[arg-type]
        )
    assert scores["agree"].shape == (n_s,)
    return scores["agree"], scores["disagree"], tuple(selected)
