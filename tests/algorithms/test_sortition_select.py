"""The entry points of sortition (select, optimise, maximin) and their progress reports on small instances: the
summary values, the refusal of unknown algorithms, the stop of the level-by-level fallback and the order of the
progress phases. Split from test_sortition_internals.py, whose instances these tests share."""

import numpy as np
import pytest

from kompass.algorithms.sortition import Respondent, build_instance, leximin, select
from kompass.algorithms.sortition.leximin import ATTAIN_TOL
from kompass.algorithms.sortition.relaxation import PanelPolytope
from tests.algorithms.test_sortition_internals import (
    QUOTAS,
    capped_instance,
    eight_people,
    generated,
    panel_meets_quotas,
)


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


def test_select_keys_probabilities_by_member_and_accepts_a_built_instance():
    people = eight_people()
    res = select(people, QUOTAS, 4, seed=7, panels=20)
    inst = res.instance
    assert res.seed == "7"
    assert set(res.probabilities) == set(res.lottery_probabilities) == {p.id for p in people}
    for p in people:
        ti = inst.respondent_type[p.id]
        assert res.probabilities[p.id] == pytest.approx(float(res.distribution.type_prob[ti]))
        share = np.mean([panel[ti] for panel in res.lottery["panels"]]) / inst.types[ti].count
        assert res.lottery_probabilities[p.id] == pytest.approx(share)
    again = select(inst, seed="7", panels=20)
    assert again.list_hash == res.list_hash and again.panel == res.panel and again.instance is inst
    fresh = select(people, QUOTAS, 4, panels=20)
    assert len(fresh.seed) == 32 and int(fresh.seed, 16) >= 0 and fresh.seed != select(people, QUOTAS, 4).seed


def test_unknown_algorithms_are_refused_by_name():
    from kompass.algorithms.sortition import optimise

    with pytest.raises(ValueError, match="'lexi'; choose one of leximin, maximin, goldilocks, legacy"):
        select(eight_people(), QUOTAS, 4, algorithm="lexi")
    with pytest.raises(ValueError, match="unknown algorithm 'legacy'"):
        optimise(build_instance(eight_people(), QUOTAS, 4), "legacy")
    with pytest.raises(ValueError, match="unknown algorithm 'gold'"):  # sorts before "goldilocks"
        optimise(build_instance(eight_people(), QUOTAS, 4), "gold")


@pytest.mark.parametrize("algorithm", ["leximin", "maximin", "goldilocks"])
def test_optimise_runs_the_named_algorithm(algorithm):
    from kompass.algorithms.sortition import optimise

    dist = optimise(build_instance(eight_people(), QUOTAS, 4), algorithm, gamma=2.0)
    assert dist.complete and dist.type_prob == pytest.approx(np.full(4, 0.5), abs=1e-6)
    assert dist.certificate["method"] == ("goldilocks" if algorithm == "goldilocks" else "relaxation")
    if algorithm == "goldilocks":
        assert dist.certificate["objective"] == pytest.approx(1.0 + 2.0 / 1.0, abs=1e-6)


def test_maximin_stops_the_level_by_level_fallback_after_the_first_level():
    """Capped instance: the f members can get at most 2/8 = 0.25, the m members then 0.5; LEXIMIN certifies both
    levels, MAXIMIN only the first (its distribution is still a valid lottery)."""
    from kompass.algorithms.sortition import maximin

    inst = capped_instance()
    full, first = leximin(inst, relaxation=False), maximin(inst, relaxation=False)
    assert full.levels == pytest.approx([0.25, 0.5]) and full.certificate["levels_certified"] == 2
    assert first.levels == pytest.approx([0.25]) and first.certificate["levels_certified"] == 1
    assert first.type_prob.min() == pytest.approx(0.25) and first.complete
    assert first.weights.sum() == pytest.approx(1.0) and all(panel_meets_quotas(inst, p) for p in first.panels)
    main = maximin(inst)  # the main path certifies the whole LEXIMIN vector anyway
    assert main.levels == pytest.approx([0.25, 0.5])


def test_a_pool_where_everyone_is_fixed_certifies_probability_one_without_levels():
    people = [Respondent(f"p{i}", {"g": "f" if i < 2 else "m"}) for i in range(4)]
    inst = build_instance(people, {"g": {"f": (2, 2), "m": (2, 2)}}, 4, fixed=[p.id for p in people])
    dist = leximin(inst, relaxation=False)
    assert dist.levels == [] and dist.type_prob == pytest.approx(np.ones(4))
    assert dist.certificate == {
        "method": "column generation", "complete": True, "max_shortfall": 0.0, "pricing_gap": 0.0,
        "min_probability_lower": 1.0, "min_probability_upper": 1.0, "levels_certified": 0, "types_fixed": 4}


def test_a_run_stopped_at_once_reports_what_it_has_proven():
    """A time limit of a microsecond stops both paths at their first check: the lottery is the feasible base panel,
    the bounds are what is proven then (the relaxed LEXIMIN level above, the panel's minimum below)."""
    from kompass.algorithms.sortition.relaxation import relaxed_leximin

    inst = generated(40, 6, 0)
    target, levels = relaxed_leximin(PanelPolytope(inst))
    part = leximin(inst, time_limit=1e-6)
    assert not part.complete and part.stats["peeling"]["status"] == "time limit"
    shortfall = float((target - part.type_prob).max())
    assert part.certificate == {
        "method": "relaxation", "complete": False, "max_shortfall": pytest.approx(shortfall),
        "pricing_gap": None, "min_probability_lower": pytest.approx(float(part.type_prob.min())),
        "min_probability_upper": pytest.approx(levels[0][0]), "levels_certified": 0, "types_fixed": 0}
    assert part.certificate["max_shortfall"] > ATTAIN_TOL
    assert part.state["peel"] == {"panels": [], "weights": []} and part.state["fixed"] == {}
    classic = leximin(inst, time_limit=1e-6, relaxation=False)
    assert not classic.complete and "peel" not in classic.state
    assert classic.certificate == {
        "method": "column generation", "complete": False, "max_shortfall": None, "pricing_gap": None,
        "min_probability_lower": pytest.approx(float(classic.type_prob.min())), "min_probability_upper": None,
        "levels_certified": 0, "types_fixed": 0}


def test_progress_reports_relaxation_peeling_and_verification_in_order():
    """Capped instance: the relaxed LEXIMIN has two levels (0.25, 0.5), two panels peel the target off, and the
    exact master then reaches the target for all four types."""
    inst = capped_instance()
    infos = []
    dist = leximin(inst, progress=infos.append)
    head = {"level": 2, "fixed": 0, "types": 4, "lower": 0.0, "upper": pytest.approx(0.25)}
    assert infos[0] == {"phase": "relaxation", **head}
    peeling = [i for i in infos if i["phase"] == "peeling"]
    assert [i["panels"] for i in peeling] == list(range(1, len(peeling) + 1)) == [1, 2]
    assert all({k: i[k] for k in head} == head for i in peeling)
    masses = [i["mass_left"] for i in peeling]
    assert masses == sorted(masses, reverse=True) and 0 < masses[0] < 1 and masses[-1] == pytest.approx(0, abs=1e-9)
    last = infos[-1]
    assert [i["phase"] for i in infos] == ["relaxation", "peeling", "peeling", "verify"]
    assert last["fixed"] == 4 and last["level"] == 2 and last["upper"] == pytest.approx(0.25)
    assert last["lower"] == pytest.approx(dist.type_prob.min()) and 0 <= last["shortfall"] <= ATTAIN_TOL


def test_progress_of_the_level_by_level_fallback_names_each_level():
    inst = capped_instance()
    infos = []
    leximin(inst, progress=infos.append, relaxation=False)
    assert [i["phase"] for i in infos] == ["relaxation", "levels", "levels"]
    first, second = infos[1], infos[2]
    assert (first["level"], first["fixed"], first["types"]) == (1, 0, 4)
    assert (second["level"], second["fixed"], second["types"]) == (2, 2, 4)  # the two f types were fixed at 0.25
    assert first["lower"] == pytest.approx(0.25) and first["upper"] == pytest.approx(first["lower"], abs=1e-9)
    assert second["lower"] == pytest.approx(0.5) and second["upper"] == pytest.approx(second["lower"], abs=1e-9)
