"""Text similarity of measures across cities: TF-IDF cosine over German-aware word stems, blended with the overlap
of action-field words. Pure Python, no Django."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

STOPWORDS = frozenset("""
aber alle als am an auch auf aus bei bis das dass dem den der des die durch ein eine einem einen einer eines
für fuer im in ist mit nach nicht noch oder sich sie sind so über ueber um und uns unter vom von vor wie wir
wird werden zu zum zur the and for of to a an in on with by is are be
""".split())
WORD = re.compile(r"[a-z0-9]+")
SUFFIXES = ("ungen", "ung", "heit", "keit", "lich", "isch", "en", "er", "es", "e", "n", "s")


def _fold(text: str) -> str:
    text = text.lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    return [stem(w) for w in WORD.findall(_fold(text or "")) if len(w) > 2 and w not in STOPWORDS]


@dataclass(frozen=True)
class Doc:
    key: str
    text: str
    fields: tuple[str, ...] = ()  # action-field names


def _vectors(docs: Sequence[Doc]) -> list[dict[str, float]]:
    counts = [Counter(tokens(d.text)) for d in docs]
    df = Counter(t for c in counts for t in c)
    n = len(docs)
    out = []
    for c in counts:
        vec = {t: (1 + math.log(k)) * math.log((1 + n) / (1 + df[t]) + 1) for t, k in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({t: v / norm for t, v in vec.items()})
    return out


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return max(0.0, min(1.0, sum(v * b.get(t, 0.0) for t, v in a.items())))


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def similar(query: Doc, candidates: Sequence[Doc], *, limit: int = 5, text_weight: float = 0.75,
            minimum: float = 0.08) -> list[tuple[str, float]]:
    """The candidates most similar to `query`, best first, as (key, score in [0, 1]); ties by key."""
    if not candidates:
        return []
    vectors = _vectors([query, *candidates])
    qv = vectors[0]
    qf = {t for f in query.fields for t in tokens(f)}
    scored = []
    for doc, vec in zip(candidates, vectors[1:], strict=True):
        fields = {t for f in doc.fields for t in tokens(f)}
        score = text_weight * cosine(qv, vec) + (1 - text_weight) * jaccard(qf, fields)
        if score >= minimum:
            scored.append((doc.key, round(score, 4)))
    scored.sort(key=lambda kv: (-kv[1], kv[0]))
    return scored[:limit]
