"""LEXIMIN / MAXIMIN / Goldilocks on small instances, checked against brute force over all feasible panels."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from kompass.algorithms.sortition import (
    Respondent,
    build_instance,
    check_feasible,
    goldilocks,
    leximin,
    maximin,
    select,
)

TOL = 1e-6


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


def person_panels(resp, quotas, k, households=True, fixed=()):
    """All feasible person-level panels (tiny pools only)."""
    out = []
    for combo in itertools.combinations(range(len(resp)), k):
        if not set(fixed) <= {resp[i].id for i in combo}:
            continue
        ok = True
        for cat, vals in quotas.items():
            for v, (lo, hi) in vals.items():
                c = sum(resp[i].features[cat] == v for i in combo)
                if not lo <= c <= hi:
                    ok = False
        if households:
            keys = [resp[i].household for i in combo if resp[i].household]
            if len(keys) != len(set(keys)):
                ok = False
        if ok:
            out.append(combo)
    return out


def brute_leximin(n, panels):
    """Reference LEXIMIN by LPs over all panels; tight agents found by one LP per agent (robust, slow)."""
    P = len(panels)
    A = np.zeros((n, P))
    for j, c in enumerate(panels):
        A[list(c), j] = 1.0
    fixed = {}
    while len(fixed) < n:
        free = [i for i in range(n) if i not in fixed]
        # variables: lambda_1..P, z ; maximise z
        cost = np.zeros(P + 1)
        cost[-1] = -1
        A_ub, b_ub = [], []
        for i in free:
            A_ub.append(np.concatenate((-A[i], [1.0])))
            b_ub.append(0.0)
        for i, p in fixed.items():
            A_ub.append(np.concatenate((-A[i], [0.0])))
            b_ub.append(-(p - 1e-9))
        res = linprog(
            cost,
            A_ub=np.array(A_ub),
            b_ub=b_ub,
            A_eq=[np.concatenate((np.ones(P), [0]))],
            b_eq=[1],
            bounds=[(0, None)] * P + [(0, 1)],
            method="highs",
        )
        z = res.x[-1]
        newly = []
        for i in free:
            c2 = np.zeros(P + 1)
            c2[:P] = -A[i]
            A2 = [np.concatenate((-A[j], [0.0])) for j in free] + [np.concatenate((-A[j], [0.0])) for j in fixed]
            b2 = [-(z - 1e-9)] * len(free) + [-(p - 1e-9) for p in fixed.values()]
            r2 = linprog(
                c2,
                A_ub=np.array(A2),
                b_ub=b2,
                A_eq=[np.concatenate((np.ones(P), [0]))],
                b_eq=[1],
                bounds=[(0, None)] * P + [(0, 0)],
                method="highs",
            )
            if -r2.fun <= z + 1e-7:
                newly.append(i)
        for i in newly:
            fixed[i] = z
    return np.array([fixed[i] for i in range(n)])


def person_probs(inst, dist, resp):
    return np.array([dist.type_prob[inst.respondent_type[r.id]] for r in resp])


def leximin_property_holds(n, panels, p):
    """No agent's probability can be raised without lowering one that is not larger."""
    P = len(panels)
    A = np.zeros((n, P))
    for j, c in enumerate(panels):
        A[list(c), j] = 1.0
    for i in range(n):
        others = [j for j in range(n) if j != i and p[j] <= p[i] + 1e-6]
        c = -A[i]
        A_ub = np.array([-A[j] for j in others]) if others else None
        b_ub = [-(p[j] - 1e-8) for j in others] if others else None
        r = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=[np.ones(P)], b_eq=[1], bounds=[(0, None)] * P, method="highs")
        if -r.fun > p[i] + 1e-6:
            return False
    return True


@st.composite
def tiny_instance(draw):
    n = draw(st.integers(4, 8))
    k = draw(st.integers(1, min(4, n - 1)))
    ncat = draw(st.integers(1, 2))
    quotas = {}
    feats = []
    for c in range(ncat):
        nv = draw(st.integers(2, 3))
        vals = [f"v{c}{j}" for j in range(nv)]
        quotas[f"c{c}"] = {}
        for v in vals:
            lo = draw(st.integers(0, 1))
            hi = draw(st.integers(max(lo, 1), k))
            quotas[f"c{c}"][v] = (lo, hi)
        feats.append([draw(st.sampled_from(vals)) for _ in range(n)])
    use_hh = draw(st.booleans())
    hh = [draw(st.sampled_from(["a", "b", None, None, None])) if use_hh else None for _ in range(n)]
    resp = [Respondent(f"r{i}", {f"c{c}": feats[c][i] for c in range(ncat)}, hh[i]) for i in range(n)]
    return resp, quotas, k


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instance())
def test_leximin_matches_brute_force(data):
    resp, quotas, k = data
    panels = person_panels(resp, quotas, k)
    inst = build_instance(resp, quotas, k)
    if not panels:
        assert check_feasible(inst) is not None
        return
    assert check_feasible(inst) is None
    dist = leximin(inst)
    p = person_probs(inst, dist, resp)
    ref = brute_leximin(len(resp), panels)
    assert np.allclose(np.sort(p), np.sort(ref), atol=TOL)
    assert np.allclose(p, ref, atol=TOL)  # LEXIMIN is unique
    assert abs(p.sum() - k) < 1e-6
    assert leximin_property_holds(len(resp), panels, p)
    # every support panel satisfies the quotas and the household rule
    for x in dist.panels:
        assert sum(x) == k
        for ci, cat in enumerate(inst.categories):
            for v, (lo, hi) in inst.quotas[cat].items():
                c = sum(xt for xt, t in zip(x, inst.types, strict=True) if t.profile[ci] == v)
                assert lo <= c <= hi
        for group in inst.households:
            assert sum(x[t] for t in group) <= 1
    mm = maximin(inst)
    assert abs(mm.type_prob.min() - p.min()) < TOL
    gl = goldilocks(inst)
    pg = person_probs(inst, gl, resp)
    assert abs(pg.sum() - k) < 1e-6
    assert pg.min() <= p.min() + TOL  # nothing beats the LEXIMIN minimum


def test_fixed_members_are_always_selected():
    resp = [Respondent(f"r{i}", {"g": "a" if i % 2 else "b"}) for i in range(6)]
    quotas = {"g": {"a": (1, 2), "b": (1, 2)}}
    inst = build_instance(resp, quotas, 3, fixed=["r1"])
    dist = leximin(inst)
    p = person_probs(inst, dist, resp)
    assert abs(p[1] - 1) < 1e-9
    ref = brute_leximin(6, person_panels(resp, quotas, 3, fixed=["r1"]))
    assert np.allclose(p, ref, atol=TOL)


def test_household_rule_respected():
    resp = [
        Respondent("a1", {"g": "x"}, "h1"),
        Respondent("a2", {"g": "x"}, "h1"),
        Respondent("b", {"g": "y"}),
        Respondent("c", {"g": "y"}),
        Respondent("d", {"g": "x"}),
    ]
    quotas = {"g": {"x": (2, 2), "y": (1, 1)}}
    inst = build_instance(resp, quotas, 3)
    dist = leximin(inst)
    p = person_probs(inst, dist, resp)
    ref = brute_leximin(5, person_panels(resp, quotas, 3))
    assert np.allclose(p, ref, atol=TOL)
    res = select(inst, seed="s")
    assert not {"a1", "a2"} <= set(res.panel)


def test_types_group_identical_profiles():
    resp = [Respondent(str(i), {"g": "a" if i < 50 else "b", "h": "x" if i % 2 else "y"}) for i in range(100)]
    inst = build_instance(resp, {"g": {"a": (5, 5), "b": (5, 5)}, "h": {"x": (3, 7), "y": (3, 7)}}, 10)
    assert len(inst.types) == 4
    assert abs(leximin(inst).type_prob.min() - 0.1) < 1e-9


@pytest.mark.parametrize("gamma", [1.0, 2.0])
def test_goldilocks_objective_not_worse_than_leximin(gamma):
    resp = [Respondent(str(i), {"g": "a" if i < 3 else "b", "h": "x" if i in (0, 3, 4) else "y"}) for i in range(9)]
    quotas = {"g": {"a": (1, 2), "b": (1, 2)}, "h": {"x": (1, 2), "y": (1, 2)}}
    inst = build_instance(resp, quotas, 3)
    scale = inst.n / inst.k

    def obj(p):
        return p.max() * scale + gamma / (p.min() * scale)

    gl, lx = goldilocks(inst, gamma=gamma), leximin(inst)
    assert obj(gl.type_prob) <= obj(lx.type_prob) + 1e-6
