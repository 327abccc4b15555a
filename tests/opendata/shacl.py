"""Offline DCAT-AP.de 3.0 validation with pyshacl against the shapes copied into tests/fixtures/dcat-ap-de/."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Namespace

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "dcat-ap-de"
SH = Namespace("http://www.w3.org/ns/shacl#")


@lru_cache(maxsize=1)
def shapes_and_vocab() -> tuple[Graph, Graph]:
    shapes, vocab = Graph(), Graph()
    for f in sorted((ROOT / "shapes").glob("*.ttl")):
        if "imports" not in f.name:
            shapes.parse(f)
    for f in sorted((ROOT / "vocab").iterdir()):
        vocab.parse(f, format="xml" if f.suffix == ".rdf" else "turtle")
    return shapes, vocab


def violations(data: Graph) -> list[str]:
    """The messages of every sh:Violation (warnings and infos are allowed)."""
    shapes, vocab = shapes_and_vocab()
    _conforms, report, _text = validate(data, shacl_graph=shapes, ont_graph=vocab, inference="none",
                                        do_owl_imports=False, allow_warnings=True)
    out = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        msg = report.value(result, SH.resultMessage)
        out.append(f"{focus} {path}: {msg}")
    return sorted(out)
