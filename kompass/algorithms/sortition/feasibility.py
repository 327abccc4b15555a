"""Quick feasibility check and, when the quotas are infeasible, a smallest relaxation that repairs them."""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np

from .model import Instance
from .oracle import PanelOracle, add_panel_constraints, new_highs


@dataclass
class Infeasibility:
    """`message` and `conflicts` are English (the CLI prints them); `details` holds the same findings as codes
    with their numbers ({"code": ..., ...}), so an application can word them in its own language."""

    message: str
    conflicts: list[str] = field(default_factory=list)
    relaxation: list[dict] = field(default_factory=list)  # {category, value, bound, old, new}
    details: list[dict] = field(default_factory=list)


# English wording of each finding (CLI, report.json); the platform translates by code.
CONFLICT_TEXT = {
    "minimums_exceed_size": "category {category!r}: the minimums add up to {total} > panel size {size}",
    "maxima_below_size": "category {category!r}: at most {total} people can be selected (maxima / pool) < panel "
                         "size {size}",
    "quota_exceeds_pool": "quota {category}={value}: min {minimum} but only {available} respondents in the pool",
    "pool_too_small": "pool has {pool} respondents, fewer than the panel size {size}",
    "no_panel_even_relaxed": "no panel of the requested size exists even with relaxed quotas "
                             "(pool too small, fixed members or household rule)",
}


def conflict_details(inst: Instance) -> list[dict]:
    out: list[dict] = []
    fi = inst.feature_index()
    available = {(c, v): sum(inst.types[t].count for t in tis) for c, v, tis in fi}
    for cat in inst.categories:
        smin = sum(inst.quotas[cat][v][0] for v in inst.values[cat])
        smax = sum(min(inst.quotas[cat][v][1], available[(cat, v)]) for v in inst.values[cat])
        if smin > inst.k:
            out.append({"code": "minimums_exceed_size", "category": cat, "total": smin, "size": inst.k})
        if smax < inst.k:
            out.append({"code": "maxima_below_size", "category": cat, "total": smax, "size": inst.k})
    for (c, v), avail in available.items():
        lo = inst.quotas[c][v][0]
        if avail < lo:
            out.append({"code": "quota_exceeds_pool", "category": c, "value": v, "minimum": lo, "available": avail})
    if sum(t.count for t in inst.types) < inst.k:
        out.append({"code": "pool_too_small", "pool": inst.n, "size": inst.k})
    return out


def conflict_text(detail: dict) -> str:
    return CONFLICT_TEXT[detail["code"]].format(**detail)


def simple_conflicts(inst: Instance) -> list[str]:
    return [conflict_text(d) for d in conflict_details(inst)]


def check_feasible(inst: Instance, time_limit: float = 30.0) -> Infeasibility | None:
    oracle = PanelOracle(inst, time_limit=time_limit)
    if oracle.feasible_panel() is not None:
        return None
    return explain(inst, time_limit)


def explain(inst: Instance, time_limit: float = 30.0) -> Infeasibility:
    details = conflict_details(inst)
    relax: list[dict] = []
    nt = len(inst.types)
    h = new_highs(time_limit, mip=True)
    lower = np.array([t.lower for t in inst.types], dtype=float)
    upper = np.array([t.count for t in inst.types], dtype=float)
    h.addCols(nt, np.zeros(nt), lower, upper, 0, [], [], [])
    h.changeColsIntegrality(nt, np.arange(nt, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * nt))
    slacks = add_panel_constraints(h, inst, relax=True)
    h.run()
    if h.getInfo().primal_solution_status != 0:
        sol = np.array(h.getSolution().col_value)
        for cat, val, kind, col in slacks:
            s = round(sol[col])
            if s > 0:
                lo, hi = inst.quotas[cat][val]
                old = lo if kind == "min" else hi
                new = lo - s if kind == "min" else hi + s
                relax.append({"category": cat, "value": val, "bound": kind, "old": old, "new": new})
    else:
        details.append({"code": "no_panel_even_relaxed"})
    conflicts = [conflict_text(d) for d in details]
    lines = ["The quotas cannot be satisfied by any panel."]
    if conflicts:
        lines.append("Conflicts: " + "; ".join(conflicts) + ".")
    if relax:
        lines.append(
            "Smallest relaxation (total change {}): ".format(sum(abs(r["new"] - r["old"]) for r in relax))
            + "; ".join(f"{r['category']}={r['value']} {r['bound']} {r['old']} -> {r['new']}" for r in relax)
            + "."
        )
    return Infeasibility(" ".join(lines), conflicts, relax, details)
