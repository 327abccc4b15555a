"""Mark the mutants of a cosmic-ray session that only change a type annotation as skipped (equivalent).

    .venv/bin/python mutation/skip_annotations.py SESSION.sqlite

In a module with `from __future__ import annotations` no annotation is ever evaluated, so a mutant such as
`float | None` -> `float * None` in a signature cannot change behaviour: it is equivalent by construction.
cosmic-ray has no filter for this, so this script finds them from the AST and records them as skipped with the
reason, before or after `cosmic-ray exec`.
"""

import ast
import sys
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import WorkerOutcome, WorkResult


def annotation_spans(path: Path) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lazy = any(isinstance(n, ast.ImportFrom) and n.module == "__future__" and
               any(a.name == "annotations" for a in n.names) for n in tree.body)
    if not lazy:
        return []
    spans = []
    for node in ast.walk(tree):
        found = []
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            found.append(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
            found.append(node.returns)
        spans += [((a.lineno, a.col_offset), (a.end_lineno, a.end_col_offset)) for a in found]
    return spans


def main(session: str) -> int:
    cache: dict[str, list] = {}
    marked = []
    with use_db(session, WorkDB.Mode.open) as db:
        for item in db.work_items:
            mutations = item.mutations
            if not mutations:
                continue
            inside = True
            for m in mutations:
                spans = cache.setdefault(str(m.module_path), annotation_spans(Path(m.module_path)))
                start, end = tuple(m.start_pos), tuple(m.end_pos)
                inside &= any(s <= start and end <= e for s, e in spans)
            if inside:
                marked.append(item.job_id)
        db.set_multiple_results(marked, WorkResult(worker_outcome=WorkerOutcome.SKIPPED,
                                                   output="equivalent: changes a type annotation only"))
    print(f"{len(marked)} annotation-only mutants marked as skipped (equivalent)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
