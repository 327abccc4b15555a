"""Run Kompass's opinion map on the benchmark data (one subprocess of bench.py)."""

import argparse
import json
import time
from pathlib import Path

import numpy as np

from kompass.algorithms.opinions import OpinionMapConfig, compute_opinion_map


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--labels-out", type=Path, required=True)
    ap.add_argument("--cluster-dims", type=int, default=OpinionMapConfig().cluster_dims)
    args = ap.parse_args()

    t0 = time.perf_counter()
    with np.load(args.data) as f:
        p, s, v = f["participants"], f["statements"], f["votes"]
        n_p, n_s = int(f["n_participants"]), int(f["n_statements"])
    t1 = time.perf_counter()
    config = OpinionMapConfig(cluster_dims=args.cluster_dims, seed=0)
    result = compute_opinion_map((p, s, v), n_p, n_s, config)
    t2 = time.perf_counter()
    np.save(args.labels_out, result.labels)
    print(json.dumps({
        "load_s": t1 - t0,
        "algorithm_s": t2 - t1,
        "k": result.k,
        "silhouette": {str(k): round(x, 4) for k, x in result.silhouette.items()},
        "n_representative": [len(g.representative) for g in result.groups],
        "n_consensus": len(result.consensus),
    }))


if __name__ == "__main__":
    main()
