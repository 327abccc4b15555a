"""What happens when a hot page's cache entries expire under load (ADR 0088): the bench-load topology, one page.

Same cluster as `make bench-load` (bench/load/run.py: nginx + memcached edge cache, 2 gunicorn app servers, PgBouncer,
Redis), data at LOAD_SCALE. For each PAGE_CACHE_GRACE_SECONDS of EXPIRY_GRACES (default "0,300"; 0 keeps nothing
after the fresh time, which is how the page cache expired before ADR 0088) the app servers are restarted with it and
both caches emptied; the idea list is requested twice (rendered and stored in Redis and memcached at the same
moment), then wrk with LOAD_CONNECTIONS runs twice for EXPIRY_ROW seconds: once while both entries are fresh
(control) and once across the moment both expire (PAGE_CACHE_SECONDS / EDGE_CACHE_SECONDS after the first request).
Each row reports wrk's latency percentiles, who answered (X-Kompass-Cache of every response: edge, hit, stale,
miss) and the app servers' own counters over the row (kompass_page_cache_total, kompass_edge_cache_total: how many
renders the expiry cost). Writes bench/load/EXPIRY.md.

    flock /tmp/kompass-heavy.lock nice -n 10 .venv/bin/python bench/load/expiry.py"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench.cluster import run as cluster_run  # noqa: E402
from bench.load import run as load  # noqa: E402

ROW = int(os.environ.get("EXPIRY_ROW", "10"))
GRACES = [int(g) for g in os.environ.get("EXPIRY_GRACES", "0,300").split(",")]
LIFETIME = 60  # PAGE_CACHE_SECONDS and EDGE_CACHE_SECONDS of the cluster (the production default)
HERE = Path(__file__).resolve().parent
PATH = "/ideas/"
LUA = """
threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) edge = 0; hit = 0; stale = 0; miss = 0; other = 0 end
response = function(status, headers, body)
  local how = nil
  for name, value in pairs(headers) do
    if string.lower(name) == "x-kompass-cache" then how = value end
  end
  if how == "edge" then edge = edge + 1 elseif how == "hit" then hit = hit + 1
  elseif how == "stale" then stale = stale + 1 elseif how == "miss" then miss = miss + 1 else other = other + 1 end
end
done = function(summary, latency, requests)
  local n = {edge = 0, hit = 0, stale = 0, miss = 0, other = 0}
  for _, t in ipairs(threads) do
    for k, _ in pairs(n) do n[k] = n[k] + t:get(k) end
  end
  io.write(string.format("JSON{\\"rps\\": %.1f, \\"p50_ms\\": %.1f, \\"p95_ms\\": %.1f, \\"p99_ms\\": %.1f, " ..
    "\\"max_ms\\": %.1f, \\"requests\\": %d, \\"errors\\": %d, \\"edge\\": %d, \\"hit\\": %d, \\"stale\\": %d, " ..
    "\\"miss\\": %d, \\"other\\": %d}\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout +
    summary.errors.status, n.edge, n.hit, n.stale, n.miss, n.other))
end
"""
def empty_caches() -> None:
    import socket

    subprocess.run(["redis-cli", "-p", str(cluster_run.REDIS), "flushall"], check=True, capture_output=True)
    with socket.create_connection(("127.0.0.1", cluster_run.MEMCACHED), timeout=5) as sock:
        sock.sendall(b"flush_all\r\n")
        assert sock.recv(64).startswith(b"OK")


def row(work: Path, stored: float) -> dict:
    script = work / "expiry.lua"
    script.write_text(LUA)
    before = load.app_counters()
    started = time.time()
    out = subprocess.run(["wrk", "-t2", f"-c{load.CONNECTIONS}", f"-d{ROW}s", "--timeout", "30s", "-s", str(script),
                          "-H", "Accept-Encoding: gzip", cluster_run.BASE + PATH], capture_output=True, text=True,
                         timeout=ROW + 90)
    match = re.search(r"JSON(\{.*\})", out.stdout)
    if not match:
        raise RuntimeError(out.stdout + out.stderr)
    result = json.loads(match.group(1))
    result["starts"] = started - stored
    result["app"] = load.counters_since(before)
    return result


def main() -> int:
    cluster = load.new_cluster("kompass-expiry-")
    work = cluster.work
    try:
        load.seed(cluster)
        cluster.env.update({"REQUEST_LOG": "0", "PAGE_CACHE_SECONDS": str(LIFETIME),
                            "EDGE_CACHE_SECONDS": str(LIFETIME)})
        load.start(cluster)
        rows = {}
        for grace in GRACES:
            cluster.env["PAGE_CACHE_GRACE_SECONDS"] = str(grace)
            for i in range(2):
                cluster.kill(f"app{i}", signal.SIGTERM, wait=20)
                cluster.start_app(i)
            time.sleep(12)  # nginx's fail_timeout for a server it saw closed
            empty_caches()
            stored = time.time()  # the first request renders the page and stores it in Redis and memcached
            served = [requests.get(cluster_run.BASE + PATH, timeout=120).headers.get("X-Kompass-Cache", "-")
                      for _ in range(2)]
            control = row(work, stored)
            cluster_run.log(f"grace {grace}, control: {control}")
            time.sleep(max(0.0, stored + LIFETIME - ROW / 2 - time.time()))
            expiry = row(work, stored)
            cluster_run.log(f"grace {grace}, expiry: {expiry}")
            rows[f"grace {grace} s, both entries fresh (control)"] = control
            rows[f"grace {grace} s, across the expiry of both entries"] = expiry
        write(" then ".join(served), rows)
        return 0
    finally:
        load.clean_up(cluster)


def write(served: str, rows: dict) -> None:
    from bench.common import short_commit

    commit = short_commit()
    lines = ["# Entry expiry under load", "",
             f"Run: `python bench/load/expiry.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit} "
             f"(working tree may differ), {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}. Cluster "
             f"of `make bench-load` at LOAD_SCALE={load.SCALE}; the idea list ({PATH}) requested twice "
             f"({served}), then wrk, {load.CONNECTIONS} connections, {ROW} s per row; "
             f"PAGE_CACHE_SECONDS = EDGE_CACHE_SECONDS = {LIFETIME}.", "",
             "| row | starts (s after the first render) | req/s | p50 ms | p95 ms | p99 ms | max ms | responses "
             "edge / hit / stale / miss / other | app servers' counters over the row |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, r in rows.items():
        app = ", ".join(f"{k} {v}" for k, v in r["app"].items()) or "none"
        lines.append(f"| {name} | {r['starts']:.1f} | {r['rps']:,.0f} | {r['p50_ms']:.1f} | "
                     f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.1f} | {r['edge']} / {r['hit']} / "
                     f"{r['stale']} / {r['miss']} / {r['other']} | {app} |")
    lines += ["", "page:miss counts renders of the page (each one a full view under load), page:refresh the one "
              "re-render after an entry's fresh time, page:stale the requests answered from the kept copy meanwhile; "
              "edge:stored the pages written to memcached."]
    (HERE / "EXPIRY.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
