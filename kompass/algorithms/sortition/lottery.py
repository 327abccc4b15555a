"""Transparent lottery: round a panel distribution to a uniform lottery over m panels, publish its hash,
and draw one panel (and its concrete members) deterministically from a public seed."""

from __future__ import annotations

import hashlib
import json

import highspy
import numpy as np

from .model import Instance
from .oracle import INF, new_highs


def round_to_uniform(
    panels: list[tuple[int, ...]],
    weights: np.ndarray,
    counts: np.ndarray,
    m: int = 1000,
    time_limit: float = 60.0,
    max_nodes: int = 20,
    mip_size: int = 20_000,
    max_moves: int = 400,
) -> tuple[list[int], float]:
    """Integer multiplicities n_j >= 0, sum m, with a small largest change of any type's (= member's)
    selection probability. Returns (multiplicities, achieved max change).

    Largest-remainder rounding, then a deterministic local search (move one of the m slots from one panel to
    another while that lowers the largest change), then, for small problems (panels x types <= mip_size), the
    integer program limited by a node count. Every step is deterministic, so `verify` reproduces the list."""
    weights = np.asarray(weights, dtype=float)
    A = np.array(panels, dtype=float) / np.asarray(counts, dtype=float)  # [j, t]
    target = weights @ A
    # start: largest-remainder rounding
    base = np.floor(weights * m).astype(int)
    rest = m - base.sum()
    order = np.lexsort((np.arange(len(weights)), -(weights * m - base)))
    base[order[:rest]] += 1

    def err(nj):
        return float(np.max(np.abs((nj @ A) / m - target))) if len(nj) else 0.0

    J, T = A.shape
    best = _local_search(base.copy(), A, target, m, max_moves) if J > 1 else base
    if 1 < J and J * T <= mip_size:
        h = new_highs(time_limit, mip=True)
        h.setOptionValue("mip_rel_gap", 1e-4)
        h.setOptionValue("mip_max_nodes", int(max_nodes))  # deterministic effort limit (not time)
        h.addCols(J, np.zeros(J), np.zeros(J), np.full(J, float(m)), 0, [], [], [])
        h.changeColsIntegrality(J, np.arange(J, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * J))
        h.addCol(1.0, 0.0, INF, 0, np.array([], dtype=np.int32), np.array([]))  # e, column J
        h.addRow(m, m, J, np.arange(J, dtype=np.int32), np.ones(J))
        for t in range(T):
            nz = np.nonzero(A[:, t])[0]
            idx = np.concatenate((nz, [J])).astype(np.int32)
            coef = A[nz, t] / m
            # sum_j n_j a_jt / m - target_t <= e  and  >= -e
            h.addRow(-INF, target[t], len(idx), idx, np.concatenate((coef, [-1.0])))
            h.addRow(target[t], INF, len(idx), idx, np.concatenate((coef, [1.0])))
        start = highspy.HighsSolution()
        start.col_value = list(best.astype(float)) + [err(best)]
        h.setSolution(start)
        h.run()
        if h.getInfo().primal_solution_status != 0:
            cand = np.rint(np.array(h.getSolution().col_value[:J])).astype(int)
            if cand.sum() == m and (cand >= 0).all() and err(cand) <= err(best):
                best = cand
    return [int(v) for v in best], err(best)


def _local_search(n: np.ndarray, A: np.ndarray, target: np.ndarray, m: int, max_moves: int, tries: int = 4):
    """Greedy 1-slot moves against the type with the largest change (ties broken by index)."""
    err = n @ A / m - target
    for _ in range(max_moves):
        cur = float(np.abs(err).max())
        t = int(np.argmax(np.abs(err)))
        sign = 1.0 if err[t] > 0 else -1.0
        donors = np.nonzero(n > 0)[0]
        donors = donors[np.argsort(-sign * A[donors, t], kind="stable")][:tries]
        best_val, move = cur - 1e-15, None
        for j in donors:
            val = np.abs(err[None, :] + (A - A[j][None, :]) / m).max(axis=1)
            val[j] = np.inf
            jj = int(np.argmin(val))
            if val[jj] < best_val:
                best_val, move = float(val[jj]), (int(j), jj)
        if move is None:
            break
        j, jj = move
        n[j] -= 1
        n[jj] += 1
        err += (A[jj] - A[j]) / m
    return n


def canonical_lottery(inst: Instance, panels: list[tuple[int, ...]], mult: list[int]) -> dict:
    """The published lottery: types (profile + member ids) and the sorted list of m type-level panels."""
    listing = []
    for p, c in zip(panels, mult, strict=True):
        listing.extend([list(p)] * c)
    listing.sort()
    return {
        "format": "kompass-sortition-lottery/1",
        "k": inst.k,
        "categories": list(inst.categories),
        "types": [{"profile": list(t.profile), "members": list(t.members)} for t in inst.types],
        "panels": listing,
    }


def lottery_hash(lottery: dict) -> str:
    data = json.dumps(lottery, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _h(*parts: str) -> int:
    return int(hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest(), 16)


def draw(lottery: dict, seed: str, list_hash: str | None = None) -> tuple[int, list[str]]:
    """Pick panel number int(SHA-256(seed, list hash)) mod m, then for each type choose its x_t members as the
    ones with the smallest SHA-256(seed, list hash, member id). Returns (panel index, sorted member ids)."""
    list_hash = list_hash or lottery_hash(lottery)
    m = len(lottery["panels"])
    idx = _h("panel", str(seed), list_hash) % m
    chosen: list[str] = []
    for t, x in zip(lottery["types"], lottery["panels"][idx], strict=True):
        if x:
            ranked = sorted(t["members"], key=lambda mid: (_h("member", str(seed), list_hash, mid), mid))
            chosen.extend(ranked[:x])
    return idx, sorted(chosen)
