"""German text helpers shared by every app: slugs that transliterate umlauts ("Bürgerämter" -> "buergeraemter")
and search that folds umlauts and stems German on every database ("buerger" finds what "Bürger" finds, "Kieze"
what "Kiez" finds; ADR 0078).

Search works on folded text: lower case with ä/ö/ü/ß written as ae/oe/ue/ss. A query word is folded and cut to
its German stem (Snowball, the `snowballstemmer` package), expressed as a prefix of the folded word, so a plain
`contains` on folded text matches every inflected form. The same fold is applied to a column in SQL
(`folded()`), so no extra column is needed; PostgreSQL's `german` configuration gets folded text on both sides."""

import re
from functools import lru_cache

import snowballstemmer
from django.db.models import Q, TextField, Value
from django.db.models.functions import Lower, Replace
from django.utils.text import slugify

UMLAUTS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("Ä", "ae"), ("Ö", "oe"), ("Ü", "ue"), ("ẞ", "ss"))
_WORD = re.compile(r"\w+", re.UNICODE)
_OPERATORS = {"or", "and", "oder", "und"}
MAX_TERMS = 10
_STEMMER = snowballstemmer.stemmer("german")


def fold(text: str) -> str:
    """Lower case with German umlauts and ß transliterated (ä -> ae, ß -> ss)."""
    text = (text or "").lower()
    for char, plain in UMLAUTS[:4]:
        text = text.replace(char, plain)
    return text


def german_slug(text: str, max_length: int = 100, fallback: str = "") -> str:
    """A URL slug that keeps German readable: "Straßenbäume in Köpenick" -> "strassenbaeume-in-koepenick"."""
    return slugify(fold(text))[:max_length].strip("-") or fallback


def _plain(folded: str) -> str:
    # Snowball reads ae/oe/ue as umlauts and writes its stem with plain vowels.
    return re.sub(r"(?<!q)([aou])e", r"\1", folded)


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The German stem of a folded word as a prefix of that word ("kieze" -> "kiez", "buergern" -> "buerg");
    short stems keep the whole word, so "daten" does not turn into "dat"."""
    stemmed = _STEMMER.stemWord(word)
    if len(stemmed) < 4:
        return word
    for end in range(len(word), 0, -1):
        if _plain(word[:end]) == stemmed or word[:end] == stemmed:
            return word[:end]
    return word


def search_terms(q: str) -> list[str]:
    """The stems a query asks for (every one must occur); search operators and single letters are left out (a
    single digit stays: "Idee 3")."""
    words = [w for w in _WORD.findall(fold(q).replace("_", " "))
             if w not in _OPERATORS and (len(w) > 1 or w.isdigit())]
    return list(dict.fromkeys(stem(w) for w in words))[:MAX_TERMS]


def folded(field: str):
    """SQL for `fold(field)`: works on SQLite too, whose LOWER() leaves non-ASCII letters alone."""
    expression = Lower(field, output_field=TextField())
    for char, plain in UMLAUTS:
        expression = Replace(expression, Value(char), Value(plain), output_field=TextField())
    return expression


def text_search(qs, q: str, fields: tuple[str, ...], prefix: str = "_fold_"):
    """`qs` narrowed to rows where every query stem occurs in one of `fields` (umlaut-folded)."""
    terms = search_terms(q)
    if not terms:
        return qs
    names = {f: prefix + f.replace("__", "_") for f in fields}
    qs = qs.alias(**{names[f]: folded(f) for f in fields})
    for term in terms:
        match = Q()
        for f in fields:
            match |= Q(**{f"{names[f]}__contains": term})
        qs = qs.filter(match)
    return qs
