"""Sortition internals that the mutation samples showed unpinned (docs/mutation/algorithms.md): the summary of a
selection, the certificates and call counts of LEXIMIN, the local search of the lottery rounding over more panels
than it tries as donors, the face repair's order of removal and the progress lines. Small instances only: every
test here runs in well under a second. Expected values come from definitions or brute force in this file."""

import itertools

import numpy as np
import pytest

from kompass.algorithms.sortition import (
    Respondent,
    build_instance,
    geometric_mean,
    gini,
    goldilocks,
    leximin,
    round_to_uniform,
    select,
)
from kompass.algorithms.sortition.api import STEP_TEXT, progress_message
from kompass.algorithms.sortition.leximin import ATTAIN_TOL
from kompass.algorithms.sortition.relaxation import FaceRepair, PanelPolytope
from tests.algorithms.test_sortition_mutants import compositions, max_change


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


QUOTAS = {"g": {"f": (1, 2), "m": (1, 3)}, "a": {"y": (1, 3), "o": (1, 3)}}


def eight_people():
    return [Respondent(f"p{i}", {"g": "f" if i < 3 else "m", "a": "y" if i % 2 else "o"}) for i in range(8)]


def test_the_summary_of_a_selection_restates_its_probabilities_and_lottery():
    res = select(eight_people(), QUOTAS, 4, seed="s", panels=10)
    summary = res.summary()
    p = np.array(list(res.probabilities.values()))
    lp = np.array(list(res.lottery_probabilities.values()))
    assert summary["n"] == 8 and summary["k"] == 4 and summary["types"] == len(res.instance.types) == 4
    assert summary["algorithm"] == "leximin" and summary["complete"] is True
    assert summary["min_probability"] == pytest.approx(p.min()) and summary["max_probability"] == pytest.approx(p.max())
    assert summary["gini"] == pytest.approx(gini(p)) and summary["geometric_mean"] == pytest.approx(geometric_mean(p))
    assert summary["geometric_mean"] == pytest.approx(float(np.prod(p)) ** (1 / len(p)))
    assert summary["support_size"] == len(res.distribution.panels)
    assert summary["lottery_panels"] == 10 == len(res.lottery["panels"])
    assert summary["lottery_distinct_panels"] == len({tuple(x) for x in res.lottery["panels"]})
    assert summary["lottery_min_probability"] == pytest.approx(lp.min())
    assert summary["lottery_max_probability"] == pytest.approx(lp.max())
    assert summary["rounding_error"] == res.rounding_error and summary["list_hash"] == res.list_hash
    assert summary["panel_index"] == res.panel_index and 0 <= res.panel_index < 10
    assert summary["certificate"] == res.distribution.certificate
    assert set(summary["runtime_seconds"]) == {"feasibility", "optimisation", "rounding", "total"}
    # every lottery panel is a composition of k members, and the drawn panel has k distinct members
    assert all(sum(x) == 4 for x in res.lottery["panels"]) and len(set(res.panel)) == 4


def test_the_summary_of_an_infeasible_selection_has_no_statistics():
    res = select(eight_people(), {"g": {"f": (4, 4), "m": (0, 4)}, "a": {"y": (0, 4), "o": (0, 4)}}, 4, seed="s")
    assert not res.ok and res.distribution is None and res.complete
    summary = res.summary()
    assert {key: summary[key] for key in ("min_probability", "max_probability", "gini", "geometric_mean",
                                          "lottery_min_probability", "lottery_max_probability")} == dict.fromkeys(
        ("min_probability", "max_probability", "gini", "geometric_mean", "lottery_min_probability",
         "lottery_max_probability"))
    assert summary["support_size"] == summary["lottery_panels"] == summary["lottery_distinct_panels"] == 0
    assert summary["certificate"] == {} and summary["panel_index"] == -1 and summary["list_hash"] == ""


def test_select_reports_its_steps_as_codes_or_as_english_lines():
    steps, lines = [], []
    select(eight_people(), QUOTAS, 4, seed="s", panels=10, progress_step=lambda code, params: steps.append(
        (code, params)), progress=lines.append)
    assert steps == [("feasibility", {"respondents": 8, "types": 4}), ("optimising", {"algorithm": "leximin"}),
                     ("rounding", {"panels": 10})]
    assert not [line for line in lines if line.startswith(("8 respondents", "optimising", "rounding"))]
    lines.clear()
    select(eight_people(), QUOTAS, 4, seed="s", panels=10, progress=lines.append)
    assert lines[0] == STEP_TEXT["feasibility"].format(respondents=8, types=4) == (
        "8 respondents in 4 types; checking feasibility")
    assert "optimising (leximin)" in lines and lines[-1] == "rounding to a uniform lottery over 10 panels"
    assert any(line.startswith("relaxation: level 1, 0/4 profiles fixed, min probability in [") for line in lines)


def test_the_progress_line_names_phase_level_profiles_bounds_and_shortfall():
    info = {"phase": "verify", "level": 2, "fixed": 3, "types": 5, "lower": 0.25, "upper": 0.5, "shortfall": 0.001}
    assert progress_message(info) == (
        "verify: level 2, 3/5 profiles fixed, min probability in [0.250000, 0.500000], shortfall 1.00e-03")
    assert progress_message({"phase": "levels", "level": 1, "fixed": 0, "types": 2, "upper": 1.0}) == (
        "levels: level 1, 0/2 profiles fixed, min probability in [0.000000, 1.000000]")
    assert progress_message({"phase": "levels", "level": 1, "fixed": 0, "types": 2, "lower": 0.5}) == (
        "levels: level 1, 0/2 profiles fixed, ")


def fixed_member_instance():
    return build_instance(eight_people(), QUOTAS, 4, fixed=["p0"])


def test_a_fixed_member_does_not_stop_the_relaxation_from_certifying():
    """p0 is a type of its own that is forced onto every panel; the others share the remaining 3 seats. The relaxed
    LEXIMIN target is attained, so the main path certifies it without the level-by-level fallback."""
    inst = fixed_member_instance()
    dist = leximin(inst)
    forced = inst.respondent_type["p0"]
    assert dist.type_prob[forced] == pytest.approx(1.0)
    others = np.delete(dist.type_prob, forced)
    assert others == pytest.approx(np.full(len(others), 3 / 7))  # 3 seats over the 7 others, all alike
    cert = dist.certificate
    assert cert["method"] == "relaxation" and cert["complete"] is True and dist.complete
    assert 0.0 <= cert["max_shortfall"] <= ATTAIN_TOL and cert["pricing_gap"] == 0.0
    assert cert["min_probability_lower"] == pytest.approx(3 / 7)
    assert cert["min_probability_upper"] == pytest.approx(3 / 7)
    assert cert["levels_certified"] == len(dist.levels) == 1 and cert["types_fixed"] == len(inst.types)
    assert dist.levels == pytest.approx([3 / 7])
    assert "relaxation_gap" not in dist.stats  # the fallback never ran


def test_the_classic_column_generation_certifies_the_same_levels():
    inst = fixed_member_instance()
    dist = leximin(inst, relaxation=False)
    assert dist.levels == pytest.approx([3 / 7]) and dist.complete
    assert dist.certificate == {
        "method": "column generation", "complete": True, "max_shortfall": 0.0, "pricing_gap": 0.0,
        "min_probability_lower": pytest.approx(3 / 7), "min_probability_upper": pytest.approx(3 / 7),
        "levels_certified": 1, "types_fixed": len(inst.types)}


@pytest.mark.parametrize("relaxation", [True, False])
def test_pricing_calls_are_counted_from_zero(relaxation):
    """Every MIP of the exact pricing follows its LP relaxation, so there are never more MIP than LP calls; a run
    whose first master LP attains the target prices nothing at all."""
    inst = fixed_member_instance()
    stats = leximin(inst, relaxation=relaxation).stats
    assert 0 <= stats["mip"] <= stats["lp"] and stats["swap"] >= 0
    assert stats["types"] == len(inst.types) and stats["relaxed_levels"] == 1
    assert 0 <= stats["seconds"] < 60  # elapsed time of the run, not a clock reading
    assert stats["columns"] >= len(leximin(inst, relaxation=relaxation).panels)
    if relaxation:
        assert stats["lp"] == stats["mip"] == stats["swap"] == 0
        assert stats["peeling"]["status"] == "done" and stats["peeling_mass_left"] == 0.0


@pytest.mark.parametrize(("panels", "weights", "expected"), [
    ([(1, 3, 0), (3, 2, 2), (2, 0, 0), (0, 3, 1), (3, 1, 1), (1, 2, 0)],
     [0.193, 0.122, 0.149, 0.061, 0.071, 0.404], [1, 1, 1, 0, 0, 3]),
    ([(3, 0, 2), (1, 2, 2), (2, 0, 2), (1, 1, 0), (1, 3, 1), (0, 0, 1)],
     [0.339, 0.137, 0.044, 0.213, 0.054, 0.213], [1, 0, 2, 1, 1, 1]),
    ([(3, 0, 0), (2, 1, 2), (1, 0, 0), (0, 0, 0), (0, 1, 1), (1, 2, 2)],
     [0.202, 0.38, 0.063, 0.124, 0.215, 0.016], [1, 2, 1, 1, 0, 1]),
    ([(3, 1, 1), (1, 0, 0), (1, 3, 2), (2, 0, 1), (3, 1, 1), (0, 0, 2)],
     [0.017, 0.201, 0.085, 0.133, 0.248, 0.316], [0, 1, 1, 3, 0, 1]),
])
def test_the_local_search_over_six_panels_reaches_the_optimum(panels, weights, expected):
    """Six panels, more than the four donors the search tries per move: it must pick the donors that can lower the
    worst type's change (those with the most of it when it is too high), including panels holding a single slot.
    On these examples it reaches the optimum over all 462 multiplicity vectors."""
    counts, m = [3, 3, 2], 6
    best = min(max_change(c, panels, counts, weights, m) for c in compositions(m, len(panels)))
    mult, achieved = round_to_uniform(panels, np.array(weights), np.array(counts), m=m, mip_size=0)
    assert mult == expected and sum(mult) == m
    assert achieved == pytest.approx(best, abs=1e-12) == pytest.approx(max_change(mult, panels, counts, weights, m))


def four_type_polytope():
    people = [Respondent(f"{v}{i}", {"g": v}) for v in "abcd" for i in range(3)]
    inst = build_instance(people, {"g": {v: (0, 3) for v in "abcd"}}, 4)
    return PanelPolytope(inst)


def test_face_repair_removes_surplus_members_from_the_lowest_objective_type_with_room():
    """Raising type 0 to its new lower bound puts five members on a panel of four: the repair takes one away
    from the type with the lowest objective that is still above its lower bound (type 3 is at its bound)."""
    poly = four_type_polytope()
    repair = FaceRepair(poly)
    w = np.array([4.0, 3.0, 2.0, 1.0])
    lb, ub = np.array([2.0, 0.0, 0.0, 1.0]), poly.c.copy()
    x = repair.find(np.array([1, 1, 1, 1]), w, lb, ub, poly.lo, poly.hi)
    assert x.tolist() == [2, 1, 0, 1]
    # and missing members are added to the type with the highest objective that has room
    x = repair.find(np.array([1, 1, 1, 1]), w, np.zeros(4), np.array([3.0, 3.0, 3.0, 0.0]), poly.lo, poly.hi)
    assert x.tolist() == [2, 1, 1, 0]


def test_face_repair_gives_up_when_the_panel_size_cannot_be_restored():
    poly = four_type_polytope()
    repair = FaceRepair(poly)
    w = np.array([4.0, 3.0, 2.0, 1.0])
    assert repair.find(np.array([1, 1, 1, 1]), w, np.zeros(4), np.array([1.0, 1.0, 1.0, 0.0]), poly.lo, poly.hi) is None
    assert repair.find(None, w, np.zeros(4), poly.c, poly.lo, poly.hi) is None


@pytest.mark.parametrize("gamma", [0.0, 1.0, 2.5])
@pytest.mark.parametrize("fixed", [(), ("p0",)])
def test_goldilocks_reaches_uniform_probabilities_when_the_quotas_allow_them(gamma, fixed):
    """The free members share k - |fixed| seats, so max_i pi_i n/k >= mean >= min_i pi_i n/k: the objective is at
    least r + gamma / r with r the mean ratio, and here the quotas allow every free member the same probability."""
    inst = build_instance(eight_people(), QUOTAS, 4, fixed=fixed)
    dist = goldilocks(inst, gamma=gamma)
    free = [ti for ti, t in enumerate(inst.types) if t.lower < t.count]
    share = (4 - len(fixed)) / (8 - len(fixed))
    assert dist.type_prob[free] == pytest.approx(np.full(len(free), share), abs=1e-6)
    ratio = share * 8 / 4
    assert dist.complete and dist.state is None
    assert dist.certificate == {
        "method": "goldilocks", "complete": True, "objective": pytest.approx(ratio + gamma / ratio, abs=1e-6),
        "min_probability_lower": pytest.approx(float(dist.type_prob.min())), "min_probability_upper": None,
        "levels_certified": 0, "types_fixed": 0}
    assert dist.stats["lp_solves"] >= 1 and dist.stats["pricing_calls"] >= 1
    assert dist.weights.sum() == pytest.approx(1.0) and (dist.weights > 0).all()


def panel_meets_quotas(inst, x):
    x = np.asarray(x)
    ok = int(x.sum()) == inst.k and (x <= np.array(inst.counts)).all()
    ok &= all(x[ti] >= t.lower for ti, t in enumerate(inst.types))
    ok &= all(inst.quotas[c][v][0] <= x[tis].sum() <= inst.quotas[c][v][1] for c, v, tis in inst.feature_index())
    return bool(ok and all(x[list(g)].sum() <= 1 for g in inst.households))


def test_the_greedy_legacy_draw_keeps_quotas_households_and_fixed_members():
    from kompass.algorithms.sortition.legacy import LegacyDraw

    people = [Respondent(f"p{i}", {"g": "f" if i < 5 else "m", "a": "y" if i % 3 else "o"},
                         household="h1" if i in (1, 6) else "h2" if i in (2, 7, 9) else None) for i in range(12)]
    quotas = {"g": {"f": (2, 3), "m": (2, 3)}, "a": {"y": (2, 4), "o": (1, 2)}}
    inst = build_instance(people, quotas, 5, fixed=["p3"])
    draw = LegacyDraw(inst)
    rng = np.random.default_rng(5)
    panels = [draw.panel(rng) for _ in range(60)]
    assert all(p is not None and panel_meets_quotas(inst, p) for p in panels)
    assert all(p[inst.respondent_type["p3"]] == 1 for p in panels)
    assert len(set(panels)) > 3  # a random draw, not one fixed panel
    for _ in range(40):
        sel = draw.run(rng)
        if sel is not None:
            ids = [draw.people[i][1] for i in sel]
            assert len(set(ids)) == 5 and "p3" in ids
            assert not {"p1", "p6"} <= set(ids) and len({"p2", "p7", "p9"} & set(ids)) <= 1


def test_the_legacy_distribution_tallies_its_draws():
    from kompass.algorithms.sortition import legacy_distribution

    inst = build_instance(eight_people(), QUOTAS, 4)
    dist = legacy_distribution(inst, 200, rng_seed=3)
    assert dist.panels == sorted(set(dist.panels)) and all(panel_meets_quotas(inst, p) for p in dist.panels)
    assert dist.weights.sum() == pytest.approx(1.0) and np.allclose(dist.weights * 200, np.rint(dist.weights * 200))
    expected = dist.weights @ (np.array(dist.panels, dtype=float) / np.array(inst.counts, dtype=float))
    assert dist.type_prob == pytest.approx(expected) and dist.type_prob @ inst.counts == pytest.approx(4.0)
    assert dist.stats["runs"] == 200 and dist.stats["seconds"] >= 0 and dist.levels == []
    again = legacy_distribution(inst, 200, rng_seed=3)
    assert again.panels == dist.panels and np.array_equal(again.weights, dist.weights)


def test_the_legacy_distribution_fails_loudly_when_no_draw_succeeds():
    from kompass.algorithms.sortition import legacy_distribution

    inst = build_instance(eight_people(), {"g": {"f": (4, 4), "m": (0, 4)}, "a": {"y": (0, 4), "o": (0, 4)}}, 4)
    with pytest.raises(RuntimeError, match="greedy LEGACY draw failed"):
        legacy_distribution(inst, 5)


def test_a_legacy_selection_publishes_its_tally_as_the_lottery():
    res = select(eight_people(), QUOTAS, 4, algorithm="legacy", seed="s", panels=50)
    assert res.rounding_error == 0.0 and len(res.lottery["panels"]) == 50
    tally = {tuple(p): n for p, n in zip(res.distribution.panels, np.rint(res.distribution.weights * 50), strict=True)}
    assert {p: res.lottery["panels"].count(list(p)) for p in tally} == tally
    assert res.lottery_probabilities == pytest.approx(res.probabilities)


def test_a_minimum_above_the_pool_is_named_and_relaxed_to_the_pool():
    from kompass.algorithms.sortition import check_feasible, explain

    resp = [Respondent(str(i), {"g": "a" if i < 3 else "b", "h": "x" if i % 2 else "y"}) for i in range(10)]
    inst = build_instance(resp, {"g": {"a": (5, 6), "b": (1, 5)}, "h": {"x": (0, 9), "y": (0, 9)}}, 8)
    found = explain(inst)
    assert found.details == [
        {"code": "quota_exceeds_pool", "category": "g", "value": "a", "minimum": 5, "available": 3}]
    assert found.conflicts == ["quota g=a: min 5 but only 3 respondents in the pool"]
    # only three people have g=a, so that minimum has to come down to 3; nothing else needs to change
    assert found.relaxation == [{"category": "g", "value": "a", "bound": "min", "old": 5, "new": 3}]
    assert found.message == (
        "The quotas cannot be satisfied by any panel. Conflicts: quota g=a: min 5 but only 3 respondents in the "
        "pool. Smallest relaxation (total change 2): g=a min 5 -> 3.")
    assert check_feasible(inst).message == found.message
    assert check_feasible(build_instance(resp, {"g": {"a": (3, 3), "b": (5, 5)}, "h": {"x": (4, 4), "y": (4, 4)}},
                                         8)) is None


def test_equal_remainders_go_to_the_strata_first_in_the_seeded_hash_order():
    import hashlib

    from kompass.algorithms.sortition import apportion

    def h(*parts):
        return int(hashlib.sha256("\x1f".join(parts).encode()).hexdigest(), 16)

    sizes = {("a",): 2, ("b",): 2, ("c",): 2, ("d",): 2}
    for seed in ("s", "t", "Los 2026"):
        order = sorted(sizes, key=lambda s: (h("stratum", seed, repr(s)), repr(s)))
        assert apportion(sizes, 6, seed) == {s: 2 if s in order[:2] else 1 for s in sizes}
    assert len({tuple(sorted(apportion(sizes, 1, seed).items())) for seed in map(str, range(12))}) > 1


def generated(n, k, seed):
    from bench.lottery import generate

    rows = generate.generate("t", n, k, extra=0, exact=False, seed=seed)
    return build_instance([Respondent(r["id"], {c: r[c] for c in rows.features}) for r in rows.rows], rows.quotas, k)


def household_instance():
    people = [Respondent(f"p{i}", {"g": "f" if i % 2 else "m", "a": "y" if i % 3 else "o"},
                         household=f"h{i // 3}" if i < 9 else None) for i in range(16)]
    return build_instance(people, {"g": {"f": (2, 3), "m": (2, 3)}, "a": {"y": (2, 4), "o": (1, 3)}}, 5)


def saturated_instance():
    """The two people with a = o must both be on every panel (minimum 2 of 2): their target probability is 1."""
    people = [Respondent(f"p{i}", {"g": "f" if i % 2 else "m", "a": "o" if i < 2 else ("y" if i % 3 else "z")})
              for i in range(12)]
    return build_instance(people, {"g": {"f": (2, 3), "m": (2, 3)}, "a": {"o": (2, 2), "y": (1, 3), "z": (0, 3)}}, 5)


def capped_instance():
    """Eight of twelve people have g = f, at most two of them may sit on a panel of four."""
    people = [Respondent(f"p{i}", {"g": "f" if i < 8 else "m", "a": "y" if i % 2 else "o"}) for i in range(12)]
    return build_instance(people, {"g": {"f": (0, 2), "m": (0, 4)}, "a": {"o": (1, 3), "y": (1, 3)}}, 4)


@pytest.mark.parametrize(("make", "reached"), [
    (lambda: generated(40, 6, 0), None), (lambda: generated(40, 6, 5), None), (lambda: generated(60, 8, 4), None),
    (household_instance, True), (saturated_instance, True), (capped_instance, True)])
def test_peeling_keeps_the_residual_inside_the_relaxation(make, reached):
    """Each Caratheodory step takes the largest multiple of an integer panel that keeps the residual expected
    composition in R; so what is left (divided by the mass left) still meets every row of R, the panels add up
    to at most the target, and every step makes a constraint tight (at most dim R + 1 <= types + 1 steps).
    The generated instances have fractional corners (the peeling may stop at a dead end); the small ones have
    their relaxed LEXIMIN target in the hull of the panels, and the peeling must reach it."""
    from kompass.algorithms.sortition.relaxation import caratheodory, relaxed_leximin

    inst = make()
    poly = PanelPolytope(inst)
    target, levels = relaxed_leximin(poly)
    assert sum(n for _, n in levels) == int((poly.lower < poly.c).sum())  # every free type is fixed at one level
    panels, weights, left, stats = caratheodory(poly, target, deadline=float("inf"))
    assert stats["steps"] == len(panels) <= poly.nt + 1 and stats["status"] in ("done", "dead end")
    # each step asks for one panel (a dead end asks once more): the repair finds it, or else the LP runs first,
    # then RENS on a fractional LP point, then the full MIP when RENS finds no integer one
    assert stats["repair"] + stats["lp"] == stats["steps"] + (stats["status"] == "dead end")
    assert stats["mip"] <= stats["rens"] <= stats["lp"]
    if reached:
        assert stats["status"] == "done" and left <= 1e-9
    assert all(w > 0 for w in weights) and sum(weights) == pytest.approx(1 - left, abs=1e-9)
    covered = np.array(weights) @ np.array(panels, dtype=float)
    residual = target * poly.c - covered
    assert (residual >= -1e-7).all() and residual.sum() == pytest.approx(inst.k * left, abs=1e-7)
    if stats["status"] == "done":
        assert left <= 1e-9 and np.abs(residual).max() < 1e-7
    else:
        # in absolute terms (the residual is left times a point of R)
        assert (residual <= poly.c * left + 1e-7).all()
        assert (poly.M @ residual >= poly.lo * left - 1e-7).all() and (poly.M @ residual <= poly.hi * left + 1e-7).all()
        assert (poly.H @ residual <= left + 1e-7).all()
    for p in panels:
        x = np.array(p)
        assert x.sum() == inst.k and ((poly.M @ x >= poly.lo) & (poly.M @ x <= poly.hi)).all()
        assert ((x >= poly.lower) & (x <= poly.c)).all() and (poly.H @ x <= 1).all()


def all_panels(inst):
    ranges = [range(t.lower, t.count + 1) for t in inst.types]
    return [x for x in itertools.product(*ranges) if panel_meets_quotas(inst, x)]


@pytest.mark.parametrize("make", [lambda: build_instance(eight_people(), QUOTAS, 4), fixed_member_instance,
                                  household_instance, capped_instance])
def test_the_pricing_oracle_finds_the_best_panel_of_all(make):
    from kompass.algorithms.sortition.oracle import PanelOracle

    inst = make()
    panels = np.array(all_panels(inst))
    oracle = PanelOracle(inst)
    rng = np.random.default_rng(2)
    for n in range(6):
        w = rng.normal(size=len(inst.types))
        panel, value, bound = oracle.solve(w)
        assert panel_meets_quotas(inst, panel) and value == pytest.approx(float(w @ np.array(panel)))
        assert value == pytest.approx(float((panels @ w).max()), abs=1e-9)
        assert value - 1e-9 <= bound <= value + 1e-6
        assert oracle.calls == n + 1
    assert tuple(oracle.feasible_panel()) in {tuple(p) for p in panels}


def test_the_pricing_oracle_reports_infeasible_quotas():
    from kompass.algorithms.sortition.oracle import PanelOracle

    inst = build_instance(eight_people(), {"g": {"f": (4, 4), "m": (0, 4)}, "a": {"y": (0, 4), "o": (0, 4)}}, 4)
    assert PanelOracle(inst).solve(np.ones(len(inst.types))) == (None, -np.inf, -np.inf)
    assert PanelOracle(inst).feasible_panel() is None


def single_swaps(inst, x):
    """Every valid panel one swap (one member of type a out, one of type b in) away from x."""
    for a, b in itertools.permutations(range(len(x)), 2):
        y = list(x)
        y[a] -= 1
        y[b] += 1
        if panel_meets_quotas(inst, y):
            yield y


@pytest.mark.parametrize("make", [lambda: build_instance(eight_people(), QUOTAS, 4), fixed_member_instance,
                                  household_instance, capped_instance, saturated_instance])
def test_the_swap_search_ends_in_a_valid_panel_no_single_swap_improves(make):
    from kompass.algorithms.sortition.oracle import SwapSearch

    inst = make()
    panels = all_panels(inst)
    search = SwapSearch(inst)
    rng = np.random.default_rng(4)
    for start in panels[:: max(1, len(panels) // 6)]:
        w = rng.normal(size=len(inst.types))
        x = search.improve(np.array(start), w)
        assert panel_meets_quotas(inst, x) and w @ x >= w @ np.array(start) - 1e-12
        assert all(w @ np.array(y) <= w @ x + 1e-12 for y in single_swaps(inst, x)), (start, x)
        steps = search.improve(np.array(start), w, max_steps=1)
        assert panel_meets_quotas(inst, steps)
        assert int(np.abs(steps - np.array(start)).sum()) in (0, 2)  # at most one swap per step
