"""One cold Kompass run on one instance folder (a fresh process per run, like the peer). Prints one JSON line.

usage: kompass_run.py INSTANCE_DIR ALGORITHM [TIME_LIMIT] [LOTTERY_JSON]

With LOTTERY_JSON the distribution is written there (count per profile, by feature values) for the independent
check in reference_maximin.py.

Timed: building the types, the feasibility MIP and the optimisation (not reading the CSV files, as for the
peer, whose timing starts after reading too).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kompass.algorithms.sortition import build_instance, check_feasible, leximin, maximin  # noqa: E402
from kompass.lottery import io as lio  # noqa: E402


def main() -> None:
    folder, algorithm = sys.argv[1], sys.argv[2]
    limit = float(sys.argv[3]) if len(sys.argv) > 3 else 300.0
    files = lio.locate(folder, None, None)
    quotas = lio.read_quotas(files.quotas)
    pool = lio.read_pool(files.pool, quotas)
    t0, c0 = time.perf_counter(), time.process_time()
    inst = build_instance(pool.respondents, quotas, files.k)
    if check_feasible(inst) is not None:
        raise SystemExit("infeasible quotas")
    dist = (leximin if algorithm == "leximin" else maximin)(inst, time_limit=limit)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    probs = [float(dist.type_prob[ti]) for ti, t in enumerate(inst.types) for _ in t.members]
    cert = dist.certificate
    if len(sys.argv) > 4:
        cats = sorted(inst.categories)
        pos = [inst.categories.index(c) for c in cats]
        panels = [{"weight": float(w), "counts": [[[inst.types[t].profile[i] for i in pos], int(x)]
                                                  for t, x in enumerate(p) if x]}
                  for p, w in zip(dist.panels, dist.weights, strict=True)]
        Path(sys.argv[4]).write_text(json.dumps({"categories": cats, "panels": panels}))
    print(
        json.dumps(
            {
                "algorithm": algorithm,
                "seconds": secs,
                "cpu_seconds": cpu,
                "min": min(probs),
                "max": max(probs),
                "complete": dist.complete,
                "method": cert.get("method"),
                "max_shortfall": cert.get("max_shortfall"),
                "pricing_gap": cert.get("pricing_gap"),
                "upper": cert.get("min_probability_upper"),
                "levels": len(dist.levels),
                "support": len(dist.panels),
                "types": len(inst.types),
                "n": inst.n,
                "k": inst.k,
            }
        )
    )


if __name__ == "__main__":
    main()
