"""Keep a reproducible random sample of the pending mutants of a cosmic-ray session; mark the rest skipped.

    .venv/bin/python mutation/sample.py SESSION.sqlite COUNT [SEED]

cosmic-ray has no sampling of its own; on a 2-core machine a full run of every mutant takes hours, so the
documented score (docs/mutation/monitoring.md) is measured on a uniform sample of the mutants.
"""

import random
import sys

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import WorkerOutcome, WorkResult


def main(path: str, count: int, seed: int = 9) -> int:
    with use_db(path, WorkDB.Mode.open) as db:
        pending = sorted(item.job_id for item in db.pending_work_items)
        keep = set(random.Random(seed).sample(pending, min(count, len(pending))))
        skip = [job for job in pending if job not in keep]
        db.set_multiple_results(skip, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output="not sampled"))
        print(f"{len(pending)} mutants, {len(keep)} sampled, {len(skip)} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), *(int(a) for a in sys.argv[3:4])))
