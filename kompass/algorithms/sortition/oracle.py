"""HiGHS helpers: the panel oracle (pricing MIP over type compositions) and small LP utilities."""

from __future__ import annotations

import highspy
import numpy as np

from .model import Instance

INF = highspy.kHighsInf


def new_highs(time_limit: float | None = None, mip: bool = False) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    if mip:
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.setOptionValue("mip_abs_gap", 1e-10)
        h.setOptionValue("mip_feasibility_tolerance", 1e-9)
    else:
        h.setOptionValue("primal_feasibility_tolerance", 1e-10)
        h.setOptionValue("dual_feasibility_tolerance", 1e-10)
        # column generation adds columns: primal simplex keeps the previous basis primal feasible
        h.setOptionValue("simplex_strategy", 4)
    return h


def add_panel_constraints(h: highspy.Highs, inst: Instance, offset: int = 0, relax: bool = False) -> list:
    """Add rows "sum x = k", quotas and household rows over columns offset..offset+T-1.

    With relax=True, returns the list of (category, value, kind, column) of the slack columns added so that
    the quotas can be violated at a cost (used for the infeasibility explanation).
    """
    nt = len(inst.types)
    idx = np.arange(offset, offset + nt, dtype=np.int32)
    h.addRow(inst.k, inst.k, nt, idx, np.ones(nt))
    slacks = []
    for cat, val, tis in inst.feature_index():
        lo, hi = inst.quotas[cat][val]
        cols = [offset + t for t in tis]
        if relax:
            base = h.getNumCol()
            h.addCols(2, np.ones(2), np.zeros(2), np.array([INF, INF]), 0, [], [], [])
            slacks.append((cat, val, "min", base))
            slacks.append((cat, val, "max", base + 1))
            h.addRow(lo, INF, len(cols) + 1, np.array(cols + [base], dtype=np.int32), np.ones(len(cols) + 1))
            h.addRow(
                -INF,
                hi,
                len(cols) + 1,
                np.array(cols + [base + 1], dtype=np.int32),
                np.array([1.0] * len(cols) + [-1.0]),
            )
        else:
            if not cols:
                if lo > 0:
                    h.addRow(lo, INF, 0, np.array([], dtype=np.int32), np.array([]))
                continue
            h.addRow(lo, hi, len(cols), np.array(cols, dtype=np.int32), np.ones(len(cols)))
    for group in inst.households:
        cols = np.array([offset + t for t in group], dtype=np.int32)
        h.addRow(-INF, 1, len(cols), cols, np.ones(len(cols)))
    return slacks


class PanelOracle:
    """Maximise a weighted sum over type compositions subject to quotas and household rules."""

    def __init__(self, inst: Instance, time_limit: float = 60.0):
        self.inst = inst
        nt = len(inst.types)
        self.nt = nt
        h = new_highs(time_limit, mip=True)
        lower = np.array([t.lower for t in inst.types], dtype=float)
        upper = np.array([t.count for t in inst.types], dtype=float)
        h.addCols(nt, np.zeros(nt), lower, upper, 0, [], [], [])
        h.changeColsIntegrality(nt, np.arange(nt, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * nt))
        add_panel_constraints(h, inst)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.h = h
        self.calls = 0

    def solve(self, weights: np.ndarray) -> tuple[tuple[int, ...] | None, float, float]:
        """Return (panel, value, upper bound); panel None if infeasible or no solution within the limit."""
        h = self.h
        self.calls += 1
        h.changeColsCost(self.nt, np.arange(self.nt, dtype=np.int32), np.asarray(weights, dtype=float))
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None, -np.inf, -np.inf
        info = h.getInfo()
        if info.primal_solution_status == 0:
            return None, -np.inf, np.inf
        x = np.rint(np.array(h.getSolution().col_value[: self.nt])).astype(int)
        value = float(np.dot(weights, x))
        bound = info.mip_dual_bound
        bound = value if not np.isfinite(bound) and status == highspy.HighsModelStatus.kOptimal else bound
        bound = max(bound, value) if np.isfinite(bound) else np.inf
        return tuple(int(v) for v in x), value, bound

    def feasible_panel(self) -> tuple[int, ...] | None:
        panel, _, _ = self.solve(np.zeros(self.nt))
        return panel


class SwapSearch:
    """Cheap pricing heuristic: best-improvement 1-swaps (remove one member of type a, add one of type b)
    from a feasible panel, keeping every quota and household rule. Used before the exact MIP."""

    def __init__(self, inst: Instance):
        feats = inst.feature_index()
        fpos = {(c, v): i for i, (c, v, _) in enumerate(feats)}
        self.F = np.array(
            [[fpos[(c, t.profile[ci])] for ci, c in enumerate(inst.categories)] for t in inst.types],
            dtype=np.int64,
        ).reshape(len(inst.types), len(inst.categories))
        self.fmin = np.array([inst.quotas[c][v][0] for c, v, _ in feats])
        self.fmax = np.array([inst.quotas[c][v][1] for c, v, _ in feats])
        self.counts = np.array(inst.counts)
        self.lower = np.array([t.lower for t in inst.types])
        self.hh = np.full(len(inst.types), -1)
        for gi, group in enumerate(inst.households):
            self.hh[list(group)] = gi
        self.ngroups = len(inst.households)
        self.same_c = [self.F[:, None, c] == self.F[None, :, c] for c in range(self.F.shape[1])]

    def improve(self, x: np.ndarray, w: np.ndarray, max_steps: int = 60) -> np.ndarray:
        x = x.copy()
        ncat = self.F.shape[1]
        cnt = np.bincount(self.F.ravel(), weights=np.repeat(x, ncat), minlength=len(self.fmin)).astype(np.int64)
        room_rm = cnt - 1 >= self.fmin  # per feature value: one fewer still meets the min
        room_add = cnt + 1 <= self.fmax
        for _ in range(max_steps):
            rows = np.nonzero(x > self.lower)[0]  # types we may remove one member from
            if not rows.size:  # every selected member is fixed: no swap is possible
                break
            ok = np.broadcast_to(x < self.counts, (len(rows), len(x))).copy()
            Fa = self.F[rows]
            for c in range(ncat):
                # a value changes in category c unless a and b share it; then a's value must allow one fewer
                # and b's value one more
                ok &= self.same_c[c][rows] | (room_rm[Fa[:, c]][:, None] & room_add[self.F[:, c]][None, :])
            if self.ngroups:
                used = np.zeros(self.ngroups)
                hm = self.hh >= 0
                np.add.at(used, self.hh[hm], x[hm])
                free_b = (self.hh < 0) | (used[np.maximum(self.hh, 0)] == 0)
                ha = self.hh[rows]
                ok &= free_b[None, :] | ((ha[:, None] == self.hh[None, :]) & (ha[:, None] >= 0))
            gain = np.where(ok, w[None, :] - w[rows][:, None], -np.inf)
            ai, b = np.unravel_index(np.argmax(gain), gain.shape)
            if not gain[ai, b] > 1e-12:
                break
            a = rows[ai]
            x[a] -= 1
            x[b] += 1
            cnt[self.F[a]] -= 1
            cnt[self.F[b]] += 1
            room_rm = cnt - 1 >= self.fmin
            room_add = cnt + 1 <= self.fmax
        return x


def solve_lp(h: highspy.Highs) -> bool:
    """Run a master LP; on a non-optimal status (HiGHS occasionally reports "Unknown" after numerical trouble
    in warm-started primal simplex) retry from scratch with dual simplex, then with looser tolerances.
    Deterministic. Returns True when optimal."""
    h.run()
    if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        return True
    attempts = (
        {"simplex_strategy": 1},
        {"simplex_strategy": 1, "primal_feasibility_tolerance": 1e-9, "dual_feasibility_tolerance": 1e-9},
        {"simplex_strategy": 0, "primal_feasibility_tolerance": 1e-8, "dual_feasibility_tolerance": 1e-8},
    )
    ok = False
    for opts in attempts:
        for key, val in opts.items():
            h.setOptionValue(key, val)
        h.clearSolver()
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            ok = True
            break
    h.setOptionValue("simplex_strategy", 4)
    h.setOptionValue("primal_feasibility_tolerance", 1e-10)
    h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    return ok
