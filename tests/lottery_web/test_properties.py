"""Property tests of the quota helper and the seeded replacement ranking."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kompass.lottery import services

shares = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.floats(0, 1, allow_nan=False), min_size=1)


@settings(max_examples=200, deadline=None)
@given(shares=shares, k=st.integers(1, 200), tol=st.integers(0, 10))
def test_suggested_quotas_bracket_the_proportional_target(shares, k, tol):
    out = services.suggest_quotas({"cat": shares}, k, tol)["cat"]
    for value, share in shares.items():
        lo, hi = out[value]
        target = round(share * k)
        assert 0 <= lo <= hi <= k
        assert lo <= target <= hi
        assert hi - lo <= 2 * tol


@settings(max_examples=100, deadline=None)
@given(ids=st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=30, unique=True), seed=st.text(max_size=10))
def test_replacement_ranking_is_a_deterministic_permutation(ids, seed):
    order = sorted(ids, key=lambda p: (services._rank(seed, "h", p), p))
    again = sorted(reversed(ids), key=lambda p: (services._rank(seed, "h", p), p))
    assert order == again and sorted(order) == sorted(ids)


@given(addr=st.text(max_size=40))
def test_household_key_ignores_case_and_spacing(addr):
    class P:
        slug = "x"

    key = services.household_key(P, addr)
    assert key == services.household_key(P, "  " + addr.lower().replace(" ", "  ") + " \t")
    assert (key == "") == (addr.split() == [])
