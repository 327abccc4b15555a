"""Turning raw votes into a compact sparse vote matrix.

A vote is agree (+1), disagree (-1) or pass (0). Pass is a real vote and differs from "not voted", so the
matrix keeps passes as *explicitly stored* zeros: the sparsity structure says who voted on what, the stored
values say how. Nothing here ever builds a dense participants x statements array.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class Votes:
    """Deduplicated votes in CSR layout (rows = participants, columns = statements).

    ``values[indptr[i]:indptr[i+1]]`` are participant i's votes on statements ``indices[...]`` (sorted).
    """

    n_participants: int
    n_statements: int
    indptr: np.ndarray  # int64, (n_participants + 1,)
    indices: np.ndarray  # int32, (n_votes,)
    values: np.ndarray  # int8 in {-1, 0, 1}, (n_votes,)

    @property
    def n_votes(self) -> int:
        return int(self.indices.shape[0])

    def row_of_vote(self) -> np.ndarray:
        """Participant index of every stored vote (int32)."""
        counts = np.diff(self.indptr)
        return np.repeat(np.arange(self.n_participants, dtype=np.int32), counts)

    def votes_per_participant(self) -> np.ndarray:
        return np.diff(self.indptr).astype(np.int64)

    def to_csr(self) -> sp.csr_array:
        """The matrix as a SciPy CSR array with passes stored as explicit zeros."""
        return sp.csr_array(
            (self.values.copy(), self.indices.copy(), self.indptr.copy()),
            shape=(self.n_participants, self.n_statements),
        )


def _infer_size(given: int | None, idx: np.ndarray, what: str) -> int:
    needed = int(idx.max()) + 1 if idx.size else 0
    if given is None:
        return needed
    given = int(given)
    if given < 0:
        raise ValueError(f"{what} must be >= 0")
    if needed > given:
        raise ValueError(f"{what} index {needed - 1} out of range for size {given}")
    return given


def _as_index(a: np.ndarray) -> np.ndarray:
    """Integer index array; integer input is kept as is (no copy), integral floats are converted."""
    if np.issubdtype(a.dtype, np.integer):
        return a
    if a.size and not (np.issubdtype(a.dtype, np.number) and np.all(np.mod(a, 1) == 0)):
        raise ValueError("participant and statement indices must be integers")
    return a.astype(np.int64)


def votes_from_arrays(
    participants: np.ndarray,
    statements: np.ndarray,
    votes: np.ndarray,
    n_participants: int | None = None,
    n_statements: int | None = None,
) -> Votes:
    """Build :class:`Votes` from three parallel arrays.

    If a participant voted on the same statement more than once, the *last* vote in array order counts
    (so pass the votes in chronological order).

    Raises:
        ValueError: on arrays of different length, negative or out-of-range indices, or a vote not in
            {-1, 0, 1}.
    """
    p = np.asarray(participants).ravel()
    s = np.asarray(statements).ravel()
    v = np.asarray(votes).ravel()
    if not (p.shape == s.shape == v.shape):
        raise ValueError("participants, statements and votes must have the same length")
    p = _as_index(p)
    s = _as_index(s)
    if p.size and (p.min() < 0 or s.min() < 0):
        raise ValueError("indices must be >= 0")
    if v.size and not np.all(np.isin(v, (-1, 0, 1))):
        raise ValueError("votes must be -1 (disagree), 0 (pass) or +1 (agree)")
    v = v.astype(np.int8)
    n_p = _infer_size(n_participants, p, "n_participants")
    n_s = _infer_size(n_statements, s, "n_statements")

    if p.size == 0:
        return Votes(n_p, n_s, np.zeros(n_p + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int8))
    # Fast path: SciPy's COO -> CSR conversion is a linear-time bucket sort. Carrying each vote's position
    # (1-based, so never zero) as the data tells us where every value comes from, provided there are no
    # duplicates (CSR conversion sums them, which we detect by the lost entries).
    position = np.arange(1, p.shape[0] + 1, dtype=np.int32 if p.shape[0] < 2**31 - 1 else np.int64)
    csr = sp.coo_array((position, (p, s)), shape=(n_p, n_s)).tocsr()
    del position
    if csr.nnz == p.shape[0]:
        csr.sort_indices()
        indptr = csr.indptr.astype(np.int64)
        cols = csr.indices.astype(np.int32, copy=False)
        np.subtract(csr.data, 1, out=csr.data)
        v = v[csr.data]
        return Votes(n_p, n_s, indptr, cols, np.ascontiguousarray(v))
    del csr
    # Duplicates: a stable sort keeps chronological order among equal (participant, statement) pairs;
    # keep the last of each run.
    key = p.astype(np.int64) * n_s + s
    order = np.argsort(key, kind="stable")
    key = key[order]
    v = v[order]
    last = np.ones(key.shape[0], dtype=bool)
    last[:-1] = key[1:] != key[:-1]
    key = key[last]
    v = v[last]
    del order, last
    rows = key // n_s
    cols = (key - rows * n_s).astype(np.int32)
    indptr = np.zeros(n_p + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_p), out=indptr[1:])
    return Votes(n_p, n_s, indptr, cols, np.ascontiguousarray(v))


def votes_from_sparse(
    matrix: sp.sparray | sp.spmatrix,
    n_participants: int | None = None,
    n_statements: int | None = None,
) -> Votes:
    """Build :class:`Votes` from a SciPy sparse matrix (participants x statements).

    Every *stored* entry is a vote, so a pass must be stored as an explicit zero (as
    :meth:`Votes.to_csr` does); entries that are not stored are "not voted". Duplicate entries of a COO
    matrix are resolved like :func:`votes_from_arrays` (last one counts).
    """
    coo = sp.coo_array(matrix)  # keeps explicit zeros
    n_p = coo.shape[0] if n_participants is None else n_participants
    n_s = coo.shape[1] if n_statements is None else n_statements
    if n_p < coo.shape[0] or n_s < coo.shape[1]:
        raise ValueError("n_participants / n_statements smaller than the matrix shape")
    return votes_from_arrays(coo.coords[0], coo.coords[1], coo.data, n_p, n_s)


def build_vote_matrix(
    participants: np.ndarray,
    statements: np.ndarray,
    votes: np.ndarray,
    n_participants: int | None = None,
    n_statements: int | None = None,
) -> sp.csr_array:
    """Convenience: a CSR vote matrix (passes as explicit zeros) from parallel arrays."""
    return votes_from_arrays(participants, statements, votes, n_participants, n_statements).to_csr()
