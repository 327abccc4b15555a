"""Sortition behaviour that surviving mutants showed untested (docs/mutation/algorithms.md): the rounding of
`round_to_uniform`, resuming from a saved state, the smallest relaxation of infeasible quotas, the Goldilocks
optimum and the summary statistics. Expected values come from independent computations in this file."""

import itertools

import numpy as np
import pytest

from kompass.algorithms.sortition import (
    Respondent,
    build_instance,
    explain,
    geometric_mean,
    gini,
    goldilocks,
    leximin,
    round_to_uniform,
)
from kompass.algorithms.sortition.leximin import STATE_FORMAT, fingerprint


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


def largest_remainder(weights, m):
    base = [int(np.floor(w * m)) for w in weights]
    order = sorted(range(len(weights)), key=lambda j: (-(weights[j] * m - base[j]), j))
    for j in order[: m - sum(base)]:
        base[j] += 1
    return base


def max_change(mult, panels, counts, weights, m):
    a = np.array(panels, dtype=float) / np.array(counts, dtype=float)
    return float(np.abs(np.array(mult) @ a / m - np.array(weights) @ a).max())


def compositions(m, parts):
    for cut in itertools.combinations(range(m + parts - 1), parts - 1):
        edges = (-1, *cut, m + parts - 1)
        yield [edges[i + 1] - edges[i] - 1 for i in range(parts)]


def test_local_search_improves_on_largest_remainder_without_the_integer_program():
    panels, counts, weights, m = [(3, 3, 0), (2, 0, 2), (1, 1, 2), (2, 3, 0)], [3, 3, 2], [0.51, 0.08, 0.10, 0.31], 5
    start = max_change(largest_remainder(weights, m), panels, counts, weights, m)
    best = min(max_change(c, panels, counts, weights, m) for c in compositions(m, len(panels)))
    mult, achieved = round_to_uniform(panels, np.array(weights), np.array(counts), m=m, mip_size=0)
    assert sum(mult) == m and min(mult) >= 0
    assert achieved == pytest.approx(max_change(mult, panels, counts, weights, m))
    assert best - 1e-12 <= achieved < start - 0.1  # 0.18 by rounding alone, 0.02 after the moves


def test_local_search_is_never_worse_than_rounding_and_never_better_than_the_optimum():
    rng = np.random.default_rng(3)
    for _ in range(30):
        counts = [3, 3, 2]
        panels = [tuple(int(v) for v in rng.integers(0, [4, 4, 3])) for _ in range(4)]
        weights = list(rng.dirichlet(np.ones(4)))
        mult, achieved = round_to_uniform(panels, np.array(weights), np.array(counts), m=6, mip_size=0)
        assert sum(mult) == 6 and min(mult) >= 0
        best = min(max_change(c, panels, counts, weights, 6) for c in compositions(6, 4))
        assert best - 1e-12 <= achieved <= max_change(largest_remainder(weights, 6), panels, counts, weights, 6) + 1e-12


def pool(groups, quotas, k):
    """groups: {(gender, age): size}."""
    people = [Respondent(f"{g}{a}{i}", {"g": g, "a": a}) for (g, a), n in groups.items() for i in range(n)]
    return build_instance(people, quotas, k)


def test_explain_names_the_smallest_relaxation_of_a_minimum_and_of_a_maximum():
    groups = {("f", "y"): 3, ("m", "y"): 7}
    short = explain(pool(groups, {"g": {"f": (5, 6), "m": (0, 6)}, "a": {"y": (0, 6)}}, 6))
    assert short.relaxation == [{"category": "g", "value": "f", "bound": "min", "old": 5, "new": 3}]
    capped = explain(pool(groups, {"g": {"f": (0, 6), "m": (0, 2)}, "a": {"y": (0, 6)}}, 6))
    assert capped.relaxation == [{"category": "g", "value": "m", "bound": "max", "old": 2, "new": 3}]


def test_a_saved_state_brings_its_panels_into_goldilocks_and_drops_malformed_ones():
    inst = pool({("f", "y"): 4, ("f", "o"): 5, ("m", "y"): 6, ("m", "o"): 7},
                {"g": {"f": (2, 3), "m": (2, 3)}, "a": {"y": (1, 4), "o": (1, 4)}}, 5)
    panels = [list(p) for p in leximin(inst).panels]
    state = {"format": STATE_FORMAT, "fingerprint": fingerprint(inst), "panels": [*panels, [1, 2]]}
    resumed = goldilocks(inst, time_limit=1e-9, state=state)
    kept = resumed.state["panels"] if resumed.state else [list(p) for p in resumed.panels]
    assert all(p in kept for p in panels)
    assert all(len(p) == len(inst.types) for p in kept)


def test_gini_and_geometric_mean_against_their_definitions():
    p = np.array([0.1, 0.4, 0.2, 0.3])
    mean_abs_diff = np.abs(p[:, None] - p[None, :]).mean()
    assert gini(p) == pytest.approx(mean_abs_diff / (2 * p.mean()))
    assert gini([0.25] * 4) == pytest.approx(0.0)
    assert geometric_mean([1.0, 4.0]) == pytest.approx(2.0)
    assert geometric_mean([0.2, 0.5, 0.8]) == pytest.approx((0.2 * 0.5 * 0.8) ** (1 / 3))
    assert geometric_mean([0.5, 0.0]) == 0.0 and geometric_mean([]) == 0.0
    assert gini([]) == 0.0 and gini([0.0, 0.0]) == 0.0 and gini([-0.1, -0.3]) == 0.0  # no positive mass


def goldilocks_reference(resp, quotas, k, gamma):
    """The Goldilocks optimum min (n/k)·max p + γ / ((n/k)·min p) over all distributions of person-level panels,
    found independently: for a floor ℓ on min p an LP gives the least possible max p, and the objective is convex
    in ℓ, so a bounded scalar search finds its minimum."""
    from scipy.optimize import linprog, minimize_scalar

    n, panels = len(resp), []
    for combo in itertools.combinations(range(n), k):
        if all(lo <= sum(resp[i].features[c] == v for i in combo) <= hi
               for c, vals in quotas.items() for v, (lo, hi) in vals.items()):
            panels.append(combo)
    a = np.zeros((n, len(panels)))
    for j, combo in enumerate(panels):
        a[list(combo), j] = 1.0
    scale = n / k

    def least_max(floor):  # variables λ_1..P, u: minimise u, floor <= A λ <= u, Σ λ = 1
        cost = np.r_[np.zeros(len(panels)), 1.0]
        a_ub = np.vstack((np.c_[a, -np.ones(n)], np.c_[-a, np.zeros(n)]))
        res = linprog(cost, A_ub=a_ub, b_ub=np.r_[np.zeros(n), -floor * np.ones(n)],
                      A_eq=[np.r_[np.ones(len(panels)), 0.0]], b_eq=[1.0], method="highs")
        return res.fun if res.status == 0 else np.inf

    def objective(floor):
        return scale * least_max(floor) + gamma / (scale * floor)

    # the largest floor: maximise ℓ subject to A λ >= ℓ, Σ λ = 1
    top = linprog(np.r_[np.zeros(len(panels)), -1.0], A_ub=np.c_[-a, np.ones(n)], b_ub=np.zeros(n),
                  A_eq=[np.r_[np.ones(len(panels)), 0.0]], b_eq=[1.0], method="highs")
    return minimize_scalar(objective, bounds=(1e-3, -top.fun - 1e-12), method="bounded",
                           options={"xatol": 1e-12}).fun


@pytest.mark.parametrize(("gamma", "sizes", "quotas"), [
    (1.0, (1, 1, 2, 5), {"g": {"f": (1, 2), "m": (1, 2)}, "a": {"y": (2, 2), "o": (1, 1)}}),
    (2.0, (1, 1, 2, 5), {"g": {"f": (1, 2), "m": (1, 2)}, "a": {"y": (2, 2), "o": (1, 1)}}),
    (0.5, (2, 1, 3, 4), {"g": {"f": (1, 2), "m": (1, 2)}, "a": {"y": (2, 2), "o": (1, 1)}}),
])
def test_goldilocks_reaches_the_independent_optimum(gamma, sizes, quotas):
    groups = dict(zip([("f", "y"), ("f", "o"), ("m", "y"), ("m", "o")], sizes, strict=True))
    people = [Respondent(f"{g}{a}{i}", {"g": g, "a": a}) for (g, a), n in groups.items() for i in range(n)]
    inst = build_instance(people, quotas, 3)
    dist = goldilocks(inst, gamma=gamma)
    scale = inst.n / inst.k
    achieved = scale * dist.type_prob.max() + gamma / (scale * dist.type_prob.min())
    assert achieved == pytest.approx(goldilocks_reference(people, quotas, 3, gamma), rel=1e-6)
    assert dist.complete and abs(dist.weights.sum() - 1) < 1e-9


def test_the_integer_program_reaches_the_optimum_the_local_search_misses():
    """Tiny instances: the rounding with the integer program (default) is optimal among all multiplicities, found
    here by enumerating them; on some of them the local search alone stops above the optimum."""
    rng, gaps = np.random.default_rng(11), 0
    for _ in range(25):
        counts = [3, 3, 2]
        panels = [tuple(int(v) for v in rng.integers(0, [4, 4, 3])) for _ in range(4)]
        weights = list(rng.dirichlet(np.ones(4)))
        best = min(max_change(c, panels, counts, weights, 7) for c in compositions(7, 4))
        _, with_mip = round_to_uniform(panels, np.array(weights), np.array(counts), m=7)
        _, local = round_to_uniform(panels, np.array(weights), np.array(counts), m=7, mip_size=0)
        assert with_mip == pytest.approx(best, abs=1e-9)
        gaps += local > best + 1e-9
    assert gaps >= 1


def test_minimums_above_the_panel_size_are_a_named_conflict():
    groups = {("f", "y"): 5, ("m", "y"): 5}
    found = explain(pool(groups, {"g": {"f": (3, 5), "m": (3, 5)}, "a": {"y": (0, 6)}}, 5))
    assert {"code": "minimums_exceed_size", "category": "g", "total": 6, "size": 5} in found.details
    fine = explain(pool(groups, {"g": {"f": (2, 5), "m": (3, 5)}, "a": {"y": (0, 6)}}, 5))
    assert not any(d["code"] == "minimums_exceed_size" for d in fine.details)


def test_respondents_and_types_are_immutable_values():
    import dataclasses

    r = Respondent("a", {"g": "f"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.id = "b"
    inst = pool({("f", "y"): 2, ("m", "y"): 2}, {"g": {"f": (1, 1), "m": (1, 1)}, "a": {"y": (0, 2)}}, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        inst.types[0].lower = 1


def test_inviting_more_people_than_the_register_holds_is_refused():
    from kompass.algorithms.sortition import apportion

    with pytest.raises(ValueError, match="cannot invite 11"):
        apportion({("a",): 4, ("b",): 6}, 11)
    assert sum(apportion({("a",): 4, ("b",): 6}, 10).values()) == 10


def test_peeling_reports_non_negative_times_and_counts():
    inst = pool({("f", "y"): 2, ("f", "o"): 3, ("m", "y"): 4, ("m", "o"): 5},
                {"g": {"f": (1, 3), "m": (1, 3)}, "a": {"y": (1, 3), "o": (1, 3)}}, 4)
    peeling = leximin(inst).stats["peeling"]
    assert all(v >= 0 for key, v in peeling.items() if key.startswith("seconds"))
    assert peeling["steps"] >= 1


@pytest.mark.parametrize("relaxation", [True, False])
@pytest.mark.parametrize("fixed", [(), ("p0", "p1", "p2", "p3")])
def test_a_panel_of_the_whole_pool_selects_everyone_with_certainty(relaxation, fixed):
    people = [Respondent(f"p{i}", {"g": "f" if i < 2 else "m"}) for i in range(4)]
    inst = build_instance(people, {"g": {"f": (2, 2), "m": (2, 2)}}, 4, fixed=fixed)
    dist = leximin(inst, relaxation=relaxation)
    assert dist.complete and len(dist.panels) == 1 and sum(dist.panels[0]) == 4  # fixed members are own types
    assert np.allclose(dist.type_prob, 1.0) and np.allclose(dist.weights, [1.0])


def test_fixed_members_are_certain_and_the_others_share_the_rest():
    people = [Respondent(f"p{i}", {"g": "f" if i < 2 else "m"}) for i in range(4)]
    inst = build_instance(people, {"g": {"f": (1, 2), "m": (1, 2)}}, 3, fixed=["p0", "p2"])
    probability = {p.id: leximin(inst, relaxation=False).type_prob[inst.respondent_type[p.id]] for p in people}
    assert probability == pytest.approx({"p0": 1.0, "p2": 1.0, "p1": 0.5, "p3": 0.5})


@pytest.mark.parametrize("seed", [13, 3])
def test_goldilocks_swap_starts_save_exact_pricing_and_reach_the_same_optimum(seed):
    """Without the swap heuristic (max_starts=0) every column comes from the exact pricing MIP: the optimum must be
    the same, and the heuristic must save MIP calls (deterministic counts, not times)."""
    from bench.lottery import generate

    rows = generate.generate("t", 80, 12, extra=0, exact=False, seed=seed)
    inst = build_instance([Respondent(r["id"], {c: r[c] for c in rows.features}) for r in rows.rows], rows.quotas, 12)
    with_swaps, exact_only = goldilocks(inst), goldilocks(inst, max_starts=0)
    assert with_swaps.complete and exact_only.complete
    assert with_swaps.certificate["objective"] == pytest.approx(exact_only.certificate["objective"], rel=1e-9)
    assert with_swaps.stats["pricing_calls"] < exact_only.stats["pricing_calls"]


def test_conflicts_name_maxima_below_the_panel_size_and_a_pool_too_small():
    groups = {("f", "y"): 3, ("m", "y"): 7}
    capped = explain(pool(groups, {"g": {"f": (0, 1), "m": (0, 2)}, "a": {"y": (0, 9)}}, 6))
    assert capped.details == [{"code": "maxima_below_size", "category": "g", "total": 3, "size": 6}]
    assert capped.conflicts == ["category 'g': at most 3 people can be selected (maxima / pool) < panel size 6"]
    # at least three more seats are needed; any split over the two maxima costs 3 in total
    assert sum(r["new"] - r["old"] for r in capped.relaxation) == 3
    assert all(r["bound"] == "max" and r["category"] == "g" for r in capped.relaxation)
    assert "Smallest relaxation (total change 3)" in capped.message
    small = explain(pool(groups, {"g": {"f": (0, 6), "m": (0, 6)}, "a": {"y": (0, 12)}}, 12))
    assert small.details == [  # min(6, 3) + min(6, 7) = 9 for g, 10 for a (its maximum 12 > pool)
        {"code": "maxima_below_size", "category": "a", "total": 10, "size": 12},
        {"code": "maxima_below_size", "category": "g", "total": 9, "size": 12},
        {"code": "pool_too_small", "pool": 10, "size": 12},
        {"code": "no_panel_even_relaxed"}]
    assert small.relaxation == []


def test_the_published_lottery_and_its_draw_follow_their_definitions():
    import hashlib
    import json

    from kompass.algorithms.sortition import canonical_lottery, draw, lottery_hash

    inst = pool({("f", "y"): 3, ("m", "y"): 4}, {"g": {"f": (1, 2), "m": (1, 2)}, "a": {"y": (0, 3)}}, 3)
    panels = [tuple(p) for p in ([1, 2], [2, 1])]
    lottery = canonical_lottery(inst, panels, [2, 1])
    assert lottery["panels"] == [[1, 2], [1, 2], [2, 1]] and lottery["k"] == 3
    assert lottery["types"] == [{"profile": list(t.profile), "members": list(t.members)} for t in inst.types]
    text = json.dumps(lottery, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert lottery_hash(lottery) == hashlib.sha256(text.encode()).hexdigest()

    def h(*parts):
        return int(hashlib.sha256("\x1f".join(parts).encode()).hexdigest(), 16)

    digest = lottery_hash(lottery)
    for seed in ("2026-12-02 Ziehung", "7", "x"):
        index = h("panel", seed, digest) % 3
        expected = []
        for t, x in zip(lottery["types"], lottery["panels"][index], strict=True):
            expected += sorted(t["members"], key=lambda mid: (h("member", seed, digest, mid), mid))[:x]
        assert draw(lottery, seed) == (index, sorted(expected))
        assert draw(lottery, seed, digest) == draw(lottery, seed)


def test_apportionment_and_invitation_against_hamilton_by_hand():
    import hashlib

    from kompass.algorithms.sortition import apportion, invite_sample

    # quotas 13 * (41, 27, 19, 13) / 100 = 5.33, 3.51, 2.47, 1.69: floors 5, 3, 2, 1 and two more seats to the
    # largest remainders (.69 for d, .51 for b)
    sizes = {("a",): 41, ("b",): 27, ("c",): 19, ("d",): 13}
    assert apportion(sizes, 13, "s") == {("a",): 5, ("b",): 4, ("c",): 2, ("d",): 2}
    assert apportion(sizes, 100) == sizes and apportion(sizes, 0) == dict.fromkeys(sizes, 0)
    ids = [f"id{i}" for i in range(100)]
    strata = [("a",)] * 41 + [("b",)] * 27 + [("c",)] * 19 + [("d",)] * 13
    chosen = invite_sample(ids, strata, 13, "Los 2026")

    def h(*parts):
        return int(hashlib.sha256("\x1f".join(parts).encode()).hexdigest(), 16)

    expected = []
    for stratum, seats in {("a",): 5, ("b",): 4, ("c",): 2, ("d",): 2}.items():
        members = [i for i, s in zip(ids, strata, strict=True) if s == stratum]
        expected += sorted(members, key=lambda i: (h("invite", "Los 2026", i), i))[:seats]
    assert chosen == expected


def people(*rows):
    return [Respondent(rid, {"g": g}, household) for rid, g, household in rows]


QUOTAS = {"g": {"f": (0, 2), "m": (0, 2)}}
F_BAD = {"category": "g", "value": "f"}


@pytest.mark.parametrize(("respondents", "quotas", "k", "fixed", "code", "params"), [
    (people(("a", "f", None)), QUOTAS, 1.5, (), "bad_size", {"size": 1.5}),
    (people(("a", "f", None)), QUOTAS, -1, (), "bad_size", {"size": -1}),
    (people(("a", "f", None)), {"g": {}}, 1, (), "no_values", {"category": "g"}),
    (people(("a", "f", None)), {"g": {"f": (0.5, 2), "m": (0, 2)}}, 1, (), "bad_quota", F_BAD),
    (people(("a", "f", None)), {"g": {"f": (0, 1.5), "m": (0, 2)}}, 1, (), "bad_quota", F_BAD),
    (people(("a", "f", None)), {"g": {"f": (-1, 2), "m": (0, 2)}}, 1, (), "bad_quota", F_BAD),
    (people(("a", "f", None)), {"g": {"f": (2, 1), "m": (0, 2)}}, 1, (), "bad_quota", F_BAD),
    (people(("a", "f", None), ("a", "m", None), ("b", "m", None)), QUOTAS, 1, (), "duplicate_ids", {"ids": "a"}),
    (people(("a", "f", None)), QUOTAS, 1, ("z", "y"), "unknown_fixed", {"ids": "y, z"}),
    ([Respondent("a", {"h": "f"})], QUOTAS, 1, (), "missing_value", {"respondent": "a", "category": "g"}),
    (people(("a", "x", None)), QUOTAS, 1, (), "unknown_value", {"respondent": "a", "category": "g", "value": "x"}),
])
def test_malformed_instances_are_refused_with_a_code(respondents, quotas, k, fixed, code, params):
    from kompass.algorithms.sortition import SortitionError

    with pytest.raises(SortitionError) as refused:
        build_instance(respondents, quotas, k, fixed=fixed)
    assert (refused.value.code, refused.value.params) == (code, params)


def test_edge_quotas_and_sizes_are_accepted():
    inst = build_instance(people(("a", "f", None), ("b", "m", None)), {"g": {"f": (0, 0), "m": (1, 1)}}, 0)
    assert inst.k == 0 and inst.quotas == {"g": {"f": (0, 0), "m": (1, 1)}} and inst.n == 2
    assert build_instance(people(("a", "f", None)), QUOTAS, 2.0).k == 2


def test_types_group_equal_profiles_and_split_households_and_fixed_members():
    pool_ = people(("a", "f", None), ("b", "f", None), ("c", "f", " Haus  1 "), ("d", "m", "haus 1"),
                   ("e", "m", ""), ("f", "m", "allein"), ("g", "m", None))
    inst = build_instance(pool_, QUOTAS, 2, fixed=["g"])
    assert [(t.profile, t.members, t.lower, t.household) for t in inst.types] == [
        (("f",), ("a", "b"), 0, None), (("f",), ("c",), 0, "haus 1"), (("m",), ("d",), 0, "haus 1"),
        (("m",), ("e", "f"), 0, None), (("m",), ("g",), 1, None)]
    assert inst.households == [(1, 2)]  # one household of two; a household of one binds nobody
    assert inst.respondent_type == {"a": 0, "b": 0, "c": 1, "d": 2, "e": 3, "f": 3, "g": 4}
    without = build_instance(pool_, QUOTAS, 2, household_rule=False)
    assert without.households == [] and len(without.types) == 2
    assert inst.counts == [2, 1, 1, 2, 1]
    assert inst.feature_index() == [("g", "f", [0, 1]), ("g", "m", [2, 3, 4])]
