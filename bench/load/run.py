"""Load benchmark for the "fast under load" goals (make bench-load).

Same topology and configuration as `make cluster-test` (nginx with its memcached edge cache → 2 gunicorn app
servers with 2 workers each, PgBouncer, Redis, the machine's PostgreSQL with the scratch database
kompass_ops_load), data seeded with bench/cluster/seed.py at LOAD_SCALE (default 0.2: 2,000 measures, 20,000 ideas,
200,000 supports). wrk (Debian) with 50 connections for LOAD_SECONDS (10) per URL, every request saying
`Accept-Encoding: gzip` as browsers do, in the same run as static references: the 4 KB stylesheet and a byte copy of
the smallest anonymous page (written into the static files with its .gz, the size-matched reference the goal is
stated against, ADR 0082), both served by nginx itself before and after the pages, and the stylesheet through
gunicorn (WhiteNoise):

- anonymous catalogue, measure page, idea list, indicator page (answered by nginx from memcached once warm),
  fact-sheet PDF, lottery audit page and PDF, API list (Redis page cache warm);
- the measure page with a cache-busting query string (every request rendered), with 2 and with 1 app server;
- logged-in pages (session cookie) and the API with a personal token (never cached), with
  LOAD_PERSONAL_CONNECTIONS connections.

Writes bench/load/RESULTS.md (docs/benchmarks.md via bench/collect.py)."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench.cluster import run as cluster_run  # noqa: E402
from bench.common import recreate_database  # noqa: E402

DB = os.environ.get("LOAD_DB", "kompass_ops_load")
ENV: dict = {}  # the cluster's environment, set in main()
SECONDS = int(os.environ.get("LOAD_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "50"))
SCALE = os.environ.get("LOAD_SCALE", "0.2")
# Logged-in and token requests are rendered every time: with 50 connections each waits for ~50 renders, longer
# than a short run (the earlier 0 req/s rows: no request finished within the run). Fewer connections, longer runs.
PERSONAL_CONNECTIONS = int(os.environ.get("LOAD_PERSONAL_CONNECTIONS", "16"))
HERE = Path(__file__).resolve().parent
PROFILED: dict[str, int] = {}  # nginx (master) and memcached pids, whose CPU time per request wrk() records
TICK = os.sysconf("SC_CLK_TCK")
LUA = """
counter = 0
request = function()
  counter = counter + 1
  local path = wrk.path
  if BUST then
    path = path .. (string.find(path, "?") and "&" or "?") .. "bust=" .. counter .. "-" .. math.random(1e9)
  end
  return wrk.format(nil, path)
end
done = function(summary, latency, requests)
  io.write(string.format("JSON{\\"rps\\": %.1f, \\"p50_ms\\": %.1f, \\"p95_ms\\": %.1f, \\"p99_ms\\": %.1f, " ..
    "\\"requests\\": %d, \\"errors\\": %d, \\"non2xx\\": %d}\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def wrk(path: str, work: Path, *, bust: bool = False, cookie: str = "", headers: dict | None = None,
        connections: int = CONNECTIONS, seconds: int = SECONDS, gzip: bool = True) -> dict:
    """wrk against one URL. Like a browser it says `Accept-Encoding: gzip` (static files, edge hits and app
    responses are all sent compressed then), unless `gzip` is False."""
    script = work / ("bust.lua" if bust else "plain.lua")
    script.write_text(("BUST = true\n" if bust else "") + LUA)
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script)]
    if gzip:
        argv += ["-H", "Accept-Encoding: gzip"]
    if cookie:
        argv += ["-H", f"Cookie: {cookie}"]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    before, started = cpu_seconds(), os.times()
    out = subprocess.run([*argv, cluster_run.BASE + path], capture_output=True, text=True, timeout=seconds + 90)
    after, ended = cpu_seconds(), os.times()
    match = re.search(r"JSON(\{.*\})", out.stdout)
    if not match:
        raise RuntimeError(out.stdout + out.stderr)
    result = json.loads(match.group(1))
    if result["requests"]:  # where the time goes: CPU µs per request of nginx's workers, memcached and wrk
        waited = (ended.children_user + ended.children_system) - (started.children_user + started.children_system)
        result["cpu_us"] = {**{k: 1e6 * (after[k] - before[k]) / result["requests"] for k in before},
                            "wrk": 1e6 * waited / result["requests"]}
    return result


def cpu_seconds() -> dict[str, float]:
    """User + system CPU seconds so far of nginx's worker processes and of memcached (from /proc)."""
    def stat(pid: int) -> list[str]:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return []

    def used(fields: list[str]) -> float:
        return (int(fields[11]) + int(fields[12])) / TICK if fields else 0.0

    totals = {}
    for name, pid in PROFILED.items():
        if name == "nginx":  # its workers are the master's children
            children = [stat(int(p.name)) for p in Path("/proc").iterdir() if p.name.isdigit()]
            totals[name] = sum(used(f) for f in children if f and int(f[1]) == pid)
        else:
            totals[name] = used(stat(pid))
    return totals


COUNTER = re.compile(r'^(kompass_(?:page|edge)_cache_total)\{result="([a-z_]+)"\} ([0-9.e+]+)$', re.M)


def app_counters() -> dict[str, float]:
    """kompass_page_cache_total and kompass_edge_cache_total by result, summed over the app servers that answer."""
    totals: dict[str, float] = {}
    for port in cluster_run.APPS:
        try:
            text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
        except requests.RequestException:
            continue
        for name, result, value in COUNTER.findall(text):
            label = f"{name.split('_')[1]}:{result}"
            totals[label] = totals.get(label, 0) + float(value)
    return totals


def counters_since(before: dict[str, float]) -> dict[str, int]:
    after = app_counters()
    return {k: int(after[k] - before.get(k, 0)) for k in sorted(after) if after[k] != before.get(k, 0)}


def api_token() -> str:
    """A personal API token of citizen0 (token requests bypass the page cache like any logged-in request)."""
    out = subprocess.run([str(cluster_run.VENV / "python"), "-c", (
        "import django; django.setup(); from kompass.accounts.models import User; "
        "from kompass.accounts.services import api_token_create; "
        "u = User.objects.get(email='citizen0@example.org'); "
        "print(api_token_create(actor=u, user=u, name='load')[1])")],
        env=ENV, cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def login_cookie() -> str:
    session = requests.Session()
    page = session.get(cluster_run.BASE + "/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    done = session.post(cluster_run.BASE + "/accounts/login/", data={"csrfmiddlewaretoken": token,
                        "username": "citizen0@example.org", "password": "Cluster-pass-2026"}, timeout=30,
                        allow_redirects=False)
    if done.status_code != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"benchmark login failed: {done.status_code}")
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def check_personal(path: str, cookie: str, headers: dict) -> None:
    """A logged-in or token request answers 200 from the app (never a login page or the page cache)."""
    r = requests.get(cluster_run.BASE + path, headers={**headers, **({"Cookie": cookie} if cookie else {})},
                     timeout=60, allow_redirects=False)
    if r.status_code != 200 or r.headers.get("X-Kompass-Cache"):
        raise RuntimeError(f"{path}: {r.status_code} {r.headers.get('X-Kompass-Cache')}")


START_LOAD = os.getloadavg()[0]


def new_cluster(prefix: str) -> cluster_run.Cluster:
    """A cluster of the bench-load topology on the scratch database DB, working in a new directory."""
    cluster_run.DB = DB
    work = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    os.chmod(work, 0o755)
    cluster = cluster_run.Cluster(work)
    cluster.pgb_dir = work / "pgbouncer"
    cluster.pgb_dir.mkdir()
    os.chmod(cluster.pgb_dir, 0o777)
    return cluster


def seed(cluster: cluster_run.Cluster) -> tuple[dict, dict]:
    """The scratch database recreated and seeded at SCALE, static files collected: (the seeding environment,
    what bench/cluster/seed.py reports)."""
    pg = cluster_run.PG
    recreate_database(f"{pg}/{DB}")
    env = {**cluster.env, "DATABASE_URL": f"{pg}/{DB}", "CACHE_URL": "", "CLUSTER_SCALE": SCALE}
    done = subprocess.run([str(cluster_run.VENV / "python"), str(ROOT / "bench/cluster/seed.py")], env=env,
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    subprocess.run([str(cluster_run.VENV / "kompass"), "collectstatic", "--noinput", "-v", "0"], env=env,
                   cwd=ROOT, check=True)
    return env, json.loads(done.stdout.strip().splitlines()[-1])


def start(cluster: cluster_run.Cluster) -> None:
    cluster.start_redis()
    cluster.start_memcached()
    cluster.start_pgbouncer()
    for i in range(2):
        cluster.start_app(i)
    cluster.start_nginx()


def clean_up(cluster: cluster_run.Cluster) -> None:
    import shutil

    cluster.stop_all()
    subprocess.run(["psql", f"{cluster_run.PG}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{DB}"'],
                   capture_output=True)
    shutil.rmtree(cluster.work, ignore_errors=True)


def main() -> int:
    cluster = new_cluster("kompass-load-")
    work, pg = cluster.work, cluster_run.PG
    try:
        env, seeded = seed(cluster)
        panel = subprocess.run([str(cluster_run.VENV / "python"), str(HERE / "seed_panel.py")],
                               env={**env, "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
                               cwd=ROOT, capture_output=True, text=True)
        if panel.returncode:
            raise RuntimeError(panel.stderr[-3000:])
        panel_slug = panel.stdout.strip().splitlines()[-1]
        cluster.env["REQUEST_LOG"] = "0"  # the benchmark measures serving, not log writing
        ENV.update({**cluster.env, "DATABASE_URL": f"{pg}/{DB}"})
        start(cluster)
        PROFILED.update(nginx=cluster.procs["nginx"].pid, memcached=cluster.procs["memcached"].pid)
        psql = cluster_run.psql
        slug = psql("SELECT slug FROM measures_measure WHERE slug LIKE 'gen-%' ORDER BY id LIMIT 1")
        indicator = psql("SELECT slug FROM monitoring_indicator ORDER BY id LIMIT 1")
        pilot = psql("SELECT slug FROM measures_measure WHERE slug NOT LIKE 'gen-%' ORDER BY id LIMIT 1")
        static = "/static/lifecycle/lifecycle.css"
        pages = {"catalogue": "/measures/", "measure page": f"/measures/{slug}/", "idea list": "/ideas/",
                 "indicator page": f"/monitoring/indicators/{indicator}/"}
        urls = {**pages, "fact-sheet PDF": f"/measures/{pilot}/factsheet.pdf",
                "lottery audit page": f"/stadtgremium/{panel_slug}/audit/",
                "lottery audit PDF": f"/stadtgremium/{panel_slug}/audit.pdf",
                "API list": "/api/v1/measures?limit=20"}
        served, bodies = {}, {}
        for name, path in urls.items():  # every URL answers 200 (and fills the page caches)
            for _ in range(2):
                r = requests.get(cluster_run.BASE + path, timeout=120)
                assert r.status_code == 200, (path, r.status_code)
            served[name] = r.headers.get("X-Kompass-Cache", "-")  # edge = nginx from memcached, hit = Redis
            bodies[name] = r.content
        reference = size_matched_reference(work / "var" / "static", pages, bodies)
        statics = {STATIC_SMALL: static, STATIC_PAGE: reference["url"]}
        for path in statics.values():
            assert requests.get(cluster_run.BASE + path, timeout=30).status_code == 200, path
        results = {"static file via gunicorn (WhiteNoise)": wrk_app(static, work)}
        # The references before and after the pages (the machine's load drifts); the goal uses their mean.
        for when in ("before", "after"):
            for name, path in statics.items():
                results[f"{name} ({when} the pages)"] = wrk(path, work)
                cluster_run.log(f"{name} ({when}): {results[f'{name} ({when} the pages)']}")
            if when == "after":
                break
            for name, path in pages.items():
                before = app_counters()
                results[name] = wrk(path, work)
                results[name]["app"] = counters_since(before)
                cluster_run.log(f"{name}: {results[name]}")
        results["catalogue, client without gzip (nginx decodes the stored page)"] = wrk("/measures/", work, gzip=False)
        for name, path in urls.items():
            if name not in pages:
                results[name] = wrk(path, work)
                cluster_run.log(f"{name}: {results[name]}")
        cookie, token = login_cookie(), api_token()
        for path, headers in logged_in_paths(slug, token).values():
            check_personal(path, "" if headers else cookie, headers)
        logged_in = logged_in_paths(slug, token)
        for servers in (2, 1):
            if servers == 1:
                cluster.kill("app1", wait=20)
                time.sleep(12)  # nginx notices the closed port at once; fail_timeout keeps it out
            suffix = f" ({servers} app server{'s' if servers > 1 else ''})"
            results["catalogue, cached" + suffix] = wrk("/measures/", work)
            results["measure page, rendered every time" + suffix] = wrk(f"/measures/{slug}/", work, bust=True)
            for name, (path, headers) in logged_in.items():
                results[name + suffix] = wrk(path, work, cookie="" if headers else cookie, headers=headers,
                                             connections=PERSONAL_CONNECTIONS, seconds=max(SECONDS, 15))
        for name in [n for n in results if n.endswith(("app servers)", "app server)"))]:
            cluster_run.log(f"{name}: {results[name]}")
        write_results(results, seeded, served, reference)
        return 0
    finally:
        clean_up(cluster)


STATIC_SMALL = "4 KB stylesheet via nginx"
STATIC_PAGE = "page-size static file via nginx"
ANONYMOUS = ["catalogue", "measure page", "idea list", "indicator page"]


def size_matched_reference(static_root: Path, pages: dict, bodies: dict) -> dict:
    """A static file of the pages' size class: the bytes of the smallest of the four anonymous pages (the
    strictest choice: the cheapest such file to serve), written into the static files with a .gz beside it as
    collectstatic writes one for every file, so nginx serves it compressed (gzip_static) like the pages."""
    import gzip

    name = min(pages, key=lambda n: len(bodies[n]))
    body = bodies[name]
    target = static_root / "bench" / "page-copy.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    packed = gzip.compress(body, 9, mtime=0)
    target.with_name(target.name + ".gz").write_bytes(packed)
    return {"url": "/static/bench/page-copy.html", "page": name, "bytes": len(body), "gzip_bytes": len(packed),
            "sizes": {n: (len(bodies[n]), len(gzip.compress(bodies[n], 6, mtime=0))) for n in pages}}


def logged_in_paths(slug: str, token: str) -> dict:
    bearer = {"Authorization": f"Bearer {token}"}
    return {"logged-in idea list": ("/ideas/", {}), "logged-in measure page": (f"/measures/{slug}/", {}),
            "API list with a token": ("/api/v1/measures?limit=20", bearer),
            "API measure with a token": (f"/api/v1/measures/{slug}", bearer)}


def wrk_app(path: str, work: Path) -> dict:
    """The static file from gunicorn/WhiteNoise, wrk against one app server's own port (nginx serves /static/
    itself, so this is the Python stack's own ceiling for a trivial response)."""
    base = cluster_run.BASE
    cluster_run.BASE = f"http://127.0.0.1:{cluster_run.APPS[0]}"
    try:
        return wrk(path, work)
    finally:
        cluster_run.BASE = base


def write_results(results: dict, seeded: dict, served: dict, reference: dict) -> None:
    from kompass.ops.edgecache import GZIP_LEVEL

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    app = results["static file via gunicorn (WhiteNoise)"]["rps"]

    def mean(name: str) -> float:
        return (results[f"{name} (before the pages)"]["rps"] + results[f"{name} (after the pages)"]["rps"]) / 2

    small, page = mean(STATIC_SMALL), mean(STATIC_PAGE)
    sizes = ", ".join(f"{n} {plain / 1000:.1f} KB ({packed / 1000:.1f} KB gzip)"
                      for n, (plain, packed) in reference["sizes"].items())
    lines = ["# Load benchmark", "",
             f"Run: `make bench-load` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs ({cpu}), "
             "machine shared with other engineers' work (numbers are noisy; ratios within the run are what counts). "
             f"Data: {seeded['measures']:,} measures, ideas/supports/comments at scale {SCALE} of 100,000/1,000,000/"
             "500,000. Topology as in `make cluster-test`: nginx with the edge cache (memcached, ADR 0043) → 2 "
             "gunicorn app servers × 2 sync workers, PgBouncer, Redis page cache, the load generator (wrk) on the "
             f"same 2 cores. Command: `make bench-load` (LOAD_SECONDS={SECONDS}, LOAD_CONNECTIONS={CONNECTIONS}, "
             f"LOAD_PERSONAL_CONNECTIONS={PERSONAL_CONNECTIONS}, LOAD_SCALE={SCALE}); load average at the start "
             f"{START_LOAD:.1f}.", "",
             "Who answered each warm URL (X-Kompass-Cache of the second request): " + ", ".join(
                 f"{name} = {how}" for name, how in served.items()) + " (edge = nginx from memcached without "
             "Python, hit = the app from Redis, - = rendered).", "",
             f"wrk: {CONNECTIONS} connections, {SECONDS} s per URL, every request with `Accept-Encoding: gzip` as "
             "browsers send it (one row without, for clients that do not accept gzip). Edge hits are stored "
             f"gzip-compressed (level {GZIP_LEVEL}) in memcached and sent as they are (ADR 0082); static files are "
             "sent from the .gz beside them (gzip_static). Page sizes: " + sizes + ".", "",
             "References in the same run, each before and after the four pages (the goal uses the mean of the "
             "two): the 4 KB stylesheet /static/lifecycle/lifecycle.css served by nginx, and a static file of the "
             f"pages' size class, a byte copy of the smallest of the four pages (the {reference['page']}, "
             f"{reference['bytes'] / 1000:.1f} KB, {reference['gzip_bytes'] / 1000:.1f} KB gzip), written into the "
             "static files by the benchmark with its .gz. The goal is stated against the size-matched file: nginx "
             "sends the same bytes from a file (the kernel's page cache), the cheapest way it can send a page, which "
             "an edge hit can at best approach; against the 4 KB file a page also pays for being larger. Both "
             "percentages are shown. A third, "
             "the stylesheet from gunicorn/WhiteNoise on one app server's port, is the Python stack's limit. The "
             "goal is ≥ 40 % of the reference's requests per second with p95 < 250 ms for anonymous pages. "
             f"Logged-in pages and the API with a token (never cached) run with {PERSONAL_CONNECTIONS} connections "
             f"for {max(SECONDS, 15)} s.",
             "", "| URL | req/s | % of page-size static | % of 4 KB static | % of static via gunicorn | p50 ms | "
             "p95 ms | p99 ms | errors / non-2xx |", "|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        lines.append(f"| {name} | {r['rps']:,.0f} | {100 * r['rps'] / page:.0f} % | {100 * r['rps'] / small:.0f} % | "
                     f"{100 * r['rps'] / app:.0f} % | {r['p50_ms']:.1f} | "
                     f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} / {r['non2xx']} |")
    lines += ["", "The app servers' cache counters during each page's row (kompass_page_cache_total and "
              "kompass_edge_cache_total: page:miss and page:refresh are renders, page:stale requests answered from "
              "the kept copy while one request re-rendered an expired entry, ADR 0088; none = nginx answered every "
              "request from memcached): " + "; ".join(
                  f"{n}: " + (", ".join(f"{k} {v}" for k, v in results[n]["app"].items()) or "none")
                  for n in ANONYMOUS) + "."]
    lines += ["", f"References (mean of before and after): page-size static {page:,.0f} req/s, 4 KB static "
              f"{small:,.0f} req/s, static via gunicorn {app:,.0f} req/s.", "",
              "Where the time goes: CPU per request (µs, user + system, from /proc) of nginx's worker, memcached and "
              "wrk while wrk ran against each URL served by nginx alone. CPU time is what the 2 shared cores run out "
              "of; it is less noisy than req/s on a busy machine (other processes' CPU is not counted; the "
              "kernel's loopback work is partly in these processes' system time).", "",
              "| URL | nginx | memcached | wrk | sum |", "|---|---|---|---|---|"]
    for name, r in results.items():
        cpu_us = r.get("cpu_us")
        if cpu_us and (name.startswith((STATIC_SMALL, STATIC_PAGE)) or name in ANONYMOUS
                       or name.startswith("catalogue, client without gzip")):
            lines.append(f"| {name} | {cpu_us['nginx']:.1f} | {cpu_us['memcached']:.1f} | {cpu_us['wrk']:.1f} | "
                         f"{sum(cpu_us.values()):.1f} |")
    lines += ["", "Scaling, 2 app servers against 1 (req/s):", ""]
    for name in ("catalogue, cached", "measure page, rendered every time", "logged-in idea list",
                 "logged-in measure page", "API list with a token", "API measure with a token"):
        two, one = results[f"{name} (2 app servers)"]["rps"], results[f"{name} (1 app server)"]["rps"]
        lines.append(f"- {name}: {two:,.0f} vs {one:,.0f} (×{two / one:.2f})" if one else f"- {name}: {two:,.0f} vs 0")

    def met(ref: float) -> list[str]:
        return [n for n in ANONYMOUS if results[n]["rps"] >= 0.4 * ref and results[n]["p95_ms"] < 250]

    logged = [n for n in results if n.startswith(("logged-in", "API list with", "API measure with"))
              and n.endswith("(2 app servers)")]
    fast = [n for n in logged if results[n]["rps"] >= 150]
    lines += ["", f"Goals: anonymous pages ≥ 40 % of the static reference with p95 < 250 ms — {len(met(page))} of "
              f"{len(ANONYMOUS)} against the page-size static file (the goal), {len(met(small))} of {len(ANONYMOUS)} "
              f"against the 4 KB stylesheet, {len(met(app))} of {len(ANONYMOUS)} against the stylesheet served by "
              f"gunicorn; logged-in pages and API ≥ 150 req/s — {len(fast)} of {len(logged)}. "
              f"Load average of the machine at the end of the run: {os.getloadavg()[0]:.1f} (2 cores; other "
              "engineers' test suites and benchmarks were running). On this machine the load generator, nginx, "
              "PostgreSQL, Redis and both servers share the same 2 cores, so a second server can only help while "
              "a core is idle."]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")

if __name__ == "__main__":
    sys.exit(main())
