"""Do two app servers serve more than one when CPU allows? (issue 12: "Two app servers must give more throughput
than one when CPU allows (report the scaling)").

    flock /tmp/kompass-heavy.lock .venv/bin/python bench/load/scaling.py      # or: make bench-scaling

In `make bench-load` every app server has 2 sync workers, so one server alone can already use both cores of this
machine, and a second one has no idle core to use (its rows there are x0.6-0.9). Here each app server has ONE sync
worker (WEB_CONCURRENCY=1): one server can use at most one core, so the second server has an idle core, which is
the situation "when CPU allows" describes (a second machine, or a server with more cores than one app server
uses). Same topology and data as `make bench-load` otherwise (nginx with the edge cache, PgBouncer, Redis, the
seeded scratch database at LOAD_SCALE). Rows, with 2 app servers and then with 1 (app server 2 stopped): the
measure page rendered every time (cache-busting query), the logged-in measure page and the measure from the API
with a token; with the CPU seconds the app servers used per second of the row (at most 1.0 per server).
Writes bench/load/SCALING.md (bench/collect.py puts it into docs/benchmarks.md)."""

from __future__ import annotations

import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench.cluster import run as cluster_run  # noqa: E402
from bench.load import run as load  # noqa: E402

HERE = Path(__file__).resolve().parent
load.DB = os.environ.get("SCALING_DB", "kompass_ops_scaling")
SECONDS = int(os.environ.get("SCALING_SECONDS", "15"))
CONNECTIONS = int(os.environ.get("SCALING_CONNECTIONS", "16"))


def app_cpu(cluster: cluster_run.Cluster) -> float:
    """User + system CPU seconds so far of every running app server: gunicorn's master and its workers."""
    masters = {cluster.procs[name].pid for name in ("app0", "app1") if name in cluster.procs
               and cluster.procs[name].poll() is None}
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) in masters or int(fields[1]) in masters:
            total += (int(fields[11]) + int(fields[12])) / load.TICK
    return total


def machine_ticks() -> tuple[int, int]:
    """(idle, total) jiffies of all CPUs so far (/proc/stat; idle includes iowait)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return fields[3] + fields[4], sum(fields[:8])


def measured(cluster, path: str, work: Path, **kwargs) -> dict:
    load.wrk(path, work, connections=CONNECTIONS, seconds=3, **kwargs)  # warm-up, not counted
    before, t0, (idle0, total0) = app_cpu(cluster), time.monotonic(), machine_ticks()
    result = load.wrk(path, work, connections=CONNECTIONS, seconds=SECONDS, **kwargs)
    idle1, total1 = machine_ticks()
    result["app_cores"] = (app_cpu(cluster) - before) / (time.monotonic() - t0)
    result["idle"] = (idle1 - idle0) / max(1, total1 - total0)
    return result


def main() -> int:
    cluster = load.new_cluster("kompass-scaling-")
    work, pg = cluster.work, cluster_run.PG
    try:
        env, seeded = load.seed(cluster)
        # no worker recycling during a row: with one worker per server a recycled worker is a server booting
        cluster.env.update({"REQUEST_LOG": "0", "WEB_CONCURRENCY": "1", "GUNICORN_MAX_REQUESTS": "0"})
        load.ENV.update({**cluster.env, "DATABASE_URL": f"{pg}/{load.DB}"})
        load.start(cluster)
        load.PROFILED.update(nginx=cluster.procs["nginx"].pid, memcached=cluster.procs["memcached"].pid)
        slug = cluster_run.psql("SELECT slug FROM measures_measure WHERE slug LIKE 'gen-%' ORDER BY id LIMIT 1")
        cookie, token = load.login_cookie(), load.api_token()
        rows = {"measure page, rendered every time": (f"/measures/{slug}/", {"bust": True}),
                "logged-in measure page": (f"/measures/{slug}/", {"cookie": cookie}),
                "API measure with a token": (f"/api/v1/measures/{slug}",
                                             {"headers": {"Authorization": f"Bearer {token}"}})}
        load.check_personal(f"/measures/{slug}/", cookie, {})
        load.check_personal(f"/api/v1/measures/{slug}", "", {"Authorization": f"Bearer {token}"})
        results: dict[str, dict] = {}
        for servers in (2, 1):
            if servers == 1:
                cluster.kill("app1", wait=20)
                time.sleep(12)  # nginx notices the closed port at once; fail_timeout keeps it out
            for name, (path, kwargs) in rows.items():
                results[f"{name} ({servers})"] = measured(cluster, path, work, **kwargs)
                cluster_run.log(f"{name}, {servers} app server(s): {results[f'{name} ({servers})']}")
        write(results, seeded)
        return 0
    finally:
        load.clean_up(cluster)


def write(results: dict, seeded: dict) -> None:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    from bench.common import short_commit

    commit = short_commit()
    lines = ["# Scaling when CPU allows", "",
             f"Run: `make bench-scaling` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit}, "
             f"{os.cpu_count()} CPUs ({cpu}), load average {os.getloadavg()[0]:.1f} at the end. Topology and data of "
             f"`make bench-load` ({seeded['measures']:,} measures, scale {load.SCALE}) but ONE sync worker per app "
             "server, so that one server uses at most one core and a second server has an idle core (in "
             "`make bench-load` each server has 2 workers and one server alone can fill both cores). wrk "
             f"{CONNECTIONS} connections, {SECONDS} s per row, through nginx; the second server is then stopped. "
             "App cores: CPU seconds of all app server processes per second of the row; idle: the share of the "
             "machine's CPU time left idle during the row (/proc/stat), what a second server could have used. "
             "Each row follows a 3 s warm-up; no worker recycling.", "",
             "| URL | req/s, 2 app servers | app cores | idle | p95 ms | req/s, 1 app server | app cores | idle | "
             "p95 ms | 2 against 1 | errors / non-2xx |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name in dict.fromkeys(k.rsplit(" (", 1)[0] for k in results):
        two, one = results[f"{name} (2)"], results[f"{name} (1)"]
        lines.append(f"| {name} | {two['rps']:,.0f} | {two['app_cores']:.2f} | {two['idle']:.0%} | "
                     f"{two['p95_ms']:.0f} | {one['rps']:,.0f} | {one['app_cores']:.2f} | {one['idle']:.0%} | "
                     f"{one['p95_ms']:.0f} | "
                     f"×{two['rps'] / one['rps']:.2f} | {two['errors'] + one['errors']} / "
                     f"{two['non2xx'] + one['non2xx']} |")
    better = sum(results[f"{n} (2)"]["rps"] > results[f"{n} (1)"]["rps"]
                 for n in dict.fromkeys(k.rsplit(" (", 1)[0] for k in results))
    allows = [n for n in dict.fromkeys(k.rsplit(" (", 1)[0] for k in results) if results[f"{n} (1)"]["idle"] >= 0.2]
    lines += ["", f"More throughput with two app servers than with one: {better} of {len(results) // 2} rows. CPU "
              f"allowed a second server (at least 20 % of the machine idle with one server) in {len(allows)} of "
              f"{len(results) // 2} rows" + (f" ({', '.join(allows)})." if allows else ": the database, PgBouncer, "
              "nginx and the load generator share the same 2 cores, so a second app server has no idle core to "
              "use on this machine.")]
    text = "\n".join(lines) + "\n"
    print(text)
    (HERE / "SCALING.md").write_text(text)


if __name__ == "__main__":
    sys.exit(main())
