"""One cold Kompass run on one instance folder (a fresh process per run, like the peer). Prints one JSON line.

usage: kompass_run.py INSTANCE_DIR ALGORITHM [TIME_LIMIT]

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
