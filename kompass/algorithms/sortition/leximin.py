"""LEXIMIN and MAXIMIN over type compositions (Flanigan et al., Nature 2021), certified, with partial results.

Main path (see relaxation.py and ADR 0060):

1. LEXIMIN of the LP relaxation R (a few dozen small LPs): an upper bound, in the leximin order, on every
   lottery's selection probabilities.
2. Caratheodory peeling of that target into integer panels (one LP / small MIP per panel).
3. An exact master LP over the panels found, minimising the total shortfall below the target, with column
   generation (1-swap heuristic, LP-relaxation bound, exact pricing MIP). Shortfall 0 certifies the result: it
   attains an upper bound, so every level is optimal. If pricing proves a positive shortfall, the target is not
   attainable (R has a fractional corner there) and step 4 runs.
4. Fallback: the classic level-by-level column generation. Per level, a master LP maximises z subject to
   "probability >= z" for free types and ">= fixed level" for fixed types; the pricing bound certifies the level;
   types with a strictly positive dual are tight in every optimal solution (complementary slackness) and are
   all fixed at once.

On the time limit the current master LP solution is returned: a valid lottery over quota-satisfying panels,
marked incomplete, with a proven lower and upper bound on the minimum probability and a resumable state (the
column pool and the levels certified so far).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .model import Instance
from .oracle import INF, PanelOracle, SwapSearch, new_highs, solve_lp
from .relaxation import PanelPolytope, caratheodory, relaxed_leximin

DUAL_TOL = 1e-7  # a dual above this marks a type as tight
PRICE_TOL = 1e-10  # minimal reduced-cost improvement for a new column
FIX_SLACK = 1e-9  # fixed types may lose at most this much probability in later levels
ATTAIN_TOL = 1e-7  # largest shortfall of any type below the relaxed LEXIMIN target that counts as attained
STATE_FORMAT = "kompass-leximin-state/1"


class SolveError(RuntimeError):
    pass


@dataclass
class Distribution:
    panels: list[tuple[int, ...]]  # type compositions
    weights: np.ndarray  # probabilities, sum 1
    type_prob: np.ndarray  # per-type (= per-member) selection probability
    levels: list[float] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    complete: bool = True  # False: stopped at the time limit, not (yet) proven LEXIMIN
    certificate: dict = field(default_factory=dict)
    state: dict | None = None  # resumable state (column pool + certified levels)


class ColumnPool:
    """Panels found so far (shared between objectives), with their per-type probability contributions."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.counts = np.array(inst.counts, dtype=float)
        self.panels: list[tuple[int, ...]] = []
        self.index: dict[tuple[int, ...], int] = {}

    def add(self, panel: tuple[int, ...]) -> bool:
        panel = tuple(int(v) for v in panel)
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


def fingerprint(inst: Instance) -> str:
    """Identifies the instance a resumable state belongs to (types, counts, quotas, households, k)."""
    data = {
        "k": inst.k,
        "types": [[list(t.profile), t.count, t.lower, t.household] for t in inst.types],
        "quotas": {c: {v: list(q) for v, q in vs.items()} for c, vs in inst.quotas.items()},
        "households": [list(g) for g in inst.households],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=True).encode()).hexdigest()


class _Pricing:
    """Exact pricing with cheap steps first: 1-swaps from support panels, the LP relaxation (an upper bound
    that often certifies on its own), then the MIP."""

    def __init__(self, inst: Instance, oracle: PanelOracle, poly: PanelPolytope):
        self.swaps = SwapSearch(inst)
        self.oracle = oracle
        self.lp = poly.model()
        self.nt = poly.nt
        self.calls = {"swap": 0, "lp": 0, "mip": 0}

    def heuristic(self, pool: ColumnPool, lam: np.ndarray, w: np.ndarray, y0: float, starts: int) -> list:
        out = []
        for j in np.argsort(-lam)[:starts]:
            if lam[j] <= 1e-12:
                break
            self.calls["swap"] += 1
            cand = self.swaps.improve(np.array(pool.panels[j]), w)
            if float(w @ cand) + y0 > PRICE_TOL:
                out.append(tuple(int(v) for v in cand))
        return out

    def exact(self, w: np.ndarray, y0: float) -> tuple[tuple[int, ...] | None, float]:
        """(improving panel or None, proven bound on the best reduced-cost improvement)."""
        self.calls["lp"] += 1
        h = self.lp
        h.changeColsCost(self.nt, np.arange(self.nt, dtype=np.int32), w)
        h.run()
        if h.getInfo().primal_solution_status != 0:
            x = np.array(h.getSolution().col_value[: self.nt])
            lp_bound = float(h.getInfo().objective_function_value) + y0
            if lp_bound <= PRICE_TOL:
                return None, max(lp_bound, 0.0)
            if np.abs(x - np.rint(x)).max() < 1e-9:
                return tuple(int(v) for v in np.rint(x)), lp_bound
        self.calls["mip"] += 1
        panel, value, bound = self.oracle.solve(w)
        if panel is None:
            raise SolveError("pricing MIP failed (time limit?)")
        if value + y0 > PRICE_TOL:
            return panel, bound + y0
        return None, max(bound + y0, 0.0)


class _Master:
    """Master LP over the column pool: column 0 is z (objective -z), row 0 is sum lambda = 1, row 1 + t is
    type t's probability row. Shortfall columns s_t (cost `shortfall_cost`) are used by the attain phase."""

    def __init__(self, pool: ColumnPool, free: np.ndarray, target: np.ndarray | None):
        self.pool, self.nt = pool, len(free)
        h = new_highs()
        attain = target is not None
        h.addCol(0.0 if attain else -1.0, 0.0, 0.0 if attain else 1.0, 0, np.array([], dtype=np.int32), [])
        h.addRow(1.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
        for t in range(self.nt):
            if not free[t]:
                h.addRow(-INF, INF, 0, np.array([], dtype=np.int32), np.array([]))
            elif attain:
                h.addRow(max(target[t] - 1e-12, 0.0), INF, 0, np.array([], dtype=np.int32), np.array([]))
            else:
                h.addRow(0.0, INF, 1, np.array([0], dtype=np.int32), np.array([-1.0]))
        self.first = 1
        if attain:
            for t in np.nonzero(free)[0]:
                h.addCol(1.0, 0.0, INF, 1, np.array([1 + t], dtype=np.int32), np.array([1.0]))
            self.first = 1 + int(free.sum())
        self.h = h
        self.ncols = 0
        self.sync()

    def sync(self) -> None:
        for p in self.pool.panels[self.ncols :]:
            col = self.pool.column(p)
            nz = np.nonzero(col)[0]
            idx = np.concatenate(([0], nz + 1)).astype(np.int32)
            self.h.addCol(0.0, 0.0, INF, len(idx), idx, np.concatenate(([1.0], col[nz])))
        self.ncols = len(self.pool.panels)

    def solve(self) -> tuple[np.ndarray, np.ndarray, float, float]:
        """(lambda, duals y >= 0 per type, dual of sum lambda = 1, objective)."""
        if not solve_lp(self.h):
            raise SolveError(f"master LP not optimal: {self.h.modelStatusToString(self.h.getModelStatus())}")
        sol = self.h.getSolution()
        duals = np.array(sol.row_dual)
        lam = np.maximum(np.array(sol.col_value[self.first :]), 0.0)
        return lam, np.maximum(duals[1:], 0.0), float(duals[0]), float(self.h.getInfo().objective_function_value)

    def fix(self, t: int, z: float) -> None:
        self.h.changeCoeff(t + 1, 0, 0.0)
        self.h.changeRowBounds(t + 1, max(z - FIX_SLACK, 0.0), INF)


def leximin(
    inst: Instance,
    oracle: PanelOracle | None = None,
    maximin_only: bool = False,
    time_limit: float = 300.0,
    progress: Callable[[dict], None] | None = None,
    state: dict | None = None,
    max_starts: int = 10,
    relaxation: bool = True,
) -> Distribution:
    """Certified LEXIMIN (or MAXIMIN, the first level). Never raises on the time limit: returns an incomplete
    Distribution instead (complete=False, bounds in .certificate, resumable .state). relaxation=False skips
    steps 1-3 and runs the classic level-by-level column generation (for comparison and tests)."""
    t0 = time.perf_counter()
    deadline = t0 + float(time_limit)
    say = progress or (lambda info: None)
    oracle = oracle or PanelOracle(inst, time_limit=max(5.0, min(60.0, time_limit)))
    poly = PanelPolytope(inst)
    pool = ColumnPool(inst)
    nt = len(inst.types)
    counts = pool.counts
    forced = poly.lower >= poly.c
    fixed: dict[int, float] = {}
    peel: tuple[list, list] | None = None
    if state:
        if state.get("format") != STATE_FORMAT or state.get("fingerprint") != fingerprint(inst):
            raise SolveError("the saved computation state belongs to a different pool or quotas")
        for p in state.get("panels", []):
            if len(p) == nt:
                pool.add(tuple(p))
        fixed = {int(t): float(v) for t, v in state.get("fixed", {}).items()}
        if state.get("peel") and not fixed:
            peel = ([tuple(p) for p in state["peel"]["panels"]], list(state["peel"]["weights"]))
    base = oracle.feasible_panel()
    if base is None:
        raise SolveError("quotas are infeasible")
    pool.add(base)
    pricing = _Pricing(inst, oracle, poly)
    stats: dict = {"types": nt}

    def finish(lam, levels, complete, cert) -> Distribution:
        stats.update(pricing.calls, seconds=time.perf_counter() - t0)
        dist = _finish(pool, lam, levels, t0, stats)
        dist.complete = complete
        dist.certificate = cert
        dist.state = None if complete else save_state(inst, pool, fixed, peeled)
        return dist

    # 1. relaxed LEXIMIN target (with levels certified by an earlier, interrupted fallback run)
    target, rlevels = relaxed_leximin(poly, fixed)
    upper = rlevels[0][0] if rlevels else 1.0
    stats["relaxed_levels"] = len(rlevels)
    stats["relaxed_seconds"] = time.perf_counter() - t0
    say({"phase": "relaxation", "level": len(rlevels), "fixed": 0, "types": nt, "lower": 0.0, "upper": upper})
    peeled: tuple[list, list] | None = None
    if relaxation and not fixed:
        # 2. Caratheodory peeling (continued from the saved panels and weights when resuming)
        if peel is not None or len(pool.panels) <= 1:
            def peeling(steps: int, mass_left: float) -> None:
                say({"phase": "peeling", "level": len(rlevels), "fixed": 0, "types": nt, "lower": 0.0,
                     "upper": upper, "panels": steps, "mass_left": mass_left})

            panels, weights, left, cstats = caratheodory(poly, target, deadline, start=peel, progress=peeling)
            if cstats["status"] == "time limit":
                peeled = (panels, weights)
            for p in panels:
                pool.add(p)
            stats["peeling"] = cstats
            stats["peeling_mass_left"] = left
            stats["peeling_seconds"] = time.perf_counter() - t0 - stats["relaxed_seconds"]
        # 3. exact master: attain the target
        free = ~forced
        master = _Master(pool, free, target)
        gap = 0.0
        while True:
            master.sync()
            lam, y, y0, shortfall = master.solve()
            prob = lam @ (np.array(pool.panels, dtype=float) / counts)
            worst = float(np.max(np.where(free, target - prob, 0.0))) if free.any() else 0.0
            lower = float(prob[free].min()) if free.any() else 1.0
            reached = int((free & (prob >= target - ATTAIN_TOL)).sum() + forced.sum())
            say({"phase": "verify", "level": len(rlevels), "fixed": reached, "types": nt, "lower": lower,
                 "upper": upper, "shortfall": max(worst, 0.0)})
            if worst <= ATTAIN_TOL:
                cert = _cert("relaxation", True, max(worst, 0.0), 0.0, lower, upper, len(rlevels), nt)
                return finish(lam, [lv for lv, _ in rlevels], True, cert)
            if time.perf_counter() > deadline:
                cert = _cert("relaxation", False, worst, None, lower, upper, 0, 0)
                return finish(lam, [], False, cert)
            w = y / counts
            new = pricing.heuristic(pool, lam, w, y0, max_starts)
            added = sum(pool.add(p) for p in new)
            if added:
                continue
            panel, gap = pricing.exact(w, y0)
            if panel is not None and pool.add(panel):
                continue
            break
        stats["relaxation_gap"] = {"shortfall": worst, "pricing_bound": gap}
    # 4. fallback: level-by-level column generation (the relaxation has a fractional corner at the target)
    return _levels(inst, pool, pricing, fixed, forced, deadline, say, maximin_only, max_starts, finish)


def _cert(method, complete, shortfall, gap, lower, upper, levels, fixed) -> dict:
    return {
        "method": method,
        "complete": complete,
        "max_shortfall": shortfall,
        "pricing_gap": gap,
        "min_probability_lower": lower,
        "min_probability_upper": upper,
        "levels_certified": levels,
        "types_fixed": fixed,
    }


def _levels(inst, pool, pricing, fixed, forced, deadline, say, maximin_only, max_starts, finish) -> Distribution:
    nt = len(inst.types)
    counts = pool.counts
    is_fixed = forced.copy()
    master = _Master(pool, np.ones(nt, dtype=bool), None)
    for t in np.nonzero(forced)[0]:
        master.fix(int(t), 1.0)
    for t, z in fixed.items():
        is_fixed[t] = True
        master.fix(t, z)
    levels: list[float] = sorted(set(fixed.values()))
    max_gap = 0.0
    lam = None
    while not is_fixed.all():
        while True:
            master.sync()
            lam, y, y0, obj = master.solve()
            z = -obj
            if time.perf_counter() > deadline:
                prob = lam @ (np.array(pool.panels, dtype=float) / counts)
                cert = _cert("column generation", False, None, None, float(prob.min()), None, len(levels),
                             int((is_fixed & ~forced).sum()))
                return finish(lam, levels, False, cert)
            w = y / counts
            if any([pool.add(p) for p in pricing.heuristic(pool, lam, w, y0, max_starts)]):
                continue
            panel, gap = pricing.exact(w, y0)
            if panel is not None and pool.add(panel):
                continue
            max_gap = max(max_gap, gap)
            break
        levels.append(z)
        tight = (~is_fixed) & (y > DUAL_TOL)
        if not tight.any():
            cand = np.nonzero(~is_fixed)[0]
            tight[cand[np.argmax(y[cand])]] = True
        say({"phase": "levels", "level": len(levels), "fixed": int(is_fixed.sum()), "types": nt, "lower": z,
             "upper": z + gap})
        if maximin_only:
            break
        for t in np.nonzero(tight)[0]:
            is_fixed[t] = True
            fixed[int(t)] = z
            master.fix(int(t), z)
    cert = _cert("column generation", True, 0.0, max_gap, levels[0] if levels else 1.0,
                 levels[0] if levels else 1.0, len(levels), int(is_fixed.sum()))
    if lam is None:  # everything forced
        lam, _, _, _ = master.solve()
    return finish(lam, levels, True, cert)


def save_state(inst: Instance, pool: ColumnPool, fixed: dict[int, float], peeled=None) -> dict:
    """What a later run needs to continue: the column pool, the levels certified by the fallback, and the
    Caratheodory panels and weights when peeling was interrupted."""
    state = {
        "format": STATE_FORMAT,
        "fingerprint": fingerprint(inst),
        "panels": [list(p) for p in pool.panels],
        "fixed": {str(t): v for t, v in sorted(fixed.items())},
    }
    if peeled is not None:
        state["peel"] = {"panels": [list(p) for p in peeled[0]], "weights": list(peeled[1])}
    return state


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
    """A MAXIMIN-optimal distribution. The main path returns the LEXIMIN distribution (also MAXIMIN-optimal,
    and as cheap to certify here); the fallback stops after the first level."""
    return leximin(inst, oracle, maximin_only=True, **kw)
