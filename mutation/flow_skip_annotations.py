"""Mark the mutants that lie inside type annotations as skipped (equivalent mutants).

    .venv/bin/python mutation/flow_skip_annotations.py SESSION.sqlite

The service modules use `from __future__ import annotations` (PEP 563): annotations are strings that never run,
so `Phase | None` mutated to `Phase & None` changes nothing any test could observe. Counting them as survivors
would measure the mutation tool, not the tests; they are listed as skipped, with the reason, instead.
"""

import ast
import sys
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import WorkerOutcome, WorkResult


def annotation_spans(path: Path) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
            nodes.append(node.returns)
        if isinstance(node, ast.arg) and node.annotation is not None:
            nodes.append(node.annotation)
        if isinstance(node, ast.AnnAssign):
            nodes.append(node.annotation)
    return [((n.lineno, n.col_offset), (n.end_lineno, n.end_col_offset)) for n in nodes]


def main(path: str) -> int:
    spans: dict[str, list] = {}
    with use_db(path, WorkDB.Mode.open) as db:
        skip = []
        for item in db.pending_work_items:
            for m in item.mutations:
                module = str(m.module_path)
                if module not in spans:
                    spans[module] = annotation_spans(Path(module))
                start = tuple(m.start_pos)
                if any(a <= start < b for a, b in spans[module]):
                    skip.append(item.job_id)
                    break
        db.set_multiple_results(skip, WorkResult(worker_outcome=WorkerOutcome.SKIPPED,
                                                 output="equivalent: inside a type annotation (PEP 563)"))
        print(f"{len(skip)} mutants inside annotations skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
