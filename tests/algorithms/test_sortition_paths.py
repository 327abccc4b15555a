"""Solver paths of sortition that uniform mutation samples showed unpinned (docs/mutation/algorithms.md,
exploration and seed 18 of 2026-12-04): the retries of a LEGACY draw on one random stream, swaps inside any
household, the levels a resumed relaxation must keep, RENS between the LP vertex and the full MIP of the face
oracle, the swap pricing before the exact one, the fingerprint of a resumable state, a pricing MIP that finds
nothing, the weights of a finished distribution and the order of the face repair's swaps. Expected values come
from independent computations in this file or its helpers."""

import numpy as np
import pytest

from kompass.algorithms.sortition import Respondent, build_instance
from kompass.algorithms.sortition.relaxation import FaceOracle, FaceRepair, PanelPolytope, relaxed_leximin
from tests.algorithms.test_sortition_edges import reference_legacy_draw
from tests.algorithms.test_sortition_internals import QUOTAS, eight_people, generated, panel_meets_quotas


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


def reference_legacy_panel(inst, rng, attempts=100):
    """Draw again on the same stream until a draw succeeds, as the published procedure does; the panel as
    members per type."""
    owner = [ti for ti, t in enumerate(inst.types) for _ in t.members]
    for _ in range(attempts):
        chosen = reference_legacy_draw(inst, rng)
        if chosen is not None:
            return tuple(int(v) for v in np.bincount([owner[i] for i in chosen], minlength=len(inst.types)))
    return None


def test_a_legacy_draw_that_runs_into_a_dead_end_stops_there_and_draws_again_on_the_same_stream():
    """Quotas on which most greedy draws run out of people for a minimum: a failed draw must stop as soon as a
    minimum can no longer be met, without drawing further numbers, or the next attempt (on the same generator)
    would choose other people than the published procedure does."""
    from kompass.algorithms.sortition.legacy import LegacyDraw

    profiles = "fob fyc moc mya moc fyb moa fob fyc myb mya myb moa fya moa myb moa myb".split()
    people = [Respondent(f"p{i}", dict(zip("gad", p, strict=True))) for i, p in enumerate(profiles)]  # 18 people
    quotas = {"g": {"f": (1, 2), "m": (2, 3)}, "a": {"y": (2, 3), "o": (1, 2)},
              "d": {"a": (1, 1), "b": (2, 3), "c": (2, 2)}}
    inst = build_instance(people, quotas, 5)
    draw = LegacyDraw(inst)
    failed_first = sum(draw.run(np.random.default_rng(seed)) is None for seed in range(30))
    assert failed_first >= 10  # dead ends are common here
    for seed in range(30):
        ours = draw.panel(np.random.default_rng(seed))
        assert ours == reference_legacy_panel(inst, np.random.default_rng(seed))
        assert ours is not None and panel_meets_quotas(inst, ours)


def test_a_swap_may_exchange_two_members_of_the_same_household_whichever_household_it_is():
    """Two households of two (types 0 and 3, types 1 and 4) and one member of each on the panel: at most one
    member per household may sit, so the better member of a household can only come in for the other one. The
    weights prefer type 3 over 0 and type 4 over 1, and the search makes both swaps."""
    from kompass.algorithms.sortition.oracle import SwapSearch

    people = [Respondent(f"p{i}", {"g": "fm"[i % 2]}, household=f"h{i // 2}" if i < 4 else None) for i in range(8)]
    inst = build_instance(people, {"g": {"f": (0, 4), "m": (0, 4)}}, 3)
    assert inst.households == [(0, 3), (1, 4)]
    improved = SwapSearch(inst).improve(np.array([1, 1, 1, 0, 0, 0]), np.array([0.0, 0.0, 0.0, 1.0, 2.0, 0.0]))
    assert improved.tolist() == [0, 0, 1, 1, 1, 0]
    assert panel_meets_quotas(inst, improved)


@pytest.mark.parametrize(("kept", "level"), [(0, 0.2), (2, 0.2), (0, 0.4)])
def test_the_relaxation_keeps_the_levels_a_resumed_run_brings_and_shares_the_rest_evenly(kept, level):
    """Eight people, four types, panels of four; quotas loose enough that only k = 4 binds. A type kept at a level
    takes count x level expected seats; the other members share the remaining seats equally."""
    inst = build_instance(eight_people(), QUOTAS, 4)
    poly = PanelPolytope(inst)
    counts = np.array(inst.counts, dtype=float)
    assert relaxed_leximin(poly)[0] == pytest.approx(np.full(4, 0.5))
    target, levels = relaxed_leximin(poly, {kept: level})
    rest = (4 - counts[kept] * level) / (counts.sum() - counts[kept])
    expected = np.full(4, rest)
    expected[kept] = level
    assert target == pytest.approx(expected, abs=1e-8)
    assert [n for _, n in levels] == [3] and levels[0][0] == pytest.approx(rest, abs=1e-8)


def test_a_fractional_lp_vertex_is_rounded_by_rens_inside_its_box_before_the_full_mip_is_asked():
    """RENS solves the MIP with every type bounded to the floor and ceiling of its LP value. On a pool of unique
    profiles, over seeded objectives, some LP vertices are fractional and RENS finds a panel in that box; the full
    MIP is asked only when RENS finds none."""
    inst = generated(40, 6, 0)
    poly = PanelPolytope(inst)
    lower, upper = poly.lower.astype(float), poly.c.astype(float)
    by_rens = 0
    rng = np.random.default_rng(1)
    for _ in range(60):
        w = rng.normal(size=poly.nt)
        oracle = FaceOracle(poly)
        x = oracle.find(w, lower, upper, poly.lo, poly.hi, 10.0)
        assert x is not None and panel_meets_quotas(inst, x.astype(int))
        stats = oracle.stats
        assert stats["repair"] == 0 and stats["lp"] == 1  # no previous panel to repair
        if stats["rens"] and not stats["mip"]:
            vertex = poly.model()
            vertex.changeColsCost(poly.nt, np.arange(poly.nt, dtype=np.int32), w)
            vertex.run()
            xl = np.array(vertex.getSolution().col_value[: poly.nt])
            assert np.abs(xl - np.rint(xl)).max() > 1e-9  # RENS runs only on a fractional vertex
            assert (np.floor(xl + 1e-9) <= x).all() and (x <= np.ceil(xl - 1e-9)).all()
            by_rens += 1
        assert stats["mip"] <= stats["rens"]
    assert by_rens >= 1


def test_column_generation_asks_the_swap_pricing_before_the_exact_one():
    """The documented order of the pricing: 1-swaps from the panels with the largest weights first, the LP and MIP
    only when no swap improves. On a pool of unique profiles the swaps find most columns, so the exact pricing
    runs far fewer times than when the swaps are switched off (max_starts=0); the levels are the same."""
    from kompass.algorithms.sortition import leximin

    inst = generated(40, 6, 0)
    with_swaps, without = leximin(inst, relaxation=False), leximin(inst, relaxation=False, max_starts=0)
    assert with_swaps.stats["swap"] > 0 and without.stats["swap"] == 0
    assert with_swaps.stats["lp"] * 2 < without.stats["lp"]
    assert with_swaps.levels == pytest.approx(without.levels, abs=1e-7)


def test_a_resumable_state_belongs_to_the_pool_and_quotas_whatever_order_they_were_given_in():
    """The fingerprint of an instance must not depend on the order of the quota values in the input (a CSV file
    may list them in any order); otherwise a saved computation could not be resumed after a re-import."""
    from kompass.algorithms.sortition.leximin import fingerprint

    one = build_instance(eight_people(), QUOTAS, 4)
    reordered = {"a": {"o": QUOTAS["a"]["o"], "y": QUOTAS["a"]["y"]},
                 "g": {"m": QUOTAS["g"]["m"], "f": QUOTAS["g"]["f"]}}
    other = build_instance(eight_people(), reordered, 4)
    assert list(one.quotas["g"]) != list(other.quotas["g"])  # the orders really differ
    assert fingerprint(one) == fingerprint(other)
    assert fingerprint(build_instance(eight_people(), QUOTAS, 3)) != fingerprint(one)


class PricingFailsAfterSeeding:
    """The panel oracle of a pool whose pricing MIP hits its own time limit: it answers as many calls as seeding
    the column pool takes, then finds no panel."""

    def __init__(self, inst):
        from kompass.algorithms.sortition.leximin import ColumnPool, seed_columns
        from kompass.algorithms.sortition.oracle import PanelOracle

        counting = PanelOracle(inst)
        seed_columns(ColumnPool(inst), counting, 40)
        self.oracle, self.allowed = PanelOracle(inst), counting.calls

    @property
    def calls(self):
        return self.oracle.calls

    def feasible_panel(self):
        return self.solve(np.zeros(self.oracle.nt))[0]

    def solve(self, weights):
        if self.oracle.calls >= self.allowed:
            self.oracle.calls += 1
            return None, -np.inf, np.inf
        return self.oracle.solve(weights)


def test_goldilocks_stops_with_the_lottery_it_has_when_the_pricing_mip_finds_nothing():
    from kompass.algorithms.sortition import goldilocks

    inst = build_instance(eight_people(), QUOTAS, 4)
    oracle = PricingFailsAfterSeeding(inst)
    dist = goldilocks(inst, oracle=oracle)
    assert dist.complete is False and dist.certificate["complete"] is False and dist.state is not None
    assert oracle.calls == oracle.allowed + 1  # one failed pricing call, then it stopped
    assert sum(dist.weights) == pytest.approx(1.0) and all(panel_meets_quotas(inst, p) for p in dist.panels)


def test_a_finished_distribution_drops_negligible_weights_and_renormalises_the_rest():
    """Master LPs leave weights of 1e-13 and sums a little off 1: the lottery keeps the panels with real weight,
    scaled to sum exactly 1, and the probabilities follow from those."""
    from kompass.algorithms.sortition.leximin import ColumnPool, _finish

    inst = build_instance(eight_people(), QUOTAS, 4)
    pool = ColumnPool(inst)
    panels = [(1, 1, 1, 1), (2, 0, 0, 2), (0, 2, 1, 1)]
    for p in panels:
        assert panel_meets_quotas(inst, p) and pool.add(p)
    dist = _finish(pool, np.array([0.5, 1e-13, 0.3]), [], 0.0, {})
    assert dist.panels == [panels[0], panels[2]]
    assert dist.weights == pytest.approx([0.625, 0.375], abs=1e-15)
    expected = (0.625 * np.array(panels[0]) + 0.375 * np.array(panels[2])) / np.array(inst.counts)
    assert dist.type_prob == pytest.approx(expected, abs=1e-15)


def test_the_face_repair_takes_the_swap_that_removes_most_violation_and_uses_the_objective_only_for_ties():
    """Types (o, f), (o, m), (y, f), (y, m) of three people each. The start panel misses o's minimum of 2 and
    exceeds y's and f's maximum: swapping a (y, f) member for an (o, m) one repairs all three at once, while the
    objective would prefer other panels; the repair must take the one swap."""
    people = [Respondent(f"p{i}", {"g": "fm"[i % 2], "a": "yo"[(i // 2) % 2]}) for i in range(12)]
    inst = build_instance(people, {"g": {"f": (0, 4), "m": (0, 4)}, "a": {"y": (0, 4), "o": (0, 4)}}, 4)
    poly = PanelPolytope(inst)
    assert [t.profile for t in inst.types] == [("o", "f"), ("o", "m"), ("y", "f"), ("y", "m")]
    qlo, qhi = np.array([2.0, 0.0, 0.0, 2.0]), np.array([2.0, 2.0, 1.0, 3.0])  # rows a=o, a=y, g=f, g=m
    x = FaceRepair(poly).find(np.array([1, 0, 1, 2]), np.array([1.0, 3.0, 4.0, 0.0]), np.zeros(4),
                              poly.c.astype(float), qlo, qhi)
    assert x.tolist() == [1, 1, 0, 2]


def test_a_swap_between_types_that_share_a_value_leaves_that_value_s_count_alone():
    """Four members with g = m where at most two may sit; y is exactly at its minimum of 2. Swapping a (y, m)
    member for a (y, f) one repairs g and keeps y at 2, since both share a = y: the repair must see that."""
    people = [Respondent(f"p{i}", {"g": "fm"[i % 2], "a": "yo"[(i // 2) % 2]}) for i in range(12)]
    inst = build_instance(people, {"g": {"f": (0, 4), "m": (0, 4)}, "a": {"y": (0, 4), "o": (0, 4)}}, 4)
    poly = PanelPolytope(inst)
    qlo, qhi = np.array([0.0, 2.0, 0.0, 0.0]), np.array([2.0, 2.0, 2.0, 2.0])  # rows a=o, a=y, g=f, g=m
    x = FaceRepair(poly).find(np.array([0, 2, 1, 1]), np.array([3.0, 4.0, 4.0, 0.0]), np.zeros(4),
                              poly.c.astype(float), qlo, qhi)
    assert x.tolist() == [0, 2, 2, 0]


def test_goldilocks_reports_how_many_master_lps_it_solved(monkeypatch):
    import sys

    from kompass.algorithms.sortition import goldilocks

    module = sys.modules["kompass.algorithms.sortition.goldilocks"]
    solved, real = [], module.solve_lp

    def counted(h):
        solved.append(h)
        return real(h)

    monkeypatch.setattr(module, "solve_lp", counted)
    dist = goldilocks(generated(40, 6, 0))
    assert dist.complete and len(solved) >= 2 and dist.stats["lp_solves"] == len(solved)


def test_a_saved_state_of_another_format_is_refused():
    from kompass.algorithms.sortition import leximin
    from kompass.algorithms.sortition.leximin import STATE_FORMAT, SolveError, fingerprint

    inst = build_instance(eight_people(), QUOTAS, 4)
    assert STATE_FORMAT == "kompass-leximin-state/1"
    for other in ("kompass-leximin-state/0", "kompass-leximin-state/2"):  # an older and a newer one
        state = {"format": other, "fingerprint": fingerprint(inst), "panels": [], "fixed": {}}
        with pytest.raises(SolveError, match="belongs to a different pool or quotas"):
            leximin(inst, state=state)


def test_a_pool_of_fixed_members_only_is_certified_by_the_relaxation_at_once():
    """Every respondent is a fixed member and the panel holds them all: no type is free to optimise, and the
    relaxation certifies the one possible lottery without any pricing."""
    from kompass.algorithms.sortition import leximin

    people = eight_people()
    inst = build_instance(people, {"g": {"f": (3, 3), "m": (5, 5)}, "a": {"y": (4, 4), "o": (4, 4)}}, 8,
                          fixed=[p.id for p in people])
    assert all(t.lower == t.count for t in inst.types)
    dist = leximin(inst)
    assert dist.complete and dist.certificate["method"] == "relaxation"
    assert dist.certificate["max_shortfall"] == 0.0 and dist.certificate["min_probability_lower"] == 1.0
    assert dist.panels == [tuple(inst.counts)] and dist.type_prob == pytest.approx(np.ones(len(inst.types)))
    assert dist.stats["swap"] == dist.stats["lp"] == dist.stats["mip"] == 0


def test_the_lottery_rounding_asks_the_integer_program_only_up_to_its_size_limit():
    """The program runs when panels x types <= mip_size; on a pool where the local search alone misses the
    optimum, a limit one below panels x types gives the local search's rounding, the limit itself the optimum."""
    from kompass.algorithms.sortition import round_to_uniform
    from tests.algorithms.test_sortition_edges import brute_force_rounding_error

    for seed in range(120):
        r = np.random.default_rng(seed)
        counts = r.integers(2, 5, int(r.integers(2, 5)))
        panels = list({tuple(int(r.integers(0, c + 1)) for c in counts) for _ in range(int(r.integers(3, 6)))})
        weights, m = r.dirichlet(np.ones(len(panels))), int(r.integers(5, 12))
        local = round_to_uniform(panels, weights, counts, m=m, mip_size=0)[1]
        if local > brute_force_rounding_error(panels, weights, counts, m) + 1e-12 and len(panels) > 2:
            break
    else:
        pytest.fail("no pool where the local search alone misses the optimum")
    size = len(panels) * len(counts)
    assert round_to_uniform(panels, weights, counts, m=m, mip_size=size - 1)[1] == local
    assert round_to_uniform(panels, weights, counts, m=m, mip_size=size)[1] < local


def test_duplicate_respondent_ids_are_named_five_at_most():
    from kompass.algorithms.sortition import SortitionError

    people = [Respondent(f"p{i % 7}", {"g": "f"}) for i in range(14)]  # p0 ... p6, each twice
    with pytest.raises(SortitionError, match=r"^duplicate respondent ids: p0, p1, p2, p3, p4$"):
        build_instance(people, {"g": {"f": (0, 2)}}, 2)
