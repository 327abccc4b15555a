"""Certified LEXIMIN via the LP relaxation (issue 10): certificate, partial result on the time limit, resume,
and the Berlin-like instance generator of the benchmark. Small instances only; no timed assertions."""

from collections import Counter

import numpy as np
import pytest

from bench.lottery import generate
from kompass.algorithms.sortition import Respondent, SolveError, build_instance, leximin, maximin
from kompass.algorithms.sortition.leximin import STATE_FORMAT, fingerprint
from kompass.algorithms.sortition.relaxation import FaceRepair, PanelPolytope, caratheodory, relaxed_leximin


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


def instance(n=120, k=16, exact=False, seed=7, extra=0):
    pool = generate.generate("t", n, k, extra=extra, exact=exact, seed=seed)
    resp = [Respondent(r["id"], {c: r[c] for c in pool.features}) for r in pool.rows]
    return build_instance(resp, pool.quotas, k)


def assert_valid(inst, dist):
    """Every panel meets k and every quota; weights are a distribution; type_prob is what they imply."""
    assert abs(dist.weights.sum() - 1) < 1e-9 and (dist.weights > 0).all()
    for panel in dist.panels:
        x = np.array(panel)
        assert x.sum() == inst.k
        assert ((x >= 0) & (x <= np.array(inst.counts))).all()
        for cat, val, tis in inst.feature_index():
            lo, hi = inst.quotas[cat][val]
            assert lo <= x[tis].sum() <= hi, (cat, val)
    implied = dist.weights @ (np.array(dist.panels, dtype=float) / np.array(inst.counts))
    assert np.allclose(implied, dist.type_prob, atol=1e-12)


@pytest.mark.parametrize("exact", [False, True])
def test_relaxation_certificate_matches_classic_column_generation(exact):
    inst = instance(exact=exact)
    fast = leximin(inst)
    classic = leximin(inst, relaxation=False)
    assert fast.complete and classic.complete
    assert fast.certificate["method"] in ("relaxation", "column generation")
    assert fast.certificate["max_shortfall"] <= 1e-7
    assert_valid(inst, fast)
    # same LEXIMIN vector (sorted per person) from two independent certificates
    per = lambda d: np.sort(np.repeat(d.type_prob, inst.counts))  # noqa: E731
    assert np.max(np.abs(per(fast) - per(classic))) < 1e-6
    assert abs(fast.type_prob.min() - fast.certificate["min_probability_upper"]) < 1e-6


def test_relaxed_leximin_is_an_upper_bound_for_every_lottery():
    inst = instance(n=80, k=12, seed=3)
    poly = PanelPolytope(inst)
    target, levels = relaxed_leximin(poly)
    assert levels[0][0] == pytest.approx(target.min())
    assert [lv for lv, _ in levels] == sorted(lv for lv, _ in levels)  # levels never go down
    # the expected composition lies in the relaxation: sum k and quotas hold in expectation
    q = target * poly.c
    assert q.sum() == pytest.approx(inst.k)
    assert ((poly.M @ q >= poly.lo - 1e-7) & (poly.M @ q <= poly.hi + 1e-7)).all()
    # any single valid panel (a lottery of one) is no better than the target in its minimum
    dist = leximin(inst)
    for panel in dist.panels[:5]:
        assert (np.array(panel) / poly.c).min() <= target.min() + 1e-9


def test_caratheodory_panels_are_valid_and_weights_cover_the_target():
    inst = instance(n=80, k=12, seed=4)
    poly = PanelPolytope(inst)
    target, _ = relaxed_leximin(poly)
    panels, weights, left, stats = caratheodory(poly, target, deadline=float("inf"))
    assert stats["steps"] == len(panels) > 0
    assert sum(weights) == pytest.approx(1 - left, abs=1e-9)
    for p in panels:
        x = np.array(p)
        assert x.sum() == inst.k and ((poly.M @ x >= poly.lo) & (poly.M @ x <= poly.hi)).all()
    got = np.array(weights) @ (np.array(panels, dtype=float) / poly.c)
    assert (got <= target + 1e-7).all()  # peeling never overshoots the target
    # resuming from a prefix continues instead of starting again
    cut = max(1, len(panels) // 2)
    again, w2, left2, _ = caratheodory(poly, target, float("inf"), start=(panels[:cut], weights[:cut]))
    assert again[:cut] == panels[:cut] and left2 <= 1e-7 + left


def test_face_repair_returns_only_panels_of_the_face():
    """The repair heuristic (previous panel, then 1-swaps) either fails or returns an integer panel that meets
    the face's type bounds and quota rows exactly; peeling with it uses far fewer MIPs than steps."""
    inst = instance(n=200, k=20, seed=9, extra=1)
    poly = PanelPolytope(inst)
    target, _ = relaxed_leximin(poly)
    panels, _, _, stats = caratheodory(poly, target, deadline=float("inf"))
    assert stats["repair"] > 0 and stats["mip"] < stats["steps"]
    repair = FaceRepair(poly)
    rng = np.random.default_rng(0)
    found = 0
    for start, face in zip(panels[:-1], panels[1:], strict=True):
        x = np.array(face, dtype=float)
        # a face around the next panel: some types pinned to it, some quota rows made equalities
        pin = rng.random(poly.nt) < 0.3
        lb = np.where(pin, x, poly.lower)
        ub = np.where(pin, x, poly.c)
        sx = poly.M @ x
        tight = rng.random(len(sx)) < 0.3
        qlo, qhi = np.where(tight, sx, poly.lo), np.where(tight, sx, poly.hi)
        got = repair.find(np.array(start), rng.random(poly.nt), lb, ub, qlo, qhi)
        if got is None:
            continue
        found += 1
        assert got.sum() == inst.k and np.array_equal(got, np.rint(got))
        assert ((got >= lb) & (got <= ub)).all()
        sg = poly.M @ got
        assert ((sg >= qlo) & (sg <= qhi)).all()
    assert found > 0


def test_time_limit_gives_a_valid_incomplete_lottery_with_bounds_and_state():
    inst = instance(n=150, k=20, seed=11)
    part = leximin(inst, time_limit=1e-6)
    assert not part.complete
    assert_valid(inst, part)
    cert = part.certificate
    assert cert["complete"] is False
    assert cert["min_probability_lower"] <= part.type_prob.min() + 1e-12
    assert cert["min_probability_lower"] <= cert["min_probability_upper"] + 1e-12
    assert part.state["format"] == STATE_FORMAT and part.state["fingerprint"] == fingerprint(inst)
    assert len(part.state["panels"]) >= 1
    # continue from the state: finishes, certified, same optimum as a fresh run
    done = leximin(inst, state=part.state)
    fresh = leximin(inst)
    assert done.complete and done.state is None
    assert abs(done.type_prob.min() - fresh.type_prob.min()) < 1e-7
    assert np.allclose(np.sort(done.type_prob), np.sort(fresh.type_prob), atol=1e-6)


def test_time_limit_in_the_fallback_keeps_certified_levels_in_the_state():
    inst = instance(n=100, k=14, seed=5)
    part = leximin(inst, time_limit=1e-6, relaxation=False)
    assert not part.complete and part.certificate["method"] == "column generation"
    assert_valid(inst, part)
    done = leximin(inst, state=part.state, relaxation=False)
    assert done.complete
    assert abs(done.type_prob.min() - leximin(inst).type_prob.min()) < 1e-7


def test_goldilocks_time_limit_gives_a_valid_incomplete_lottery_that_can_be_continued():
    from kompass.algorithms.sortition import goldilocks

    inst = instance(n=80, k=12, seed=13)
    part = goldilocks(inst, time_limit=1e-6)
    assert not part.complete and part.certificate["method"] == "goldilocks"
    assert part.certificate["complete"] is False
    assert_valid(inst, part)
    assert part.certificate["min_probability_lower"] == pytest.approx(part.type_prob.min())
    assert part.state["format"] == STATE_FORMAT and part.state["fingerprint"] == fingerprint(inst)
    done = goldilocks(inst, state=part.state)
    fresh = goldilocks(inst)
    assert done.complete and done.state is None and done.certificate["complete"] is True
    assert done.certificate["objective"] == pytest.approx(fresh.certificate["objective"], rel=1e-6)
    assert done.certificate["objective"] <= part.certificate["objective"] + 1e-9
    with pytest.raises(SolveError, match="different pool"):
        goldilocks(instance(n=80, k=12, seed=14), state=part.state)


def test_state_of_another_instance_is_refused():
    a, b = instance(seed=1), instance(seed=2)
    part = leximin(a, time_limit=1e-6)
    with pytest.raises(SolveError, match="different pool"):
        leximin(b, state=part.state)


def test_maximin_minimum_equals_leximin_minimum():
    inst = instance(n=100, k=14, seed=8)
    assert maximin(inst).type_prob.min() == pytest.approx(leximin(inst, relaxation=False).type_prob.min(), abs=1e-7)


def test_generator_is_deterministic_and_biased_like_a_real_response():
    a = generate.generate("x", 3000, 70, seed=9)
    b = generate.generate("x", 3000, 70, seed=9)
    assert a.rows == b.rows and a.n == 3000
    share = Counter(r["Bildung"] for r in a.rows)["hoch"] / a.n
    assert share > 0.39 + 0.1  # population share 39 %: respondents are more often highly educated
    young = Counter(r["Alter"] for r in a.rows)["16-29"] / a.n
    assert young < 0.18  # and less often young
    # quotas: around k x population share with slack; the pool can meet every minimum
    for cat, q in a.quotas.items():
        assert sum(lo for lo, _ in q.values()) <= 70 <= sum(hi for _, hi in q.values())
        have = Counter(r[cat] for r in a.rows)
        assert all(have[v] >= lo for v, (lo, _) in q.items())
    assert a.quotas["Bezirk"]["Pankow"][0] < round(70 * 0.110) < a.quotas["Bezirk"]["Pankow"][1]


def test_generator_exact_quotas_and_extra_features():
    p = generate.generate("x", 400, 70, exact=True, extra=2, seed=3)
    assert set(p.features) == set(generate.FEATURES) | set(generate.EXTRA_FEATURES)
    for q in p.quotas.values():
        assert all(lo == hi for lo, hi in q.values())
        assert sum(lo for lo, _ in q.values()) == 70


def test_profile_stats_count_distinct_and_unique_profiles():
    p = generate.generate("x", 50, 10, seed=1)
    p.rows = [dict(p.rows[0], id="a"), dict(p.rows[0], id="b"), dict(p.rows[1], id="c")]
    p.rows[2]["Bezirk"] = "Mitte" if p.rows[0]["Bezirk"] != "Mitte" else "Spandau"
    assert p.profile_stats() == (2, pytest.approx(1 / 3))


def test_progress_reports_phase_level_profiles_fixed_and_bounds():
    inst = instance(n=80, k=12, seed=6)
    seen = []
    dist = leximin(inst, progress=seen.append)
    assert {"relaxation", "peeling", "verify"} <= {s["phase"] for s in seen}
    for s in seen:
        assert {"level", "fixed", "types", "lower", "upper"} <= set(s)
        assert 0 <= s["fixed"] <= s["types"] == len(inst.types)
        assert s["lower"] <= s["upper"] + 1e-9
    last = seen[-1]
    assert last["phase"] == "verify" and last["fixed"] == len(inst.types)
    assert last["lower"] == pytest.approx(dist.type_prob.min(), abs=1e-12)
