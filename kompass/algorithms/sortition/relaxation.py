"""LEXIMIN over the LP relaxation of the panel polytope, and a Caratheodory decomposition into integer panels.

Let H be the convex hull of all quota-satisfying panels (integer type compositions x) and R >= H the polytope
of the same constraints without integrality (expected counts q_t in [lb_t, c_t], sum q = k, quota and
household rows). Every distribution over panels has its expected composition in H, hence in R. So the
LEXIMIN point of R, computed by a short sequence of ordinary LPs (no column generation), is an upper bound in
the leximin order for every lottery; if it lies in H, it *is* the LEXIMIN optimum of the lottery problem.

Membership is shown constructively: `caratheodory` peels integer panels off the target point. Each step
finds an integer panel in the smallest face of R containing the residual point (LP vertex, then a small MIP on
the fractional variables, then the full MIP), subtracts the largest multiple that keeps the residual in R,
and so makes at least one more constraint tight; so there are at most dim(R) + 1 steps. The result is
checked (and tiny numerical shortfalls repaired) by the exact master LP in leximin.py, which certifies the
final distribution.
"""

from __future__ import annotations

import time

import highspy
import numpy as np

from .model import Instance
from .oracle import INF, new_highs, solve_lp

FIX_SLACK_R = 1e-10  # fixed levels in the relaxed LEXIMIN may lose this much expected count


class PanelPolytope:
    """The constraint matrices of R: quota rows M (one per feature value that some type has), households H."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.nt = len(inst.types)
        self.c = np.array(inst.counts, dtype=float)
        self.lower = np.array([t.lower for t in inst.types], dtype=float)
        rows, lo, hi = [], [], []
        for cat, val, tis in inst.feature_index():
            if tis:
                rows.append(tis)
                q = inst.quotas[cat][val]
                lo.append(q[0])
                hi.append(q[1])
        self.M = np.zeros((len(rows), self.nt))
        for i, tis in enumerate(rows):
            self.M[i, tis] = 1.0
        self.lo, self.hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
        self.H = np.zeros((len(inst.households), self.nt))
        for i, g in enumerate(inst.households):
            self.H[i, list(g)] = 1.0

    def model(self, integer: bool = False, time_limit: float | None = None) -> highspy.Highs:
        """A HiGHS model over x (columns 0..nt-1): row 0 sum = k, rows 1..F quotas, then households."""
        nt = self.nt
        h = new_highs(time_limit, mip=integer)
        h.addCols(nt, np.zeros(nt), self.lower, self.c, 0, [], [], [])
        if integer:
            h.changeColsIntegrality(nt, np.arange(nt, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * nt))
        else:
            h.setOptionValue("simplex_strategy", 1)
        h.addRow(self.inst.k, self.inst.k, nt, np.arange(nt, dtype=np.int32), np.ones(nt))
        for i in range(len(self.lo)):
            idx = np.nonzero(self.M[i])[0].astype(np.int32)
            h.addRow(self.lo[i], self.hi[i], len(idx), idx, np.ones(len(idx)))
        for i in range(len(self.H)):
            idx = np.nonzero(self.H[i])[0].astype(np.int32)
            h.addRow(-INF, 1.0, len(idx), idx, np.ones(len(idx)))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        return h


def relaxed_leximin(
    poly: PanelPolytope, fixed: dict[int, float] | None = None, dual_tol: float = 1e-9
) -> tuple[np.ndarray, list[tuple[float, int]]]:
    """LEXIMIN probabilities over R (types forced onto the panel count as fixed at 1; `fixed` maps further
    types to levels they must keep). Returns (probability per type, [(level, types fixed at it)])."""
    nt, c = poly.nt, poly.c
    h = poly.model()
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    base = h.getNumRow()
    zc = nt
    h.addCol(-1.0, 0.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
    level = np.zeros(nt)
    is_fixed = poly.lower >= c
    level[is_fixed] = 1.0
    for t, v in (fixed or {}).items():
        is_fixed[t] = True
        level[t] = v
    for t in range(nt):
        if is_fixed[t]:
            h.addRow(max(level[t] * c[t] - FIX_SLACK_R, 0.0), INF, 1, np.array([t], dtype=np.int32), np.ones(1))
        else:
            h.addRow(0.0, INF, 2, np.array([t, zc], dtype=np.int32), np.array([1.0, -c[t]]))
    levels: list[tuple[float, int]] = []
    while not is_fixed.all():
        if not solve_lp(h):
            raise RuntimeError("relaxed LEXIMIN LP not optimal: " + h.modelStatusToString(h.getModelStatus()))
        sol = h.getSolution()
        z = float(sol.col_value[zc])
        y = np.array(sol.row_dual[base:])
        tight = (~is_fixed) & (y > dual_tol)
        if not tight.any():  # numerically flat duals: fix the free type with the largest dual
            cand = np.nonzero(~is_fixed)[0]
            tight[cand[np.argmax(y[cand])]] = True
        levels.append((z, int(tight.sum())))
        for t in np.nonzero(tight)[0]:
            is_fixed[t] = True
            level[t] = z
            h.changeCoeff(base + int(t), zc, 0.0)
            h.changeRowBounds(base + int(t), max(z * c[t] - FIX_SLACK_R, 0.0), INF)
    return np.minimum(level, 1.0), levels


class FaceRepair:
    """Cheap first try for a panel in a face of R: start from the previous panel (which lay in the previous,
    larger face), clip it to the face's type bounds, and repair the quota rows by best 1-swaps (one member of
    type a out, one of type b in) that reduce the total quota violation, ties broken by the objective. Returns
    None at a local minimum; the caller then asks the MIP. Pools with household rules skip it."""

    def __init__(self, poly: PanelPolytope):
        self.poly = poly
        self.active = len(poly.H) == 0
        rows = {}
        i = 0
        for cat, val, tis in poly.inst.feature_index():
            if tis:
                rows[(cat, val)] = i
                i += 1
        inst = poly.inst
        self.F = np.array([[rows[(c, t.profile[ci])] for ci, c in enumerate(inst.categories)] for t in inst.types],
                          dtype=np.int64).reshape(poly.nt, len(inst.categories))

    def find(self, start, w, lb, ub, qlo, qhi, max_steps: int = 200) -> np.ndarray | None:
        if not self.active or start is None:
            return None
        k = self.poly.inst.k
        x = np.clip(np.asarray(start, dtype=float), lb, ub)
        gap = int(round(k - x.sum()))
        order = np.argsort(-w)
        for t in order if gap > 0 else order[::-1]:  # restore sum x = k, preferring the objective
            if gap == 0:
                break
            room = (ub[t] - x[t]) if gap > 0 else (x[t] - lb[t])
            step = min(abs(gap), int(room))
            if step > 0:
                x[t] += step if gap > 0 else -step
                gap += -step if gap > 0 else step
        if gap:
            return None
        F = self.F
        ncat = F.shape[1]
        s = self.poly.M @ x

        def viol(v):
            return np.maximum(np.maximum(qlo - v, v - qhi), 0.0)

        for _ in range(max_steps):
            cur = viol(s)
            if cur.sum() <= 0.5:
                return x
            dm, dp = viol(s - 1) - cur, viol(s + 1) - cur
            a_idx = np.nonzero(x > lb)[0]
            b_ok = x < ub
            delta = np.zeros((len(a_idx), len(x)))
            Fa = F[a_idx]
            for c in range(ncat):
                diff = Fa[:, c][:, None] != F[:, c][None, :]
                delta += np.where(diff, dm[Fa[:, c]][:, None] + dp[F[:, c]][None, :], 0.0)
            score = np.where(b_ok[None, :], delta - 1e-6 * (w[None, :] - w[a_idx][:, None]), np.inf)
            ai, b = np.unravel_index(np.argmin(score), score.shape)
            if not delta[ai, b] < -0.5:
                return None
            a = a_idx[ai]
            x[a] -= 1
            x[b] += 1
            s[F[a]] -= 1
            s[F[b]] += 1
        return None


class FaceOracle:
    """Integer panels inside a face of R: repair of the previous panel, LP vertex, then RENS (MIP over the LP's
    fractional variables only), then the full MIP."""

    def __init__(self, poly: PanelPolytope, mip_time_limit: float = 30.0):
        self.poly = poly
        self.repair = FaceRepair(poly)
        self.previous: np.ndarray | None = None
        self.lp = poly.model()
        self.mip = poly.model(integer=True, time_limit=mip_time_limit)
        # any panel in the face will do and the objective only steers the step length: a loose gap is much
        # cheaper than proving optimality (measured in ADR 0060)
        self.mip.setOptionValue("mip_rel_gap", 0.5)
        self.stats = {"repair": 0, "lp": 0, "rens": 0, "mip": 0}

    def find(self, w, lb, ub, qlo, qhi, time_limit: float) -> np.ndarray | None:
        x = self._find(w, lb, ub, qlo, qhi, time_limit)
        if x is not None:
            self.previous = x
        return x

    def _find(self, w, lb, ub, qlo, qhi, time_limit: float) -> np.ndarray | None:
        nt, nq = self.poly.nt, len(qlo)
        t0 = time.perf_counter()
        x = self.repair.find(self.previous, w, lb, ub, qlo, qhi)
        self.stats["seconds_repair"] = self.stats.get("seconds_repair", 0.0) + time.perf_counter() - t0
        if x is not None:
            self.stats["repair"] += 1
            return x
        cols = np.arange(nt, dtype=np.int32)
        qrows = np.arange(1, 1 + nq, dtype=np.int32)
        xl = None
        for kind in ("lp", "rens", "mip"):
            h = self.lp if kind == "lp" else self.mip
            if kind == "rens":  # the LP step either returned or left its fractional point in xl
                lbk, ubk = np.maximum(lb, np.floor(xl + 1e-9)), np.minimum(ub, np.ceil(xl - 1e-9))
            else:
                lbk, ubk = lb, ub
            if kind != "lp":
                h.setOptionValue("time_limit", max(0.5, float(time_limit)))
            h.changeColsBounds(nt, cols, lbk, ubk)
            if nq:
                h.changeRowsBounds(nq, qrows, qlo, qhi)
            h.changeColsCost(nt, cols, w)
            self.stats[kind] += 1
            t0 = time.perf_counter()
            h.run()
            self.stats["seconds_" + kind] = self.stats.get("seconds_" + kind, 0.0) + time.perf_counter() - t0
            if h.getInfo().primal_solution_status == 0:
                if kind == "lp":
                    return None  # the face has no point at all (numerically): stop
                continue
            x = np.array(h.getSolution().col_value[:nt])
            if kind == "lp":
                xl = x
            if np.abs(x - np.rint(x)).max() < 1e-9:
                return np.rint(x)
        return None


def caratheodory(
    poly: PanelPolytope,
    target: np.ndarray,
    deadline: float,
    eps: float = 1e-9,
    start: tuple[list, list] | None = None,
    progress=None,
) -> tuple[list[tuple[int, ...]], list[float], float, dict]:
    """Peel integer panels off the expected composition target * c. Returns (panels, weights, mass left,
    stats); stops early at a dead end (the residual left H), on the deadline, or when little mass is left.
    The panels are valid in any case; their weights are only a starting point for the master LP.
    `start` = (panels, weights) of an interrupted run continues it (the residual is recomputed from them)."""
    c, lower, M, H = poly.c, poly.lower, poly.M, poly.H
    lo, hi = poly.lo, poly.hi
    oracle = FaceOracle(poly)
    absolute = np.clip(target * c, lower, c)
    remaining = 1.0
    panels: list[tuple[int, ...]] = []
    weights: list[float] = []
    for p, wt in zip(*(start or ([], [])), strict=True):
        panels.append(tuple(int(v) for v in p))
        weights.append(float(wt))
        absolute = absolute - float(wt) * np.asarray(p, dtype=float)
        remaining -= float(wt)
    if remaining <= 1e-9:
        return panels, weights, max(remaining, 0.0), dict(oracle.stats, steps=len(panels), status="done")
    absolute = np.clip(absolute, 0.0, c * remaining)
    r = absolute / remaining
    status = "done"
    while remaining > 1e-9:
        left = deadline - time.perf_counter()
        if left <= 0:
            status = "time limit"
            break
        lb = np.minimum(np.where(r >= c - eps, c, lower), np.where(r <= eps, 0.0, c))
        ub = np.where(r <= eps, 0.0, c)
        sr = M @ r
        qlo = np.where(sr >= hi - eps, hi, lo)
        qhi = np.where(sr <= lo + eps, lo, hi)
        x = oracle.find(r / c, lb, ub, qlo, qhi, min(30.0, left))
        if x is None:
            status = "dead end"
            break
        theta = 1.0
        m = x > 0
        if m.any():
            theta = min(theta, float(np.min(r[m] / x[m])))
        m = x < c
        if m.any():
            theta = min(theta, float(np.min((c[m] - r[m]) / (c[m] - x[m]))))
        sx = M @ x
        m = sx > lo + 1e-12
        if m.any():
            theta = min(theta, float(np.min((sr[m] - lo[m]) / (sx[m] - lo[m]))))
        m = sx < hi - 1e-12
        if m.any():
            theta = min(theta, float(np.min((hi[m] - sr[m]) / (hi[m] - sx[m]))))
        if len(H):
            hx, hr = H @ x, H @ r
            m = hx < 1 - 1e-12
            if m.any():
                theta = min(theta, float(np.min((1 - hr[m]) / (1 - hx[m]))))
        if theta < 1e-12:
            status = "dead end"
            break
        panels.append(tuple(int(v) for v in x))
        weights.append(theta * remaining)
        if progress is not None:
            progress(len(panels), remaining * (1 - theta))
        if theta >= 1 - 1e-12:
            remaining = 0.0
            break
        # keep the residual in absolute terms (expected counts still to cover) so errors do not blow up
        absolute = absolute - theta * remaining * x
        remaining *= 1 - theta
        absolute = np.clip(absolute, 0.0, c * remaining)
        r = absolute / remaining
    return panels, weights, remaining, dict(oracle.stats, steps=len(panels), status=status)
