"""Write the outcome of a cosmic-ray session into docs/mutation/core.md (between the RESULTS markers): killed,
survived, the score over the mutants that ran, and every survivor with its place and operator."""

from __future__ import annotations

import datetime
import platform
import sys
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome

START, END = "<!-- RESULTS:START -->", "<!-- RESULTS:END -->"


def main(session: str, chosen: str, sample: str, seed: str, seconds: str, doc: str) -> None:
    killed, survived, incompetent, skipped, survivors = 0, 0, 0, 0, []
    with use_db(session, WorkDB.Mode.open) as db:
        not_run = db.num_work_items - db.num_results
        for item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                skipped += 1
            elif result.worker_outcome == WorkerOutcome.EXCEPTION:
                incompetent += 1  # cosmic-ray itself failed on this mutant
            elif result.test_outcome == TestOutcome.KILLED or result.worker_outcome == WorkerOutcome.ABNORMAL:
                killed += 1  # failing tests or a timeout detect the mutant
            elif result.test_outcome == TestOutcome.SURVIVED:
                survived += 1
                spec = item.mutations[0]
                survivors.append(f"| `{spec.module_path}:{spec.start_pos[0]}` | `{spec.operator_name}` |")
            else:
                incompetent += 1
    ran = killed + survived
    score = 100.0 * killed / ran if ran else 0.0
    lines = [
        START,
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({platform.machine()}, Python {platform.python_version()}), {int(seconds) // 60} min.",
        "",
        f"Selection: {Path(chosen).read_text(encoding='utf-8').strip()} (sample {sample}, seed {seed}).",
        "",
        "| ran | killed | survived | incompetent | not run (time budget) | skipped | score (killed / ran) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {ran} | {killed} | {survived} | {incompetent} | {not_run} | {skipped} | {score:.1f} % |",
        "",
    ]
    lines += (["Survivors:", "", "| place | operator |", "|---|---|", *survivors] if survivors
              else ["No survivors."])
    lines.append(END)
    path = Path(doc)
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    path.write_text(head + "\n".join(lines) + tail, encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(*sys.argv[1:])
