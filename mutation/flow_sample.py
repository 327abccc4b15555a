"""Keep a reproducible random sample of the pending mutants of a cosmic-ray session; mark the rest skipped.

    .venv/bin/python mutation/flow_sample.py SESSION.sqlite COUNT [SEED] [PATH-PREFIX ...]

With path prefixes only mutants of those modules are sampled from (the others are skipped). cosmic-ray has no
sampling of its own; on a shared 2-core machine every mutant of the services takes hours, so the documented score
(docs/mutation/flow.md) says which part was run in full and which was sampled.
"""

import random
import sys

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import WorkerOutcome, WorkResult


def main(path: str, count: int, seed: int = 9, prefixes: tuple[str, ...] = ()) -> int:
    with use_db(path, WorkDB.Mode.open) as db:
        items = list(db.pending_work_items)
        pool = sorted(i.job_id for i in items
                      if not prefixes or any(str(m.module_path).startswith(prefixes) for m in i.mutations))
        keep = set(random.Random(seed).sample(pool, min(count, len(pool))))
        skip = [i.job_id for i in items if i.job_id not in keep]
        db.set_multiple_results(skip, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output="not sampled"))
        print(f"{len(items)} pending, {len(pool)} in scope, {len(keep)} sampled, {len(skip)} skipped")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(args[0], int(args[1]), int(args[2]) if len(args) > 2 else 9, tuple(args[3:])))
