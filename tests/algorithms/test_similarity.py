"""Cross-city similarity: properties and a hand-checked reference."""

import math

from hypothesis import given
from hypothesis import strategies as st

from kompass.algorithms.similarity import Doc, cosine, similar, tokens

WORDS = st.sampled_from(["Sensoren", "Bäume", "Bewässerung", "Schule", "Tablets", "Verwaltung", "Daten", "offen",
                         "Bürgerbeteiligung", "Radwege", "Verkehr", "Parkplätze"])
TEXT = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)


@given(TEXT, st.lists(TEXT, min_size=1, max_size=6))
def test_scores_are_in_range_and_sorted(query, texts):
    result = similar(Doc("q", query), [Doc(str(i), t) for i, t in enumerate(texts)], limit=10, minimum=0)
    scores = [s for _k, s in result]
    assert all(0 <= s <= 1 for s in scores) and scores == sorted(scores, reverse=True)


@given(TEXT, TEXT, st.lists(TEXT, max_size=4))
def test_cosine_is_symmetric(a, b, others):
    from kompass.algorithms.similarity import _vectors

    va, vb, *_ = _vectors([Doc("a", a), Doc("b", b), *[Doc(str(i), o) for i, o in enumerate(others)]])
    assert math.isclose(cosine(va, vb), cosine(vb, va), abs_tol=1e-12)


@given(TEXT)
def test_an_identical_text_is_the_best_match(text):
    result = similar(Doc("q", text), [Doc("same", text), Doc("other", "Zzzz Qqqq Xxxx")], minimum=0)
    assert result[0][0] == "same" and math.isclose(result[0][1], 0.75, abs_tol=1e-3)


def test_reference_ranking_german_inflections_match():
    query = Doc("q", "Bodenfeuchte-Sensoren an Straßenbäumen für datenbasierte Bewässerung", ("Umwelt und Klima",))
    cands = [Doc("trees", "Sensor für die Bodenfeuchte an Bäumen steuert die Bewässerung", ("Klima und Umwelt",)),
             Doc("school", "Tablets für Schulen und digitale Bildung", ("Bildung",)),
             Doc("traffic", "Sensoren zählen den Radverkehr", ("Mobilität",))]
    ranked = similar(query, cands, minimum=0)
    assert [k for k, _s in ranked][:2] == ["trees", "traffic"]
    assert ranked[-1][0] == "school" and ranked[-1][1] == 0
    assert tokens("Straßenbäume") == tokens("strassenbaeume")
