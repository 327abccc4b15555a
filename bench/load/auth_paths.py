"""Throughput of the logged-in and token paths (issue 12, "logged-in pages and API at least 150 req/s on 2 cores").

    flock /tmp/kompass-heavy.lock .venv/bin/python bench/load/auth_paths.py [--reseed] [--label NAME] [--only a,b]
    .venv/bin/python bench/load/auth_paths.py --queries     # SQL queries per page, in-process (no server)
    .venv/bin/python bench/load/auth_paths.py --profile     # CPU ms per request and cProfile top functions

1. Seeds the PostgreSQL database AUTH_DB (default kompass_speed) with bench/cluster/seed.py at AUTH_SCALE
   (default 0.2: 2,000 measures, 20,000 ideas, 200,000 supports, 100,000 comments, German text) plus one
   published citizens' panel (bench/load/seed_panel.py) and a coordinator with a measure team; a database that is
   already seeded is reused unless --reseed.
2. Starts its own redis-server (AUTH_REDIS_PORT, 8301) and ONE gunicorn app server (deploy/gunicorn.conf.py,
   DEBUG off, the production default of sync workers, 2 x CPUs + 1, or AUTH_WORKERS) on 127.0.0.1:AUTH_PORT
   (8300), straight to PostgreSQL.
3. Logs in a citizen and a coordinator through the login form (checks that the pages then show the account),
   creates an API token, and runs wrk (AUTH_SECONDS, 10 s each, at AUTH_CONNECTIONS, 16 and 50) against: the
   logged-in measure page, idea list and catalogue, the coordinator's /my-tasks/, the API list and measure
   detail with the token, the fact-sheet PDF and the lottery audit PDF (second request from the cache).
4. Prints a table and writes bench/load/AUTH_RESULTS.md (machine, load average, command).

Everything it started is stopped at the end; the seeded database stays for the next run."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
VENV = ROOT / ".venv/bin"
PG = os.environ.get("AUTH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("AUTH_DB", "kompass_speed")
PORT = int(os.environ.get("AUTH_PORT", "8300"))
REDIS_PORT = int(os.environ.get("AUTH_REDIS_PORT", "8301"))
SCALE = os.environ.get("AUTH_SCALE", "0.2")
SECONDS = int(os.environ.get("AUTH_SECONDS", "10"))
CONNECTIONS = [int(c) for c in os.environ.get("AUTH_CONNECTIONS", "16,50").split(",")]
PASSWORD = "Cluster-pass-2026"  # bench/cluster/seed.py
CITIZEN, COORDINATOR = "citizen0@example.org", "coordinator@example.org"
BASE = f"http://127.0.0.1:{PORT}"
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("JSON{\\"rps\\": %.1f, \\"p50_ms\\": %.1f, \\"p95_ms\\": %.1f, \\"p99_ms\\": %.1f, " ..
    "\\"requests\\": %d, \\"errors\\": %d, \\"non2xx\\": %d}\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


WORKERS = int(os.environ.get("AUTH_WORKERS") or (os.cpu_count() or 1) * 2 + 1)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def app_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("KOMPASS_TESTING", "DEBUG")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.cluster.settings", "DATABASE_URL": f"{PG}/{DB}",
        "CACHE_URL": f"redis://127.0.0.1:{REDIS_PORT}/0", "SECRET_KEY": "auth-bench-only-" + "x" * 40,
        "HTTPS_ONLY": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "DEBUG": "0",
        "KOMPASS_VAR_DIR": os.environ.get("AUTH_VAR_DIR", "/tmp/kompass-speed-var"),
        # Worker processes: deploy/gunicorn.conf.py's production default (2 x CPUs + 1) unless AUTH_WORKERS is set.
        "WEB_CONCURRENCY": str(WORKERS),
        # No worker recycling during the run: a worker booting in the middle of a row measures the boot, not the
        # path (with the former 10 % jitter both workers restarted together: a 10 s row at 0 req/s; now 50 %).
        "GUNICORN_MAX_REQUESTS": os.environ.get("GUNICORN_MAX_REQUESTS", "0"),
        "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING", "REQUEST_LOG": "0", "CONN_MAX_AGE": "60",
        "PYTHONPATH": str(ROOT), "GUNICORN_BIND": f"127.0.0.1:{PORT}",
    })
    return env


def py(code: str, env: dict) -> str:
    out = subprocess.run([str(VENV / "python"), "-c", "import django; django.setup()\n" + code], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return out.stdout.strip()


def seeded(env: dict) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{PG}/{DB}") as conn:
            row = conn.execute("SELECT count(*) FROM accounts_user WHERE email = %s", [COORDINATOR]).fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return False


def seed(env: dict) -> None:
    from bench.common import recreate_database

    recreate_database(f"{PG}/{DB}")
    seed_steps(env, [("bench/cluster/seed.py", {"CLUSTER_SCALE": SCALE, "CACHE_URL": ""})])
    seed_extras(env)


def seed_steps(env: dict, steps: list) -> None:
    for script, extra in steps:
        log(f"seeding: {script}")
        out = subprocess.run([str(VENV / "python"), str(ROOT / script)], env={**env, **extra}, cwd=ROOT,
                             capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(out.stderr[-3000:])


def seed_extras(env: dict) -> None:
    """The published panel (audit PDF) and a coordinator of the organisation with the most measures, on the team
    of three of them (for /my-tasks/)."""
    seed_steps(env, [("bench/load/seed_panel.py", {"CACHE_URL": "",
                      "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"})])
    # A coordinator of the organisation with the most measures, on the team of three of them (for /my-tasks/).
    py(f"""
from django.db.models import Count
from django.contrib.auth.hashers import make_password
from kompass.accounts.models import Membership, User
from kompass.lifecycle.models import TeamMember
from kompass.organisations.models import Organisation
org = Organisation.objects.annotate(n=Count('responsible_for')).order_by('-n', 'pk').first()
user = User.objects.create(email={COORDINATOR!r}, display_name='Koordinatorin Last',
                           password=make_password({PASSWORD!r}))
Membership.objects.create(user=user, organisation=org, role=Membership.Role.COORDINATOR)
for m in org.responsible_for.order_by('pk')[:3]:
    TeamMember.objects.create(measure=m, user=user, role=TeamMember.Role.LEAD)
""", {**env, "CACHE_URL": ""})


def wait_for(check, what: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001, S110 - not up yet
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not start")


class Servers:
    def __init__(self, work: Path, env: dict):
        self.work, self.env, self.procs = work, env, []

    def start(self, argv: list[str], name: str) -> None:
        out = open(self.work / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        self.procs.append(subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                           start_new_session=True))

    def up(self) -> None:
        import requests

        self.start(["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                    "no", "--dir", str(self.work)], "redis")
        wait_for(lambda: subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True,
                                        text=True).stdout.strip() == "PONG", "redis")
        self.start([str(VENV / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"), "config.wsgi:application"],
                   "gunicorn")
        wait_for(lambda: requests.get(BASE + "/readyz", timeout=5).status_code == 200, "gunicorn")

    def down(self) -> None:
        import signal

        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)


def login(email: str) -> str:
    """The session cookie after logging in through the form (fails loudly when the login did not work)."""
    import requests

    session = requests.Session()
    page = session.get(BASE + "/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(BASE + "/accounts/login/", data={"csrfmiddlewaretoken": token, "username": email,
                          "password": PASSWORD}, timeout=30, allow_redirects=False)
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"login of {email} failed: {answer.status_code}")
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def wrk(path: str, connections: int, work: Path, headers: dict) -> dict:
    script = work / "report.lua"
    script.write_text(LUA)
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{SECONDS}s", "--timeout", "10s", "-s", str(script)]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    out = subprocess.run([*argv, BASE + path], capture_output=True, text=True, timeout=SECONDS + 60)
    match = re.search(r"JSON(\{.*\})", out.stdout)
    if not match:
        raise RuntimeError(out.stdout + out.stderr)
    return json.loads(match.group(1))


def _stat(pid) -> list[str] | None:
    try:  # the fields after the command name: state ppid pgrp session … utime(11) stime(12)
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def server_pids(servers: Servers) -> set[int]:
    """Every process this benchmark started (gunicorn master and workers, redis-server: each in its own session)
    and the PostgreSQL backends serving database DB."""
    import psycopg

    sessions, pids = {p.pid for p in servers.procs}, set()
    for entry in Path("/proc").iterdir():
        fields = _stat(entry.name) if entry.name.isdigit() else None
        if fields and int(fields[3]) in sessions:
            pids.add(int(entry.name))
    with psycopg.connect(f"{PG}/{DB}") as conn:
        pids |= {row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [DB])}
    return pids


def cpu_seconds(pids) -> dict[int, float]:
    tick = os.sysconf("SC_CLK_TCK")
    return {pid: (int(f[11]) + int(f[12])) / tick for pid in pids if (f := _stat(pid))}


def measured_wrk(path: str, connections: int, work: Path, headers: dict, servers: Servers) -> dict:
    """wrk, plus the CPU time that app server, Redis, PostgreSQL and wrk itself spent meanwhile, per request: what
    a request costs on this machine whatever else runs on it, and so the requests per second the 2 cores would
    give if they were ours alone (2,000 ms / CPU ms per request; an upper bound: no contention counted)."""
    import resource

    before_pids = server_pids(servers)
    before, children = cpu_seconds(before_pids), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = wrk(path, connections, work, headers)
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    after = cpu_seconds(before_pids | server_pids(servers))
    spent = sum(t - before.get(pid, 0.0) for pid, t in after.items())
    spent += (after_children.ru_utime + after_children.ru_stime) - (children.ru_utime + children.ru_stime)
    result["cpu_ms_per_request"] = 1000 * spent / result["requests"] if result["requests"] else 0.0
    return result


def targets(env: dict) -> dict:
    """name -> (path, who, marker): who is citizen, coordinator or token; marker a text the answer must hold."""
    found = json.loads(py(f"COORDINATOR = {COORDINATOR!r}\n" + """
import json
from kompass.measures.models import Measure
from kompass.lottery.models import Panel
pilot = Measure.objects.filter(is_pilot=True).order_by('pk').first() or Measure.objects.order_by('pk').first()
own = Measure.objects.filter(responsible_organisation__memberships__user__email=COORDINATOR).order_by('pk').first()
print(json.dumps({'measure': Measure.objects.filter(slug__startswith='gen-').order_by('pk').first().slug,
                  'own': own.slug,
                  'pilot': pilot.slug, 'panel': Panel.objects.order_by('pk').first().slug}))
""", env).splitlines()[-1])
    m, out = found["measure"], 'action="/accounts/logout/"'  # the page frame of a logged-in account
    return {
        "measure page (citizen)": (f"/measures/{m}/", "citizen", out),
        "idea list (citizen)": ("/ideas/", "citizen", out),
        "catalogue (citizen)": ("/measures/", "citizen", out),
        "measure page (coordinator)": (f"/measures/{m}/", "coordinator", out),
        "own measure page (coordinator)": (f"/measures/{found['own']}/", "coordinator", "/edit/"),
        "my tasks (coordinator)": ("/my-tasks/", "coordinator", out),
        "API list (token)": ("/api/v1/measures?limit=20", "token", '"items"'),
        "API measure (token)": (f"/api/v1/measures/{m}", "token", f'"{m}"'),
        "fact-sheet PDF (citizen)": (f"/measures/{found['pilot']}/factsheet.pdf", "citizen", "%PDF"),
        "audit PDF (citizen)": (f"/stadtgremium/{found['panel']}/audit.pdf", "citizen", "%PDF"),
    }


def run(args: list[str]) -> int:
    import requests

    env = app_env()
    if "--reseed" in args or not seeded(env):
        seed(env)
    only = next((a.split("=", 1)[1].split(",") for a in args if a.startswith("--only=")), None)
    label = next((a.split("=", 1)[1] for a in args if a.startswith("--label=")), "")
    work = Path(tempfile.mkdtemp(prefix="kompass-speed-", dir="/tmp"))
    Path(env["KOMPASS_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    subprocess.run([str(VENV / "kompass"), "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    servers = Servers(work, env)
    results, first = {}, {}
    load_before = os.getloadavg()
    try:
        servers.up()
        cookies = {"citizen": login(CITIZEN), "coordinator": login(COORDINATOR)}
        token = py(f"""
from kompass.accounts.models import User
from kompass.accounts.services import api_token_create
u = User.objects.get(email={CITIZEN!r})
print(api_token_create(actor=u, user=u, name='auth-bench')[1])""", env).splitlines()[-1]
        headers = {"citizen": {"Cookie": cookies["citizen"]}, "coordinator": {"Cookie": cookies["coordinator"]},
                   "token": {"Authorization": f"Bearer {token}"}}
        for name, (path, who, marker) in targets(env).items():
            if only and not any(o in name for o in only):
                continue
            times = []
            for _ in range(3):  # the first answer (PDFs: the render), then two more (PDFs: from the cache)
                start = time.perf_counter()
                answer = requests.get(BASE + path, headers=headers[who], timeout=120)
                times.append((time.perf_counter() - start) * 1000)
                body = answer.content.decode("latin-1") if path.endswith(".pdf") else answer.text
                if answer.status_code != 200 or marker not in body:
                    raise RuntimeError(f"{name}: {answer.status_code}, {marker!r} missing")
            first[name] = (times[0], min(times[1:]), answer.headers.get("X-Kompass-Cache", ""))
            for c in CONNECTIONS:
                results[(name, c)] = measured_wrk(path, c, work, headers[who], servers)
                log(f"{name} c={c}: {results[(name, c)]}")
    finally:
        servers.down()
        shutil.rmtree(work, ignore_errors=True)
    write(results, first, load_before, os.getloadavg(), label, args)
    return 0


def write(results: dict, first: dict, load_before, load_after, label: str, args: list[str]) -> None:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    commit = os.environ.get("AUTH_COMMIT") or subprocess.run(  # AUTH_COMMIT: a tree exported with git archive
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    names = list(dict.fromkeys(name for name, _c in results))
    before_path = next((a.split("=", 1)[1] for a in args if a.startswith("--before=")), "")
    before = json.loads(Path(before_path).read_text()) if before_path else {}
    (HERE / "AUTH_RESULTS.json").write_text(json.dumps({
        "label": label, "commit": commit, "load": [load_before[0], load_after[0]],
        "results": {f"{n}|{c}": r for (n, c), r in results.items()}}, indent=1))
    speedup = " | ".join(f"before req/s c={c} | × c={c}" for c in CONNECTIONS)
    head = "| URL | first ms | again ms | " + " | ".join(f"req/s c={c} | p95 ms c={c}" for c in CONNECTIONS) + \
        " | errors / non-2xx | " + " | ".join(f"CPU ms/req c={c} | 2-core req/s c={c}" for c in CONNECTIONS) + \
        " |" + (f" {speedup} |" if before else "")
    lines = ["# Logged-in and token paths (issue 12)", "",
             f"Run: `{' '.join(['python bench/load/auth_paths.py', *args])}` on {datetime.now(UTC):%Y-%m-%d %H:%M} "
             f"UTC, commit {commit}{f' ({label})' if label else ''}, {os.cpu_count()} CPUs ({cpu}), load average "
             f"{load_before[0]:.1f} before and {load_after[0]:.1f} after (machine shared with other engineers' "
             "work; wrk runs on the same cores).",
             f"Data: database {DB}, bench/cluster/seed.py at scale {SCALE} (2,000 measures, 20,000 ideas, 200,000 "
             "supports, 100,000 comments at 0.2). One gunicorn (deploy/gunicorn.conf.py, "
             f"{WORKERS} sync workers, no worker recycling, DEBUG off) straight to PostgreSQL, Redis as the shared "
             f"cache. wrk -t2, {SECONDS} s per URL "
             "and connection count.",
             "", "first ms / again ms: one request's wall time, the first and the fastest of two more (PDFs: the "
             "render, then the cache). CPU ms/req: the CPU time the app server, its Redis, the PostgreSQL backends "
             "of the database and wrk spent during the row, per request (from /proc, so other work on the machine "
             "is not counted); 2-core req/s = 2,000 / CPU ms/req, what the 2 cores would serve if nothing else ran "
             "(an upper bound)." + (f" before: the same benchmark on {before.get('commit')} "
             f"({before.get('label')}), load average {before['load'][0]:.1f} to {before['load'][1]:.1f}; × = after / "
             "before." if before else ""), "", head, "|" + "---|" * (4 + (6 if before else 4) * len(CONNECTIONS))]
    for name in names:
        cells = [f"{results[(name, c)]['rps']:,.0f} | {results[(name, c)]['p95_ms']:.0f}" for c in CONNECTIONS]
        errors = sum(results[(name, c)]["errors"] for c in CONNECTIONS)
        non2xx = sum(results[(name, c)]["non2xx"] for c in CONNECTIONS)
        f_ms, again, cache = first.get(name, (0, 0, ""))
        extra = ""
        if before:
            old = [before["results"].get(f"{name}|{c}", {}).get("rps", 0) for c in CONNECTIONS]
            extra = " " + " | ".join(f"{o:,.1f} | {results[(name, c)]['rps'] / o:.1f}" if o else "– | –"
                                     for o, c in zip(old, CONNECTIONS, strict=True)) + " |"
        cpu = [results[(name, c)].get("cpu_ms_per_request", 0.0) for c in CONNECTIONS]
        capacity = " | ".join(f"{ms:.1f} | {2000 / ms:,.0f}" if ms else "– | –" for ms in cpu)
        lines.append(f"| {name} | {f_ms:.0f} | {again:.0f}{' (cache ' + cache + ')' if cache else ''} | "
                     + " | ".join(cells) + f" | {errors} / {non2xx} | {capacity} |" + extra)
    text = "\n".join(lines) + "\n"
    print(text)
    (HERE / "AUTH_RESULTS.md").write_text(text)


if __name__ == "__main__":
    argv = sys.argv[1:]
    if "--queries" in argv or "--profile" in argv:
        from bench.load import auth_profile

        sys.exit(auth_profile.main(argv, app_env()))
    sys.exit(run(argv))
