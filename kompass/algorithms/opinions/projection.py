"""Principal component analysis of a sparse vote matrix with implicit mean imputation.

Polis fills every missing vote with the statement's mean vote and then runs an ordinary PCA. After
centring, an imputed entry becomes exactly zero, so the centred, imputed matrix has the *same sparsity
structure* as the votes: entry (i, j) is ``vote - mean_j`` where i voted on j and 0 elsewhere. We build that
sparse matrix directly and take a truncated SVD of it, which is the PCA without ever densifying.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.utils.extmath import randomized_svd

from .matrix import Votes

#: Below this many cells (fitted participants x statements) the exact dense SVD is used.
DENSE_SVD_MAX_CELLS = 2_000_000


@dataclass(frozen=True)
class Projection:
    coordinates: np.ndarray  # (n_participants, n_components), scaled; NaN rows for participants without votes
    components: np.ndarray  # (n_components, n_statements)
    explained_variance_ratio: np.ndarray  # (n_components,)
    means: np.ndarray  # (n_statements,) mean vote among fitted participants (0 if none voted)


def _fix_signs(vt: np.ndarray) -> np.ndarray:
    """Deterministic orientation: the largest-magnitude loading of every component is positive."""
    if vt.size == 0:
        return vt
    pivot = np.argmax(np.abs(vt), axis=1)
    signs = np.sign(vt[np.arange(vt.shape[0]), pivot])
    signs[signs == 0] = 1.0
    return vt * signs[:, None]


def fit_projection(votes: Votes, fit_rows: np.ndarray, n_components: int, seed: int = 0) -> Projection:
    """PCA fitted on the participants in ``fit_rows`` (bool mask); every participant is projected.

    Each projection is multiplied by ``sqrt(n_active / n_voted)`` like Polis, where ``n_active`` is the
    number of statements with at least one vote and ``n_voted`` the participant's number of votes, so that
    people who voted on few statements are not all drawn into the centre of the map.
    """
    n_p, n_s = votes.n_participants, votes.n_statements
    cols = votes.indices
    values = votes.values  # int8
    if bool(np.all(fit_rows)):
        fit_cols, fit_values = cols, values
    else:
        in_fit = fit_rows[votes.row_of_vote()]
        fit_cols, fit_values = cols[in_fit], values[in_fit]
        del in_fit
    # Column means over the fitted participants; integer counting avoids large float temporaries.
    n_per_col = np.bincount(fit_cols, minlength=n_s)
    sum_per_col = np.bincount(fit_cols[fit_values == 1], minlength=n_s) - np.bincount(
        fit_cols[fit_values == -1], minlength=n_s
    )
    del fit_cols, fit_values
    means = np.divide(sum_per_col, n_per_col, out=np.zeros(n_s), where=n_per_col > 0)

    centred = means[cols]
    np.negative(centred, out=centred)
    centred += values
    matrix = sp.csr_array((centred, cols, votes.indptr), shape=(n_p, n_s))

    fit_idx = np.flatnonzero(fit_rows)
    n_fit = fit_idx.shape[0]
    d = int(min(n_components, n_fit, n_s))
    coords = np.full((n_p, max(d, 0)), np.nan)
    if d <= 0:
        return Projection(coords, np.zeros((0, n_s)), np.zeros(0), means)

    fit_matrix = matrix if n_fit == n_p else matrix[fit_idx]
    total_ss = float(np.dot(fit_matrix.data, fit_matrix.data))
    if n_fit * n_s <= DENSE_SVD_MAX_CELLS:
        _, s, vt = np.linalg.svd(fit_matrix.toarray(), full_matrices=False)
        s, vt = s[:d], vt[:d]
    else:
        _, s, vt = randomized_svd(
            fit_matrix, n_components=d, n_oversamples=10, n_iter=6, random_state=seed, flip_sign=False
        )
    del fit_matrix
    vt = _fix_signs(vt)
    ratio = (s**2) / total_ss if total_ss > 0 else np.zeros(d)

    n_voted = votes.votes_per_participant()
    n_active = int(np.count_nonzero(np.bincount(cols, minlength=n_s)))
    scale = np.sqrt(n_active / np.maximum(n_voted, 1))
    coords = np.asarray(matrix @ vt.T) * scale[:, None]
    coords[n_voted == 0] = np.nan
    return Projection(coords, vt, ratio, means)
