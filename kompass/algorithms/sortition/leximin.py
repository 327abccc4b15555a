"""LEXIMIN and MAXIMIN over type compositions by column generation (Flanigan et al., Nature 2021).

Master LP (one per level), over a growing set of panels P with weights lambda_P:

    max z  s.t.  sum_P lambda_P = 1,
                 sum_P lambda_P x_{P,t} / c_t >= z      for every type t not yet fixed,
                 sum_P lambda_P x_{P,t} / c_t >= p_t    for every fixed type t (p_t its level),
                 lambda >= 0.

With duals y_t >= 0 of the type rows, the best new panel maximises sum_t y_t / c_t * x_t (pricing MIP). When
no panel prices out, the LP value is optimal over *all* panels. Types with a strictly positive dual are tight
in every optimal solution (complementary slackness), so they are fixed at the level and the next level is
solved.
Because the duals of the non-fixed rows sum to one, each level fixes at least one type.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from .model import Instance
from .oracle import INF, PanelOracle, SwapSearch, new_highs, solve_lp

DUAL_TOL = 1e-7  # a dual above this marks a type as tight
PRICE_TOL = 1e-10  # minimal reduced-cost improvement for a new column
FIX_SLACK = 1e-9  # fixed types may lose at most this much probability in later levels


class SolveError(RuntimeError):
    pass


@dataclass
class Distribution:
    panels: list[tuple[int, ...]]  # type compositions
    weights: np.ndarray  # probabilities, sum 1
    type_prob: np.ndarray  # per-type (= per-member) selection probability
    levels: list[float] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


class ColumnPool:
    """Panels found so far (shared between objectives), with their per-type probability contributions."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.counts = np.array(inst.counts, dtype=float)
        self.panels: list[tuple[int, ...]] = []
        self.index: dict[tuple[int, ...], int] = {}

    def add(self, panel: tuple[int, ...]) -> bool:
        if panel in self.index:
            return False
        self.index[panel] = len(self.panels)
        self.panels.append(panel)
        return True

    def column(self, panel: tuple[int, ...]) -> np.ndarray:
        return np.asarray(panel, dtype=float) / self.counts


def seed_columns(pool: ColumnPool, oracle: PanelOracle, n_swaps: int = 0) -> None:
    """A feasible panel, panels covering every selectable type, and up to n_swaps diverse panels from swap
    searches with pseudo-random weights (fixed internal seed, so the result is deterministic)."""
    base = oracle.feasible_panel()
    if base is None:
        raise SolveError("quotas are infeasible")
    pool.add(base)
    swaps = SwapSearch(pool.inst)
    # coverage: panels that together contain every type that can be selected at all (else the first LP is 0)
    covered = np.array(base) > 0
    x0 = np.array(base)
    for _ in range(len(covered)):
        if covered.all():
            break
        w = np.where(covered, 0.0, 1.0)
        cand = swaps.improve(x0, w, max_steps=pool.inst.k)
        if not (cand[~covered] > 0).any():
            panel, value, _ = oracle.solve(w)  # exact: is any uncovered type selectable at all?
            if panel is None or value < 0.5:
                break
            cand = np.array(panel)
        pool.add(tuple(int(v) for v in cand))
        covered |= cand > 0
    if n_swaps:
        rng = np.random.default_rng(12345)
        x0 = np.array(base)
        for _ in range(n_swaps):
            cand = swaps.improve(x0, rng.random(len(x0)) / pool.counts)
            pool.add(tuple(int(v) for v in cand))


def leximin(
    inst: Instance,
    oracle: PanelOracle | None = None,
    maximin_only: bool = False,
    time_limit: float = 300.0,
    progress=None,
    max_starts: int = 5,
    n_swaps: int = 40,
    smoothing: float = 0.0,
) -> Distribution:
    t0 = time.perf_counter()
    oracle = oracle or PanelOracle(inst)
    pool = ColumnPool(inst)
    seed_columns(pool, oracle, n_swaps)
    nt = len(inst.types)
    counts = pool.counts

    h = new_highs()
    # column 0: z ; rows 0: sum lambda = 1 ; rows 1..nt: types
    h.addCol(-1.0, 0.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
    h.addRow(1.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
    fixed = np.zeros(nt, dtype=bool)
    level = np.zeros(nt)
    for t in range(nt):
        forced = inst.types[t].lower >= inst.types[t].count
        if forced:
            fixed[t] = True
            level[t] = 1.0
            h.addRow(0.0, INF, 0, np.array([], dtype=np.int32), np.array([]))
        else:
            h.addRow(0.0, INF, 1, np.array([0], dtype=np.int32), np.array([-1.0]))

    def add_lp_col(panel):
        col = pool.column(panel)
        nz = np.nonzero(col)[0]
        idx = np.concatenate(([0], nz + 1)).astype(np.int32)
        vals = np.concatenate(([1.0], col[nz]))
        h.addCol(0.0, 0.0, INF, len(idx), idx, vals)

    for p in pool.panels:
        add_lp_col(p)

    levels: list[float] = []
    lp_solves = 0
    heuristic_cols = 0
    max_gap = 0.0  # largest unproven optimality gap of a level (0 when every pricing MIP was solved)
    swaps = SwapSearch(inst)
    while not fixed.all():
        if time.perf_counter() - t0 > time_limit:
            raise SolveError(f"LEXIMIN did not finish within {time_limit} s")
        # column generation for this level
        y_smooth = None
        while True:
            if time.perf_counter() - t0 > time_limit:
                raise SolveError(f"LEXIMIN did not finish within {time_limit} s")
            lp_solves += 1
            if not solve_lp(h):
                raise SolveError(f"master LP not optimal: {h.modelStatusToString(h.getModelStatus())}")
            sol = h.getSolution()
            duals = np.array(sol.row_dual)
            y0 = duals[0]
            y = np.maximum(duals[1:], 0.0)
            w = y / counts
            # dual smoothing against tailing-off: the heuristic prices with a running average of the duals
            # (reset at each level); columns are accepted only if they improve under the true duals
            y_smooth = y if y_smooth is None else smoothing * y_smooth + (1 - smoothing) * y
            # cheap heuristic pricing: 1-swap local search from the panels in the current support
            lam_now = np.array(sol.col_value[1:])
            found = False
            starts = [j for j in np.argsort(-lam_now)[:max_starts] if lam_now[j] > 1e-12]
            for weights in (y_smooth / counts, w) if smoothing else (w,):
                for j in starts:
                    cand = swaps.improve(np.array(pool.panels[j]), weights)
                    if float(w @ cand) + y0 > PRICE_TOL and pool.add(tuple(int(v) for v in cand)):
                        add_lp_col(pool.panels[-1])
                        found = True
                if found:
                    break
            if found:
                heuristic_cols += 1
                continue
            panel, value, bound = oracle.solve(w)
            if panel is None:
                raise SolveError("pricing MIP failed (time limit?)")
            # reduced cost of a panel column is -(w.x) - y0 (HiGHS sign convention for minimisation)
            if value + y0 > PRICE_TOL and pool.add(panel):
                add_lp_col(panel)
                continue
            # the MIP bound certifies the level unless the MIP stopped early (time limit)
            gap = bound + y0
            if gap > 1e-7:
                max_gap = max(max_gap, gap)
            break
        z = float(sol.col_value[0])
        levels.append(z)
        if progress:
            progress(int(fixed.sum()), nt, z)
        tight = (~fixed) & (y > DUAL_TOL)
        if not tight.any():
            # numerically flat duals: fix the non-fixed types with the largest dual
            cand = np.where(~fixed)[0]
            tight[cand[np.argmax(y[cand])]] = True
        if maximin_only:
            break
        for t in np.where(tight)[0]:
            fixed[t] = True
            level[t] = z
            h.changeCoeff(int(t) + 1, 0, 0.0)
            h.changeRowBounds(int(t) + 1, max(z - FIX_SLACK, 0.0), INF)

    lam = np.maximum(np.array(h.getSolution().col_value[1:]), 0.0)
    return _finish(
        pool,
        lam,
        levels,
        t0,
        {
            "lp_solves": lp_solves,
            "pricing_calls": oracle.calls,
            "heuristic_rounds": heuristic_cols,
            "unproven_gap": max_gap,
        },
    )


def _finish(pool: ColumnPool, lam: np.ndarray, levels, t0, stats) -> Distribution:
    lam = np.where(lam > 1e-12, lam, 0.0)
    lam = lam / lam.sum()
    keep = np.nonzero(lam)[0]
    panels = [pool.panels[i] for i in keep]
    weights = lam[keep]
    mat = np.array(panels, dtype=float) / pool.counts
    type_prob = weights @ mat
    stats = dict(stats, columns=len(pool.panels), seconds=time.perf_counter() - t0)
    return Distribution(panels, weights, type_prob, levels, stats)


def maximin(inst: Instance, oracle: PanelOracle | None = None, **kw) -> Distribution:
    return leximin(inst, oracle, maximin_only=True, **kw)
