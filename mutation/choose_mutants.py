"""Choose which cosmic-ray mutants of a session run; the others are marked `skipped` (and say why in --report).

1. Equivalent mutants: anything inside a type annotation. These modules use `from __future__ import annotations`,
   so annotations are never evaluated and a mutant there cannot change behaviour.
2. One variant per binary-operator site: cosmic-ray makes up to 12 replacements of every `|`, `*`, `+` …; we keep
   the one closest to a real slip (`|`→`&`, `&`→`|`, `+`→`-`, `-`→`+`, `*`→`+`, `/`→`*`, otherwise the first).
3. A seeded random sample of the rest (`--sample N`), so a run stays within the time budget on a shared machine.

Usage: python mutation/choose_mutants.py SESSION.sqlite --sample 60 --seed 9
"""

from __future__ import annotations

import argparse
import ast
import random
from collections import Counter
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import WorkerOutcome, WorkResult

PREFERRED = {"BitOr": "BitAnd", "BitAnd": "BitOr", "Add": "Sub", "Sub": "Add", "Mul": "Add", "Div": "Mul"}


def annotation_spans(path: Path) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    spans = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        annotations = []
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            annotations.append(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
            annotations.append(node.returns)
        spans += [((a.lineno, a.col_offset), (a.end_lineno, a.end_col_offset)) for a in annotations]
    return spans


def reason_to_skip(spec, spans) -> str | None:
    start = tuple(spec.start_pos)
    if any(lo <= start < hi for lo, hi in spans):
        return "equivalent: inside a type annotation (never evaluated)"
    name = spec.operator_name.removeprefix("core/")
    if name.startswith("ReplaceBinaryOperator_"):
        _prefix, source, target = name.split("_")
        if target != PREFERRED.get(source, target):
            return f"one variant per operator site ({source} -> {PREFERRED[source]} kept)"
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("session")
    parser.add_argument("--sample", type=int, default=0, help="run at most this many mutants (0: all)")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    with use_db(args.session, WorkDB.Mode.open) as db:
        items = list(db.pending_work_items)
        spans = {}
        candidates, skipped = [], Counter()
        for item in items:
            spec = item.mutations[0]
            path = Path(spec.module_path)
            spans.setdefault(path, annotation_spans(path))
            why = reason_to_skip(spec, spans[path])
            if why:
                skipped[why.split(" (")[0]] += 1
                db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=why))
            else:
                candidates.append(item)
        chosen = candidates
        if args.sample and len(candidates) > args.sample:
            chosen = random.Random(args.seed).sample(candidates, args.sample)
            keep = {item.job_id for item in chosen}
            for item in candidates:
                if item.job_id not in keep:
                    db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED,
                                                          output=f"not in the seeded sample (seed {args.seed})"))
                    skipped["not in the sample"] += 1
        print(f"{len(items)} mutants: {len(candidates)} candidates, {len(chosen)} to run; skipped {dict(skipped)}")


if __name__ == "__main__":
    main()
