"""Run the peer package sortition-algorithms (GPL-3.0) on one instance. Executed ONLY with the separate venv
bench/.venv-sortition-peer (never imported by Kompass). Prints one JSON line: seconds, min/max probability.

usage: peer_run.py INSTANCE_DIR K [ALGORITHM] [BACKEND]
"""

import csv
import json
import sys
import time
from pathlib import Path

from sortition_algorithms import Settings, read_in_features, read_in_people
from sortition_algorithms.committee_generation.legacy import find_random_sample_legacy  # noqa: F401
from sortition_algorithms.committee_generation.leximin import GUROBI_AVAILABLE
from sortition_algorithms.committee_generation.maximin import find_distribution_maximin


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        r = csv.DictReader(f)
        return list(r.fieldnames), list(r)


def load(folder: Path, k: int):
    # quotas -> Sortition Foundation format feature,value,min,max
    for name in ("features.csv", "categories.csv"):
        if (folder / name).exists():
            head, body = rows(folder / name)
            break
    if "category" in head:
        vcol = "feature" if "feature" in head else "name"
        body = [{"feature": r["category"], "value": r[vcol], "min": r["min"], "max": r["max"]} for r in body]
    else:
        body = [{"feature": r["feature"], "value": r["value"], "min": r["min"], "max": r["max"]} for r in body]
    features, _, _ = read_in_features(["feature", "value", "min", "max"], body, k)
    for name in ("candidates.csv", "respondents.csv"):
        if (folder / name).exists():
            phead, pbody = rows(folder / name)
            break
    idcol = next((c for c in ("nationbuilder_id", "unique_id", "id") if c in phead), None)
    if idcol is None:
        idcol = "id"
        phead = ["id", *phead]
        pbody = [{"id": str(i), **r} for i, r in enumerate(pbody)]
    address = ["primary_address1", "primary_zip"] if "primary_address1" in phead else []
    settings = Settings(
        id_column=idcol,
        columns_to_keep=[],
        check_same_address=bool(address),
        check_same_address_columns=address,
    )
    people, _ = read_in_people(phead, pbody, features, settings)
    return features, people, address


def main():
    folder, k = Path(sys.argv[1]), int(sys.argv[2])
    algorithm = sys.argv[3] if len(sys.argv) > 3 else "leximin"
    backend = sys.argv[4] if len(sys.argv) > 4 else "highspy"
    features, people, address = load(folder, k)
    effective = algorithm
    if algorithm == "leximin" and not GUROBI_AVAILABLE:
        effective = "maximin"  # what the peer itself does without Gurobi
    t0, c0 = time.perf_counter(), time.process_time()
    committees, probs, _ = find_distribution_maximin(features, people, k, address, backend)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    marg = {pid: 0.0 for pid in people}
    for c, p in zip(committees, probs, strict=True):
        for pid in c:
            marg[pid] += p
    vals = sorted(marg.values())
    print(
        json.dumps(
            {
                "algorithm": algorithm,
                "effective_algorithm": effective,
                "backend": backend,
                "seconds": secs,
                "cpu_seconds": cpu,
                "min": vals[0],
                "max": vals[-1],
                "support": len(committees),
                "n": len(vals),
            }
        )
    )


if __name__ == "__main__":
    main()
