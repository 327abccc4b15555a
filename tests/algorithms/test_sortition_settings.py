"""The settings a sortition run is made with and what it reports about itself: the HiGHS options that make a
draw reproducible and its certificates tight, the retry ladder of a master LP that HiGHS could not solve, the
documented default time limits and their clamps, the run times a selection reports, and the exact pricing's
answer when no panel improves. Expected values come from the documented settings and from definitions here."""

import sys

import highspy
import numpy as np
import pytest

from kompass.algorithms.sortition import build_instance, goldilocks, leximin, select
from kompass.algorithms.sortition.oracle import PanelOracle, new_highs, solve_lp
from kompass.algorithms.sortition.relaxation import PanelPolytope
from tests.algorithms.test_sortition_internals import QUOTAS, eight_people, generated

LEXIMIN = sys.modules["kompass.algorithms.sortition.leximin"]
API = sys.modules["kompass.algorithms.sortition.api"]
FEASIBILITY = sys.modules["kompass.algorithms.sortition.feasibility"]


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


def option(h, name):
    status, value = h.getOptionValue(name)  # highspy returns (status, value)
    assert status == highspy.HighsStatus.kOk, name
    return value


def options(h, *names):
    return {name: option(h, name) for name in names}


def test_every_highs_model_is_quiet_single_threaded_and_seeded_so_that_a_draw_can_be_repeated():
    """One thread and a fixed random seed make HiGHS take the same path on every machine, so the same pool,
    quotas and seed give the same lottery; the LP tolerances are tight because certificates compare
    probabilities to 1e-7, and the LP runs the primal simplex, whose basis stays feasible when column generation
    adds a column. MIPs are solved to a relative gap of 1e-9."""
    lp = new_highs()
    assert options(lp, "output_flag", "threads", "random_seed", "simplex_strategy") == {
        "output_flag": False, "threads": 1, "random_seed": 0, "simplex_strategy": 4}
    assert options(lp, "primal_feasibility_tolerance", "dual_feasibility_tolerance") == {
        "primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
    assert option(lp, "time_limit") == np.inf  # no limit unless one is given
    mip = new_highs(12.5, mip=True)
    assert options(mip, "threads", "random_seed", "time_limit") == {"threads": 1, "random_seed": 0,
                                                                    "time_limit": 12.5}
    assert options(mip, "mip_rel_gap", "mip_abs_gap", "mip_feasibility_tolerance") == {
        "mip_rel_gap": 1e-9, "mip_abs_gap": 1e-10, "mip_feasibility_tolerance": 1e-9}
    assert option(mip, "simplex_strategy") != 4  # the LP settings are not applied to a MIP
    poly = PanelPolytope(build_instance(eight_people(), QUOTAS, 4))
    assert option(poly.model(), "simplex_strategy") == 1  # the relaxation's LPs are re-solved with new costs


class FlakyHighs:
    """Stands in for a master LP that HiGHS reports as not optimal until the `succeed_at`-th run (never when
    None); records the options in force at every run and whether the solver was cleared before it."""

    NAMES = ("simplex_strategy", "primal_feasibility_tolerance", "dual_feasibility_tolerance")

    def __init__(self, succeed_at):
        self.values = {"simplex_strategy": 4, "primal_feasibility_tolerance": 1e-10,
                       "dual_feasibility_tolerance": 1e-10}
        self.succeed_at, self.runs, self.cleared = succeed_at, [], 0

    def setOptionValue(self, name, value):  # noqa: N802 - HiGHS's name
        assert name in self.NAMES
        self.values[name] = value

    def getOptionValue(self, name):  # noqa: N802
        return self.values[name]

    def clearSolver(self):  # noqa: N802
        self.cleared += 1

    def run(self):
        self.runs.append((dict(self.values), self.cleared))

    def getModelStatus(self):  # noqa: N802
        ok = self.succeed_at is not None and len(self.runs) >= self.succeed_at
        return highspy.HighsModelStatus.kOptimal if ok else highspy.HighsModelStatus.kUnknown


LADDER = [
    {"simplex_strategy": 4, "primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10},
    {"simplex_strategy": 1, "primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10},
    {"simplex_strategy": 1, "primal_feasibility_tolerance": 1e-9, "dual_feasibility_tolerance": 1e-9},
    {"simplex_strategy": 0, "primal_feasibility_tolerance": 1e-8, "dual_feasibility_tolerance": 1e-8},
]


@pytest.mark.parametrize("succeed_at", [1, 2, 3, 4, None])
def test_a_master_lp_that_fails_is_solved_again_from_scratch_with_dual_simplex_then_looser_tolerances(succeed_at):
    """The ladder: the warm primal simplex, then from scratch the dual simplex, the same with tolerances 1e-9,
    then HiGHS's own choice with 1e-8; it stops at the first optimal solve, and the settings of the first rung
    are restored afterwards, so the next column generation step starts warm again."""
    h = FlakyHighs(succeed_at)
    assert solve_lp(h) is (succeed_at is not None)
    tried = len(LADDER) if succeed_at is None else succeed_at
    assert [opts for opts, _ in h.runs] == LADDER[:tried]
    assert [cleared for _, cleared in h.runs] == list(range(tried))  # every retry starts from scratch
    assert h.values == LADDER[0]


class FrozenClock:
    """perf_counter that reads 0 first and `later` ever after: a run that checks its clock sees `later` seconds
    pass at once and never more."""

    def __init__(self, later):
        self.later, self.read = later, False

    def __call__(self):
        first, self.read = not self.read, True
        return 0.0 if first else self.later


@pytest.mark.parametrize("run", [lambda inst: leximin(inst, relaxation=False), lambda inst: goldilocks(inst)],
                         ids=["leximin", "goldilocks"])
def test_an_optimisation_stops_after_five_minutes_by_default(monkeypatch, run):
    inst = build_instance(eight_people(), QUOTAS, 4)
    monkeypatch.setattr(LEXIMIN.time, "perf_counter", FrozenClock(299.5))
    assert run(inst).complete is True
    monkeypatch.setattr(LEXIMIN.time, "perf_counter", FrozenClock(300.5))
    stopped = run(inst)
    assert stopped.complete is False and stopped.state is not None


def spy(monkeypatch, module, name):
    """Replace module.name by a wrapper that records the keyword and positional arguments of every call."""
    calls, real = [], getattr(module, name)

    def wrapper(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_select_and_optimise_give_the_optimiser_five_minutes_and_its_solvers_clamped_limits(monkeypatch):
    """select checks feasibility with at most a minute and at least 10 s, optimise gives the pricing MIP between 5 s
    and a minute; the overall limit (default 300 s) goes to the optimiser unchanged."""
    inst = build_instance(eight_people(), QUOTAS, 4)
    feasible, optimised = spy(monkeypatch, API, "check_feasible"), spy(monkeypatch, API, "optimise")
    select(inst, seed="s", panels=10)
    assert feasible[-1][1]["time_limit"] == 60.0 and optimised[-1][0][3] == 300.0
    for limit, check in ((5.0, 10.0), (30.0, 30.0), (600.0, 60.0)):
        select(inst, seed="s", panels=10, time_limit=limit)
        assert feasible[-1][1]["time_limit"] == check and optimised[-1][0][3] == limit
    oracles, runs = spy(monkeypatch, API, "PanelOracle"), spy(monkeypatch, API, "leximin")
    for limit, pricing in ((None, 60.0), (1.0, 5.0), (20.0, 20.0), (900.0, 60.0)):
        API.optimise(inst, "leximin", **({} if limit is None else {"time_limit": limit}))
        assert oracles[-1][1]["time_limit"] == pricing and runs[-1][1]["time_limit"] == (limit or 300.0)


def test_leximin_without_an_oracle_gives_its_pricing_mip_a_clamped_limit(monkeypatch):
    inst = build_instance(eight_people(), QUOTAS, 4)
    oracles = spy(monkeypatch, LEXIMIN, "PanelOracle")
    for limit, pricing in ((None, 60.0), (2.0, 5.0), (45.0, 45.0), (900.0, 60.0)):
        leximin(inst, **({} if limit is None else {"time_limit": limit}))
        assert oracles[-1][1]["time_limit"] == pricing


def test_a_feasibility_check_gives_highs_thirty_seconds_by_default(monkeypatch):
    """The check asks the oracle for any panel; when there is none, the explanation solves its own MIP."""
    impossible = build_instance(eight_people(), {"g": {"f": (3, 3), "m": (3, 3)}, "a": QUOTAS["a"]}, 4)
    oracles, models = spy(monkeypatch, FEASIBILITY, "PanelOracle"), spy(monkeypatch, FEASIBILITY, "new_highs")
    assert FEASIBILITY.check_feasible(impossible) is not None
    assert oracles[-1][1]["time_limit"] == 30.0 and models[-1][0][0] == 30.0
    FEASIBILITY.explain(impossible)
    assert models[-1][0][0] == 30.0
    FEASIBILITY.explain(impossible, 7.0)
    assert models[-1][0][0] == 7.0


@pytest.mark.parametrize("algorithm", ["leximin", "goldilocks", "legacy"])
def test_a_selection_reports_the_time_of_each_step_within_its_total(algorithm):
    res = select(build_instance(eight_people(), QUOTAS, 4), algorithm=algorithm, seed="s", panels=20)
    steps = [res.runtime[k] for k in ("feasibility", "optimisation", "rounding")]
    assert all(s >= 0 for s in steps) and sum(steps) <= res.runtime["total"]
    assert set(res.runtime) == {"feasibility", "optimisation", "rounding", "total"}
    refused = select(eight_people(), {"g": {"f": (3, 3), "m": (3, 3)}, "a": QUOTAS["a"]}, 4, algorithm=algorithm)
    assert not refused.ok and set(refused.runtime) == {"feasibility"}
    assert 0 <= refused.runtime["feasibility"] < 60


def test_goldilocks_has_no_objective_when_some_respondent_can_never_be_selected():
    """Nobody with g = x may sit on a panel (maximum 0), so their probability is 0 and the objective
    max pi / (k/n) + gamma * max (k/n) / pi is unbounded: the certificate says None instead of a number."""
    from kompass.algorithms.sortition import Respondent

    people = [Respondent(f"p{i}", {"g": "fmx"[i % 3], "a": "yo"[i % 2]}) for i in range(12)]
    quotas = {"g": {"f": (1, 3), "m": (1, 3), "x": (0, 0)}, "a": {"y": (1, 3), "o": (1, 3)}}
    dist = goldilocks(build_instance(people, quotas, 4))
    assert dist.complete and dist.type_prob.min() == 0.0
    assert dist.certificate["objective"] is None and dist.certificate["min_probability_lower"] == 0.0


def test_a_resumed_leximin_run_starts_from_the_saved_panels(monkeypatch):
    """A run stopped by the clock saves its column pool; a resumed run that is stopped at once again must still
    hold every saved panel (it keeps them rather than searching for them again)."""
    from tests.algorithms.test_sortition_edges import TickingClock

    inst = generated(120, 12, 3)
    monkeypatch.setattr(LEXIMIN.time, "perf_counter", TickingClock())
    first = leximin(inst, time_limit=10, relaxation=False)
    saved = {tuple(p) for p in first.state["panels"]}
    assert not first.complete and len(saved) >= 8
    monkeypatch.setattr(LEXIMIN.time, "perf_counter", TickingClock())
    again = leximin(inst, time_limit=2, relaxation=False, state=first.state)
    assert not again.complete and saved <= {tuple(p) for p in again.state["panels"]}


def test_the_exact_pricing_returns_a_panel_only_when_it_improves_and_never_a_negative_gap():
    """Weights whose LP relaxation has a fractional optimum above the best panel (the MIP is asked): with the
    dual value y0 set so that the best panel improves by 0.05, it is returned with its gain; with y0 such that it
    falls short, no panel is returned and the proven bound on the gain is 0, not negative."""
    from kompass.algorithms.sortition.leximin import _Pricing

    inst = generated(40, 6, 0)
    poly = PanelPolytope(inst)
    w = np.random.default_rng(0).normal(size=(8, len(inst.types)))[7]
    best_panel, best, _ = PanelOracle(inst).solve(w)
    pricing = _Pricing(inst, PanelOracle(inst), poly)
    panel, gain = pricing.exact(w, -best + 0.05)
    assert panel == best_panel and gain == pytest.approx(0.05, abs=1e-9)
    assert pricing.calls == {"swap": 0, "lp": 1, "mip": 1}
    assert pricing.exact(w, -best - 0.01) == (None, 0.0)
    assert pricing.exact(w, -best) == (None, 0.0)
    assert pricing.calls["mip"] == 3
    lp_bound = poly.model()
    lp_bound.changeColsCost(poly.nt, np.arange(poly.nt, dtype=np.int32), w)
    lp_bound.run()
    top = lp_bound.getInfo().objective_function_value
    assert top > best + 0.1  # a fractional optimum well above the best panel
    assert pricing.exact(w, -top - 0.01) == (None, 0.0)  # the LP bound proves it: the MIP is not asked
    assert pricing.calls == {"swap": 0, "lp": 4, "mip": 3}
