"""Run red-dwarf 0.4.0's Polis pipeline on the benchmark data (one subprocess of bench.py).

Runs in bench/.venv-reddwarf (numpy + red-dwarf only; no Kompass import). red-dwarf takes votes as a list of
dicts, so building that list is part of what it costs to use it and is timed separately.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--labels-out", type=Path, required=True)
    args = ap.parse_args()

    t0 = time.perf_counter()
    from reddwarf.implementations.polis import run_pipeline

    with np.load(args.data) as f:
        p, s, v = f["participants"], f["statements"], f["votes"]
        n_p = int(f["n_participants"])
    t1 = time.perf_counter()
    votes = [
        {"participant_id": a, "statement_id": b, "vote": c}
        for a, b, c in zip(p.tolist(), s.tolist(), v.tolist(), strict=True)
    ]
    del p, s, v
    t2 = time.perf_counter()
    result = run_pipeline(votes=votes, random_state=0, max_group_count=5, min_user_vote_threshold=7)
    t3 = time.perf_counter()

    cluster = result.participants_df["cluster_id"]
    labels = np.full(n_p, -1, dtype=np.int64)
    known = cluster.notna()
    labels[cluster.index[known].to_numpy(dtype=np.int64)] = cluster[known].to_numpy(dtype=np.int64)
    np.save(args.labels_out, labels)
    k = int(len(set(labels[labels >= 0].tolist())))
    print(json.dumps({
        "load_s": t1 - t0,
        "convert_s": t2 - t1,
        "algorithm_s": t3 - t2,
        "k": k,
        "n_representative": [len(x) for x in result.repness.values()],
        "n_consensus": len(result.consensus["agree"]) + len(result.consensus["disagree"]),
    }))


if __name__ == "__main__":
    main()
