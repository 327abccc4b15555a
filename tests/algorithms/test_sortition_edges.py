"""Sortition edges that the seed-14 mutation sample showed unpinned (docs/mutation/algorithms.md): panels of more
than 256 members, feature values that are equal but not the same string object, the defaults of a distribution
and of the lottery rounding, the diverse seed columns of LEXIMIN, the minimum probability a stopped column
generation reports, and a master LP that cannot be solved. Expected values come from definitions in this file."""

import highspy
import numpy as np
import pytest

from kompass.algorithms.sortition import Respondent, build_instance, goldilocks, leximin, round_to_uniform, select
from tests.algorithms.test_sortition_internals import QUOTAS, eight_people, panel_meets_quotas


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


def test_a_legacy_draw_fills_a_panel_of_more_than_256_members():
    """Small integers are shared objects in CPython, larger ones are not: the loop must compare the panel size by
    value to stop at exactly 300 members."""
    from kompass.algorithms.sortition.legacy import LegacyDraw

    people = [Respondent(f"p{i}", {"g": "f" if i % 2 else "m", "a": "y" if i % 3 else "o"}) for i in range(700)]
    quotas = {"g": {"f": (140, 160), "m": (140, 160)}, "a": {"y": (150, 250), "o": (50, 150)}}
    inst = build_instance(people, quotas, 300)
    selected = LegacyDraw(inst).run(np.random.default_rng(1))
    assert selected is not None and len(selected) == len(set(selected)) == 300


def test_feature_values_are_matched_by_value_not_by_identity():
    """Values read from a file are new string objects, equal to the quota's keys but not the same objects."""
    def runtime(text):
        return "".join(list(text))  # an equal string built at run time, as a CSV reader returns it

    people = [Respondent(f"p{i}", {"gender": runtime("weiblich" if i < 3 else "maennlich"),
                                   "alter": runtime("jung" if i % 2 else "alt")}) for i in range(8)]
    assert people[0].features["gender"] == "weiblich" and people[0].features["gender"] is not "weiblich"  # noqa: F632
    quotas = {"gender": {"weiblich": (1, 2), "maennlich": (1, 3)}, "alter": {"jung": (1, 3), "alt": (1, 3)}}
    inst = build_instance(people, quotas, 4)
    index = {(cat, val): types for cat, val, types in inst.feature_index()}
    for (cat, val), types in index.items():
        members = {p.id for p in people if p.features[cat] == val}
        assert {pid for pid, ti in inst.respondent_type.items() if ti in types} == members
    res = select(people, quotas, 4, seed=3, panels=20)
    chosen = [p for p in people if p.id in res.panel]
    assert 1 <= sum(p.features["gender"] == "weiblich" for p in chosen) <= 2


def test_finished_distributions_are_complete_by_default():
    inst = build_instance(eight_people(), QUOTAS, 4)
    assert select(inst, algorithm="legacy", seed="s", panels=30).distribution.complete is True
    assert leximin(inst).complete is True


def test_the_lottery_rounds_to_1000_panels_by_default():
    """Two panels with weights 0.3 and 0.7 become 300 and 700 of 1,000 equally likely panels."""
    counts = np.array([2, 2])
    multiplicities, error = round_to_uniform([(1, 1), (2, 0)], np.array([0.3, 0.7]), counts)
    assert list(multiplicities) == [300, 700] and error == pytest.approx(0.0, abs=1e-12)


def test_swap_searches_add_diverse_valid_columns_to_the_seed_pool():
    from kompass.algorithms.sortition.leximin import ColumnPool, seed_columns
    from kompass.algorithms.sortition.oracle import PanelOracle

    people = [Respondent(f"p{i}", {"g": "f" if i % 2 else "m", "a": "y" if i % 3 else "o"}) for i in range(24)]
    inst = build_instance(people, {"g": {"f": (2, 4), "m": (2, 4)}, "a": {"y": (2, 5), "o": (1, 3)}}, 6)
    plain, diverse = ColumnPool(inst), ColumnPool(inst)
    seed_columns(plain, PanelOracle(inst))
    seed_columns(diverse, PanelOracle(inst), n_swaps=8)
    assert set(plain.panels) < set(diverse.panels)
    assert all(panel_meets_quotas(inst, p) for p in diverse.panels)
    again = ColumnPool(inst)
    seed_columns(again, PanelOracle(inst), n_swaps=8)
    assert again.panels == diverse.panels  # a fixed internal seed


class TickingClock:
    """perf_counter for a deterministic time limit: every reading is one second after the one before."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        self.now += 1.0
        return self.now


@pytest.mark.parametrize("ticks", [2, 3])
def test_a_stopped_column_generation_reports_the_minimum_probability_of_its_lottery(monkeypatch, ticks):
    """Types of 1, 2 and 3 members: the reported bound is the smallest per-member probability, which divides each
    type's expected seats by its number of members. A clock that ticks once per reading stops the run after its
    first master LPs, when every type already has a positive probability."""
    import sys

    inst = build_instance(eight_people(), QUOTAS, 4)
    assert sorted(inst.counts) == [1, 2, 2, 3]
    monkeypatch.setattr(sys.modules["kompass.algorithms.sortition.leximin"].time, "perf_counter", TickingClock())
    part = leximin(inst, time_limit=ticks, relaxation=False)
    assert not part.complete and part.certificate["method"] == "column generation"
    probs = part.weights @ (np.array(part.panels, dtype=float) / np.array(inst.counts, dtype=float))
    assert probs.min() > 0 and probs == pytest.approx(part.type_prob)
    assert part.certificate["min_probability_lower"] == pytest.approx(float(probs.min()))


def _lp(lower_bound_of_row):
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.addVar(0.0, 1.0)
    h.addRow(lower_bound_of_row, highspy.kHighsInf, 1, np.array([0], dtype=np.int32), np.array([1.0]))
    return h


def test_a_master_lp_is_solved_only_when_highs_reports_optimal():
    from kompass.algorithms.sortition.oracle import solve_lp

    assert solve_lp(_lp(0.5)) is True  # 0.5 <= x <= 1
    infeasible = _lp(2.0)  # x >= 2 with x <= 1
    assert solve_lp(infeasible) is False
    assert infeasible.getModelStatus() != highspy.HighsModelStatus.kOptimal


def test_goldilocks_weighs_the_low_and_high_ends_equally_by_default():
    """The objective is max pi / (k/n) + gamma * max (k/n) / pi: the documented default gamma = 1 gives the same
    distribution as asking for it; gamma = 2 weighs the lowest probability more and gives another one on this
    pool of unique profiles."""
    from tests.algorithms.test_sortition_internals import generated

    inst = generated(40, 6, 0)
    default = goldilocks(inst)
    assert default.type_prob == pytest.approx(goldilocks(inst, gamma=1.0).type_prob, abs=1e-9)
    assert np.abs(default.type_prob - goldilocks(inst, gamma=2.0).type_prob).max() > 0.01


def test_seeding_stops_at_the_first_proof_that_the_uncovered_types_cannot_be_selected():
    """A type whose value has a maximum of 0 is in no valid panel: once the exact oracle finds no panel with any
    member of the uncovered types (value 0), seeding stops asking it."""
    from kompass.algorithms.sortition.leximin import ColumnPool, seed_columns
    from kompass.algorithms.sortition.oracle import PanelOracle

    people = [Respondent(f"p{i}", {"g": "f" if i < 3 else "m", "a": "y" if i % 2 else "o",
                                   "h": "x" if i == 0 else "z"}) for i in range(8)]
    quotas = dict(QUOTAS, h={"x": (0, 0), "z": (0, 4)})
    inst = build_instance(people, quotas, 4)
    never = [t for t, typ in enumerate(inst.types) if "x" in typ.profile]
    oracle = PanelOracle(inst)
    values = []
    solve = oracle.solve

    def recording(w):
        panel, value, bound = solve(w)
        values.append(value)
        return panel, value, bound

    oracle.solve = recording
    pool = ColumnPool(inst)
    seed_columns(pool, oracle)
    covered = np.array(pool.panels).sum(axis=0) > 0
    assert never and not covered[never].any() and covered.sum() == len(inst.types) - len(never)
    assert [v < 0.5 for v in values[1:]] == [False] * (len(values) - 2) + [True]  # one proof, the last call


def reference_legacy_draw(inst, rng):
    """The Sortition Foundation's greedy step written out in plain Python (exact fractions, lists): take the quota
    value with the largest (min - selected) / remaining, drawing among tied values only; draw a pool member with
    that value; drop everybody whose values reached their max. No households or fixed members (not used here)."""
    from fractions import Fraction

    feats = [(c, v) for c, v, _ in inst.feature_index()]
    people = [{(c, t.profile[ci]) for ci, c in enumerate(inst.categories)} for t in inst.types for _ in t.members]
    low = {f: inst.quotas[f[0]][f[1]][0] for f in feats}
    high = {f: inst.quotas[f[0]][f[1]][1] for f in feats}
    pool, chosen, count = list(range(len(people))), [], dict.fromkeys(feats, 0)
    while len(chosen) < inst.k:
        left = {f: sum(f in people[i] for i in pool) for f in feats}
        if not pool or any(left[f] == 0 and count[f] < low[f] for f in feats):
            return None
        ratio = {f: Fraction(low[f] - count[f], left[f]) for f in feats if left[f]}
        best = [f for f in feats if f in ratio and ratio[f] == max(ratio.values())]
        f = best[int(rng.integers(len(best)))] if len(best) > 1 else best[0]
        candidates = [i for i in pool if f in people[i]]
        person = candidates[int(rng.integers(len(candidates)))]
        chosen.append(person)
        pool.remove(person)
        for g in people[person]:
            count[g] += 1
        full = {g for g in feats if count[g] >= high[g]}
        pool = [i for i in pool if not people[i] & full]
    return None if any(not low[f] <= count[f] <= high[f] for f in feats) else chosen


def test_a_legacy_draw_follows_the_reference_step_by_step_for_the_same_seed():
    """Same seed, same panel: the generator is drawn for tied quota values and for the person, nothing else, so
    an independent implementation of the published rule can re-run a draw from its seed."""
    from kompass.algorithms.sortition.legacy import LegacyDraw

    people = [Respondent(f"p{i}", {"g": "fm"[i % 2], "a": "yoo"[i % 3], "d": "abcd"[(i * 7) % 4]}) for i in range(40)]
    quotas = {"g": {"f": (4, 5), "m": (5, 6)}, "a": {"y": (2, 4), "o": (5, 8)},  # maxima that bind
              "d": {"a": (1, 2), "b": (2, 3), "c": (1, 3), "d": (1, 3)}}
    inst = build_instance(people, quotas, 10)
    draw = LegacyDraw(inst)
    compared = 0
    for seed in range(25):
        ours = draw.run(np.random.default_rng(seed))
        theirs = reference_legacy_draw(inst, np.random.default_rng(seed))
        assert (None if ours is None else ours.tolist()) == theirs
        compared += ours is not None
    assert compared >= 20


def brute_force_rounding_error(panels, weights, counts, m):
    """The least largest change of any type's probability over every way to split m slots among the panels."""
    from itertools import combinations

    a = np.array(panels, dtype=float) / np.asarray(counts, dtype=float)
    target, n_panels = np.asarray(weights) @ a, len(panels)
    best = np.inf
    for cut in combinations(range(m + n_panels - 1), n_panels - 1):  # stars and bars
        bars = [-1, *cut, m + n_panels - 1]
        mult = np.array([bars[i + 1] - bars[i] - 1 for i in range(n_panels)])
        best = min(best, float(np.abs(mult @ a / m - target).max()))
    return best


def test_small_lotteries_round_to_the_least_possible_change_of_any_probability():
    """Up to 5 panels and 11 slots: the rounding (local search, then the integer program) reaches the optimum that
    trying every split finds; the local search alone falls short on some of them, so the program is what gets
    there."""
    reached, needed_the_program = 0, 0
    for seed in range(120):
        r = np.random.default_rng(seed)
        counts = r.integers(2, 5, int(r.integers(2, 5)))
        panels = list({tuple(int(r.integers(0, c + 1)) for c in counts) for _ in range(int(r.integers(3, 6)))})
        weights, m = r.dirichlet(np.ones(len(panels))), int(r.integers(5, 12))
        optimum = brute_force_rounding_error(panels, weights, counts, m)
        mult, error = round_to_uniform(panels, weights, counts, m=m)
        assert sum(mult) == m and min(mult) >= 0
        assert error == pytest.approx(optimum, abs=1e-12)
        reached += 1
        needed_the_program += round_to_uniform(panels, weights, counts, m=m, mip_size=0)[1] > optimum + 1e-12
    assert reached == 120 and needed_the_program >= 5


def test_a_published_lottery_whose_panel_does_not_list_every_type_is_refused():
    """A lottery file edited by hand (a panel with one type fewer) must not yield a panel silently missing that
    type's members."""
    import copy

    from kompass.algorithms.sortition import draw

    res = select(eight_people(), QUOTAS, 4, seed="s", panels=10)
    broken = copy.deepcopy(res.lottery)
    broken["panels"] = [list(p)[:-1] for p in broken["panels"]]
    assert draw(res.lottery, "s") == (res.panel_index, res.panel)
    with pytest.raises(ValueError):
        draw(broken, "s", res.list_hash)


def test_a_pool_exactly_the_size_of_the_panel_is_not_too_small():
    from kompass.algorithms.sortition import check_feasible
    from kompass.algorithms.sortition.feasibility import conflict_details

    people = [Respondent(f"p{i}", {"g": "f" if i < 2 else "m"}) for i in range(4)]
    inst = build_instance(people, {"g": {"f": (1, 2), "m": (1, 2)}}, 4)
    assert check_feasible(inst) is None and conflict_details(inst) == []
    short = build_instance(people[:3], {"g": {"f": (1, 2), "m": (1, 2)}}, 4)
    assert "pool_too_small" in {c["code"] for c in check_feasible(short).details}


def test_goldilocks_on_a_pool_where_everyone_is_fixed_gives_everyone_probability_one():
    """No type is free (lower = count for all): the objective is that of probability 1 for everybody,
    max + gamma / min = 1 + 1."""
    people = [Respondent(f"p{i}", {"g": "f" if i < 2 else "m"}) for i in range(4)]
    inst = build_instance(people, {"g": {"f": (2, 2), "m": (2, 2)}}, 4, fixed=[p.id for p in people])
    dist = goldilocks(inst)
    assert dist.type_prob == pytest.approx(np.ones(len(inst.types)))
    assert dist.certificate["objective"] == pytest.approx(2.0)
