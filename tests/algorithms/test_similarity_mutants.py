"""Similarity behaviour that mutation testing showed loose (docs/mutation/algorithms.md): stemming edges, token
rules, the blend of text and field overlap, limits and ties. The score is recomputed here from its definition."""

import math
from collections import Counter

import pytest

from kompass.algorithms.similarity import Doc, jaccard, similar, stem, tokens


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


@pytest.mark.parametrize(("word", "expected"), [
    ("messungen", "mess"), ("planung", "plan"), ("freiheit", "frei"), ("sauberkeit", "sauber"),
    ("staedtisch", "staedt"), ("raeumlich", "raeum"), ("schulen", "schul"), ("daten", "date"), ("baeume", "baeum"),
    ("haus", "haus"), ("haeuser", "haeus"), ("rades", "rade"), ("rads", "rads"), ("radweges", "radweg"),
    ("park", "park")])
def test_stems_drop_the_first_matching_suffix_but_keep_four_letters(word, expected):
    assert stem(word) == expected


def test_tokens_fold_umlauts_and_drop_stopwords_and_short_words():
    assert tokens("Die Bäume und ÖPNV-Straßen im Park, ab 2030") == ["baeum", "oepnv", "strass", "park", "2030"]
    assert tokens("") == [] and tokens(None) == []


def test_jaccard():
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert jaccard(set(), set()) == 0.0 and jaccard({"a"}, {"a"}) == 1.0


def reference(query, candidates, text_weight=0.75):
    """TF-IDF (1 + ln tf) · ln((1 + n) / (1 + df) + 1), L2-normalised, cosine; blended with the Jaccard overlap of
    the action-field tokens."""
    docs = [query, *candidates]
    counts = [Counter(tokens(d.text)) for d in docs]
    n = len(docs)
    df = Counter(t for c in counts for t in set(c))
    vectors = []
    for c in counts:
        w = {t: (1 + math.log(k)) * math.log((1 + n) / (1 + df[t]) + 1) for t, k in c.items()}
        norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
        vectors.append({t: v / norm for t, v in w.items()})
    q_fields = {t for f in query.fields for t in tokens(f)}
    out = {}
    for doc, vec in zip(candidates, vectors[1:], strict=True):
        cos = sum(v * vec.get(t, 0.0) for t, v in vectors[0].items())
        fields = {t for f in doc.fields for t in tokens(f)}
        out[doc.key] = text_weight * min(1.0, cos) + (1 - text_weight) * jaccard(q_fields, fields)
    return out


CANDIDATES = [
    Doc("trees", "Sensoren messen die Bodenfeuchte an Bäumen", ("Umwelt",)),
    Doc("water", "Bewässerung der Bäume nach Messdaten der Sensoren", ("Umwelt", "Klima")),
    Doc("school", "Tablets für Schulen", ("Bildung",)),
    Doc("traffic", "Sensoren zählen den Radverkehr", ("Mobilität",)),
]
QUERY = Doc("q", "Sensoren für die Bewässerung von Straßenbäumen", ("Klima und Umwelt",))


@pytest.mark.parametrize("text_weight", [0.75, 0.5, 1.0])
def test_scores_are_the_blend_of_tfidf_cosine_and_field_overlap(text_weight):
    expected = reference(QUERY, CANDIDATES, text_weight)
    got = dict(similar(QUERY, CANDIDATES, limit=10, minimum=0, text_weight=text_weight))
    assert got == pytest.approx({k: round(v, 4) for k, v in expected.items()}, abs=1e-4)


def test_limit_minimum_and_ties_by_key():
    scores = reference(QUERY, CANDIDATES)
    cut = sorted(scores.values())[1]
    kept = similar(QUERY, CANDIDATES, limit=10, minimum=cut)
    assert {k for k, _s in kept} == {k for k, v in scores.items() if round(v, 4) >= round(cut, 4)}
    assert len(similar(QUERY, CANDIDATES, limit=2, minimum=0)) == 2
    twins = [Doc("b", "Radwege"), Doc("a", "Radwege")]
    assert [k for k, _s in similar(Doc("q", "Radwege"), twins, minimum=0)] == ["a", "b"]
    assert similar(QUERY, []) == []


def test_the_default_minimum_keeps_partly_similar_ideas_and_drops_unrelated_ones():
    """A candidate sharing some words scores well below 1 but above the default minimum of 0.08; one sharing none
    scores 0 and is left out."""
    query = Doc("q", "Mehr Bäume und Schatten in der Innenstadt pflanzen")
    partly = Doc("a", "Bäume an Schulen pflanzen, damit Kinder im Sommer Schatten haben")
    unrelated = Doc("b", "Digitale Bürgerämter mit Terminvergabe per App")
    found = similar(query, [partly, unrelated])
    assert [key for key, _ in found] == ["a"]
    assert 0.08 <= found[0][1] < 0.9
    assert similar(query, [partly], minimum=found[0][1] + 0.01) == []
