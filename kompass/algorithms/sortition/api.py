"""One-call entry point: build types, check feasibility, optimise, round to a uniform lottery, draw."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .feasibility import Infeasibility, check_feasible
from .goldilocks import goldilocks
from .legacy import LegacyDraw
from .leximin import Distribution, leximin, maximin
from .lottery import canonical_lottery, draw, lottery_hash, round_to_uniform
from .model import Instance, Respondent, build_instance
from .oracle import PanelOracle
from .stats import geometric_mean, gini

ALGORITHMS = ("leximin", "maximin", "goldilocks", "legacy")


@dataclass
class SelectionResult:
    algorithm: str
    instance: Instance
    seed: str = ""
    infeasible: Infeasibility | None = None
    distribution: Distribution | None = None
    probabilities: dict[str, float] = field(default_factory=dict)  # of the optimised distribution
    lottery_probabilities: dict[str, float] = field(default_factory=dict)  # of the published uniform lottery
    lottery: dict | None = None
    list_hash: str = ""
    rounding_error: float = 0.0
    panel_index: int = -1
    panel: list[str] = field(default_factory=list)
    runtime: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.infeasible is None

    @property
    def complete(self) -> bool:
        """False when the optimisation stopped at the time limit: the lottery is valid (every panel meets the
        quotas) but not proven LEXIMIN / MAXIMIN; `distribution.state` lets a later run continue."""
        return self.distribution is None or self.distribution.complete

    def summary(self) -> dict:
        p = np.array(list(self.probabilities.values())) if self.probabilities else np.zeros(0)
        lp = np.array(list(self.lottery_probabilities.values())) if self.lottery_probabilities else np.zeros(0)
        return {
            "algorithm": self.algorithm,
            "n": self.instance.n,
            "k": self.instance.k,
            "types": len(self.instance.types),
            "min_probability": float(p.min()) if len(p) else None,
            "max_probability": float(p.max()) if len(p) else None,
            "gini": gini(p) if len(p) else None,
            "geometric_mean": geometric_mean(p) if len(p) else None,
            "support_size": len(self.distribution.panels) if self.distribution else 0,
            "lottery_panels": len(self.lottery["panels"]) if self.lottery else 0,
            "lottery_distinct_panels": len({tuple(x) for x in self.lottery["panels"]}) if self.lottery else 0,
            "lottery_min_probability": float(lp.min()) if len(lp) else None,
            "lottery_max_probability": float(lp.max()) if len(lp) else None,
            "rounding_error": self.rounding_error,
            "list_hash": self.list_hash,
            "panel_index": self.panel_index,
            "runtime_seconds": self.runtime,
            "complete": self.complete,
            "certificate": self.distribution.certificate if self.distribution else {},
        }


def optimise(
    inst: Instance,
    algorithm: str,
    gamma: float = 1.0,
    time_limit: float = 300.0,
    progress: Callable[[dict], None] | None = None,
    state: dict | None = None,
) -> Distribution:
    # the pricing MIP's own limit never goes below a few seconds: a MIP cut off without any panel would read as
    # "infeasible"; the overall deadline is enforced by the optimiser between solver calls
    oracle = PanelOracle(inst, time_limit=max(5.0, min(60.0, time_limit)))
    if algorithm == "leximin":
        return leximin(inst, oracle, time_limit=time_limit, progress=progress, state=state)
    if algorithm == "maximin":
        return maximin(inst, oracle, time_limit=time_limit, progress=progress, state=state)
    if algorithm == "goldilocks":
        return goldilocks(inst, gamma=gamma, oracle=oracle, time_limit=time_limit, state=state)
    raise ValueError(f"unknown algorithm {algorithm!r}")


# The steps of `select`, as codes with their numbers; the English wording is the CLI's (progress lines), an
# application passes `progress_step` and words them itself.
STEP_TEXT = {
    "feasibility": "{respondents} respondents in {types} types; checking feasibility",
    "optimising": "optimising ({algorithm})",
    "rounding": "rounding to a uniform lottery over {panels} panels",
}


def progress_message(info: dict) -> str:
    """One line for the optimiser's progress: phase, level, profiles fixed, bounds on the minimum."""
    upper = info.get("upper")
    bounds = f"min probability in [{info.get('lower', 0.0):.6f}, {upper:.6f}]" if upper is not None else ""
    extra = f", shortfall {info['shortfall']:.2e}" if "shortfall" in info else ""
    return (
        f"{info.get('phase')}: level {info.get('level')}, {info.get('fixed')}/{info.get('types')} profiles fixed, "
        f"{bounds}{extra}"
    )


def legacy_distribution(inst: Instance, runs: int, rng_seed: int = 0) -> Distribution:
    t0 = time.perf_counter()
    ld = LegacyDraw(inst)
    rng = np.random.default_rng(rng_seed)
    tally: dict[tuple[int, ...], int] = {}
    for _ in range(runs):
        p = ld.panel(rng)
        if p is None:
            raise RuntimeError("the greedy LEGACY draw failed repeatedly on these quotas")
        tally[p] = tally.get(p, 0) + 1
    panels = sorted(tally)
    weights = np.array([tally[p] for p in panels], dtype=float) / runs
    type_prob = weights @ (np.array(panels, dtype=float) / np.array(inst.counts, dtype=float))
    return Distribution(panels, weights, type_prob, [], {"runs": runs, "seconds": time.perf_counter() - t0})


def select(
    respondents: Sequence[Respondent] | Instance,
    quotas: Mapping[str, Mapping[str, tuple[int, int]]] | None = None,
    k: int | None = None,
    algorithm: str = "leximin",
    seed: str | None = None,
    panels: int = 1000,
    fixed: Iterable[str] = (),
    household_rule: bool = True,
    gamma: float = 1.0,
    time_limit: float = 300.0,
    progress: Callable[[str], None] | None = None,
    state: dict | None = None,
    progress_info: Callable[[dict], None] | None = None,
    progress_step: Callable[[str, dict], None] | None = None,
) -> SelectionResult:
    """progress gets one English line per step; progress_step (optional) gets the step instead as a code of
    STEP_TEXT with its numbers, and progress_info the optimiser's raw progress (phase, level, fixed, types, lower,
    upper), for callers that word them themselves."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}")
    say = progress or (lambda msg: None)

    def step(code: str, **params) -> None:
        if progress_step is not None:
            progress_step(code, params)
        else:
            say(STEP_TEXT[code].format(**params))

    t0 = time.perf_counter()
    inst = (
        respondents
        if isinstance(respondents, Instance)
        else build_instance(respondents, quotas or {}, int(k or 0), fixed, household_rule)
    )
    seed = str(seed) if seed is not None else secrets.token_hex(16)
    res = SelectionResult(algorithm, inst, seed)
    step("feasibility", respondents=inst.n, types=len(inst.types))
    res.infeasible = check_feasible(inst, time_limit=max(10.0, min(60.0, time_limit)))
    t1 = time.perf_counter()
    res.runtime["feasibility"] = t1 - t0
    if res.infeasible:
        return res
    step("optimising", algorithm=algorithm)
    if algorithm == "legacy":
        dist = legacy_distribution(inst, panels)
    else:
        dist = optimise(
            inst,
            algorithm,
            gamma,
            time_limit,
            progress=progress_info or (lambda info: say(progress_message(info))),
            state=state,
        )
    res.distribution = dist
    t2 = time.perf_counter()
    res.runtime["optimisation"] = t2 - t1
    counts = np.array(inst.counts, dtype=float)
    res.probabilities = {m: float(dist.type_prob[ti]) for ti, t in enumerate(inst.types) for m in t.members}
    step("rounding", panels=panels)
    if algorithm == "legacy":
        mult = [int(round(w * panels)) for w in dist.weights]
        err = 0.0
    else:
        mult, err = round_to_uniform(dist.panels, dist.weights, counts, panels)
    res.rounding_error = err
    res.lottery = canonical_lottery(inst, dist.panels, mult)
    lot = np.array(res.lottery["panels"], dtype=float)
    lot_prob = lot.mean(axis=0) / counts
    res.lottery_probabilities = {m: float(lot_prob[ti]) for ti, t in enumerate(inst.types) for m in t.members}
    res.list_hash = lottery_hash(res.lottery)
    t3 = time.perf_counter()
    res.runtime["rounding"] = t3 - t2
    res.panel_index, res.panel = draw(res.lottery, seed, res.list_hash)
    res.runtime["total"] = time.perf_counter() - t0
    return res
