"""Independent MAXIMIN reference for the lottery benchmark (issue 10). Shares no code with Kompass.

usage: reference_maximin.py INSTANCE_DIR [LOTTERY_JSON] [CG_SECONDS]

Written separately from kompass/algorithms/sortition, on a different solver path (scipy.optimize.linprog and
scipy.optimize.milp, i.e. scipy's own HiGHS build, no highspy), reading the CSV files itself. It computes the
MAXIMIN optimum z* = max over lotteries of the smallest selection probability by two independent bounds:

- **Upper bound** (no column generation): the LP relaxation *per person*, max z subject to 0 <= x_i <= 1,
  sum x = k, every quota on sum x over the feature value, x_i >= z. Every lottery's expected selection vector
  satisfies these constraints, so z* <= z_LP.
- **Lower bound**: the textbook column generation of Flanigan et al. (Nature 2021) for MAXIMIN: a master LP
  over panels (max z, sum lambda = 1, probability of each profile >= z), panels priced by a MIP over profile
  counts (people with the same feature values are interchangeable, so a panel is a count per profile) with the
  master's duals. The master's z is a lower bound; the best pricing value a Lagrangian upper bound. It stops
  when the bounds meet, when z reaches z_LP, or after CG_SECONDS (default 120).
- **Kompass's lottery checked** (optional LOTTERY_JSON, written by kompass_run.py): every panel is checked
  against the quotas by this reader, the weights must form a distribution, and each person's probability is
  recomputed. Its smallest probability is then a proven lower bound too, so if it is within 1e-6 of z_LP the
  optimum is pinned independently of how Kompass found the lottery.

Prints one JSON line.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix, hstack, identity, vstack


def read(folder: Path):
    with (folder / "categories.csv").open(newline="", encoding="utf-8-sig") as f:
        quota_rows = list(csv.DictReader(f))
    with (folder / "respondents.csv").open(newline="", encoding="utf-8-sig") as f:
        people = list(csv.DictReader(f))
    k = int(re.search(r"_(\d+)$", folder.name).group(1))
    quotas = [(r["category"], r["feature"], int(r["min"]), int(r["max"])) for r in quota_rows]
    cats = sorted({q[0] for q in quotas})
    return k, quotas, cats, people


def person_lp(k, quotas, people) -> float:
    """max z over the per-person LP relaxation (variables x_1..x_n, z)."""
    n = len(people)
    rows, lo, hi = [np.ones(n)], [k], [k]
    for cat, val, qmin, qmax in quotas:
        rows.append(np.array([1.0 if p[cat] == val else 0.0 for p in people]))
        lo.append(qmin)
        hi.append(qmax)
    quota = hstack([csr_matrix(np.array(rows)), csr_matrix((len(rows), 1))])
    floor = hstack([identity(n, format="csr"), csr_matrix(-np.ones((n, 1)))])  # x_i - z >= 0
    a = vstack([quota, floor]).tocsr()
    a_lo = np.concatenate([lo, np.zeros(n)])
    a_hi = np.concatenate([hi, np.full(n, np.inf)])
    cost = np.zeros(n + 1)
    cost[-1] = -1.0
    a_ub = vstack([-a, a]).tocsr()
    b_ub = np.concatenate([-a_lo, a_hi])
    keep = np.isfinite(b_ub)
    res = linprog(cost, A_ub=a_ub[keep], b_ub=b_ub[keep], bounds=[(0, 1)] * n + [(0, 1)], method="highs")
    if res.status != 0:
        raise SystemExit(f"reference LP failed: {res.message}")
    return float(res.x[-1])


class Profiles:
    def __init__(self, k, quotas, cats, people):
        self.k, self.quotas, self.cats = k, quotas, cats
        counts: dict[tuple, int] = {}
        for p in people:
            key = tuple(p[c] for c in cats)
            counts[key] = counts.get(key, 0) + 1
        self.keys = sorted(counts)
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.c = np.array([counts[key] for key in self.keys], dtype=float)
        ci = {c: i for i, c in enumerate(cats)}
        rows = [np.ones(len(self.keys))]
        lo, hi = [k], [k]
        for cat, val, qmin, qmax in quotas:
            rows.append(np.array([1.0 if key[ci[cat]] == val else 0.0 for key in self.keys]))
            lo.append(qmin)
            hi.append(qmax)
        self.A, self.lo, self.hi = np.array(rows), np.array(lo, dtype=float), np.array(hi, dtype=float)

    def price(self, weights: np.ndarray) -> tuple[np.ndarray, float, float]:
        """max weights . x over integer panels x (count per profile). Returns (x, value, dual bound)."""
        res = milp(-weights, constraints=LinearConstraint(self.A, self.lo, self.hi),
                   integrality=np.ones(len(self.c)), bounds=Bounds(np.zeros(len(self.c)), self.c),
                   options={"mip_rel_gap": 1e-9})
        if res.x is None:
            raise SystemExit(f"reference pricing MIP failed: {res.message}")
        x = np.rint(res.x)
        bound = -float(res.mip_dual_bound) if getattr(res, "mip_dual_bound", None) is not None else float(weights @ x)
        return x, float(weights @ x), max(bound, float(weights @ x))

    def valid(self, x: np.ndarray) -> bool:
        s = self.A @ x
        return bool(np.all(x >= 0) and np.all(x <= self.c) and np.all(s >= self.lo - 1e-9)
                    and np.all(s <= self.hi + 1e-9) and np.allclose(x, np.rint(x)))


def column_generation(prof: Profiles, z_lp: float, seconds: float) -> dict:
    t0 = time.perf_counter()
    nt = len(prof.c)
    rng = np.random.default_rng(7)
    cols = []
    for _ in range(5):
        x, _, _ = prof.price(rng.random(nt))
        cols.append(x / prof.c)
    lower, upper, iters = 0.0, z_lp, 0
    while True:
        iters += 1
        a = np.array(cols).T  # profiles x panels: probability contribution
        m = a.shape[1]
        # variables: lambda_1..lambda_m, z; max z s.t. z - a lambda <= 0, sum lambda = 1
        cost = np.zeros(m + 1)
        cost[-1] = -1.0
        a_ub = np.hstack([-a, np.ones((nt, 1))])
        res = linprog(cost, A_ub=a_ub, b_ub=np.zeros(nt), A_eq=np.concatenate([np.ones(m), [0.0]])[None, :],
                      b_eq=[1.0], bounds=[(0, None)] * m + [(None, None)], method="highs")
        if res.status != 0:
            raise SystemExit(f"reference master LP failed: {res.message}")
        lower = max(lower, float(res.x[-1]))
        y = -np.asarray(res.ineqlin.marginals)  # >= 0, sums to 1
        x, value, bound = prof.price(y / prof.c)
        upper = min(upper, bound)  # Lagrangian bound: any lottery's min is <= y . p for the best panel p
        if upper - lower <= 1e-9 or time.perf_counter() - t0 > seconds:
            break
        cols.append(x / prof.c)
    return {"cg_lower": lower, "cg_upper": upper, "cg_iterations": iters, "cg_columns": len(cols),
            "cg_seconds": time.perf_counter() - t0, "cg_converged": upper - lower <= 1e-9}


def check_lottery(prof: Profiles, path: Path) -> dict:
    data = json.loads(path.read_text())
    if data["categories"] != prof.cats:
        return {"lottery_check": "categories differ"}
    prob = np.zeros(len(prof.c))
    total = 0.0
    for panel in data["panels"]:
        x = np.zeros(len(prof.c))
        for key, count in panel["counts"]:
            x[prof.index[tuple(key)]] = count
        if not prof.valid(x) or panel["weight"] < 0:
            return {"lottery_check": "invalid panel"}
        prob += panel["weight"] * x / prof.c
        total += panel["weight"]
    if abs(total - 1.0) > 1e-9:
        return {"lottery_check": f"weights sum to {total}"}
    return {"lottery_check": "ok", "kompass_min_checked": float(prob.min())}


def main() -> None:
    folder = Path(sys.argv[1])
    lottery = Path(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "-" else None
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0
    t0 = time.perf_counter()
    k, quotas, cats, people = read(folder)
    z_lp = person_lp(k, quotas, people)
    out = {"upper_lp": z_lp, "lp_seconds": time.perf_counter() - t0}
    prof = Profiles(k, quotas, cats, people)
    if lottery is not None and lottery.exists():
        out.update(check_lottery(prof, lottery))
    out.update(column_generation(prof, z_lp, seconds))
    lower = max(out["cg_lower"], out.get("kompass_min_checked", 0.0))
    out.update(optimum_lower=lower, optimum_upper=out["cg_upper"], seconds=time.perf_counter() - t0,
               pinned=out["cg_upper"] - lower <= 1e-6)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
