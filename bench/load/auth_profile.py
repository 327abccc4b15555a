"""In-process view of the logged-in and token paths against the seeded database (bench/load/auth_paths.py):

    .venv/bin/python bench/load/auth_paths.py --queries            # SQL queries per page
    .venv/bin/python bench/load/auth_paths.py --profile [--cpu] [--sort=cumulative] [--top=25] [--only=a,b] [--n=30]

Django's test client, no server: CPU ms per request (process time, median of --n requests after two warm-up
requests), SQL queries per request, and with --profile the cProfile functions with the most own time."""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import subprocess
import time


def _arg(argv: list[str], name: str, default: str) -> str:
    return next((a.split("=", 1)[1] for a in argv if a.startswith(f"--{name}=")), default)


def main(argv: list[str], env: dict) -> int:
    """--cache=redis (default: an own redis-server on AUTH_REDIS_PORT, as the app server has) or --cache= (the
    per-process cache: no shared fragments, no cached sessions)."""
    redis = None
    cache = _arg(argv, "cache", "redis")
    if cache == "redis":
        from bench.load.auth_paths import REDIS_PORT, wait_for

        redis = subprocess.Popen(["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True,
                                        text=True).stdout.strip() == "PONG", "redis")
        cache = env["CACHE_URL"]
    os.environ.update({**env, "CACHE_URL": cache, "ALLOWED_HOSTS": "testserver,127.0.0.1"})
    try:
        return _measure(argv, env)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(10)


def _measure(argv: list[str], env: dict) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.load.auth_paths import CITIZEN, COORDINATOR, targets
    from kompass.accounts.models import ApiToken, User
    from kompass.accounts.services import api_token_create

    citizen, coordinator = User.objects.get(email=CITIZEN), User.objects.get(email=COORDINATOR)
    ApiToken.objects.filter(user=citizen, name="auth-profile").delete()
    token = api_token_create(actor=citizen, user=citizen, name="auth-profile")[1]
    clients = {"citizen": Client(), "coordinator": Client(), "token": Client(HTTP_AUTHORIZATION=f"Bearer {token}")}
    clients["citizen"].force_login(citizen)
    clients["coordinator"].force_login(coordinator)
    only = [o for o in _arg(argv, "only", "").split(",") if o]
    n, top = int(_arg(argv, "n", "30")), int(_arg(argv, "top", "25"))
    print(f"{'URL':34} {'CPU ms':>8} {'wall ms':>8} {'queries':>8}")
    rows = {}
    for name, (path, who, _marker) in targets(env).items():
        if only and not any(o in name for o in only):
            continue
        client = clients[who]
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200, (name, response.status_code)
        cpu, wall = [], []
        for _ in range(n):
            c0, w0 = time.process_time(), time.perf_counter()
            client.get(path)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        rows[name] = {"cpu_ms": statistics.median(cpu), "wall_ms": statistics.median(wall), "queries": len(ctx)}
        print(f"{name:34} {statistics.median(cpu):8.1f} {statistics.median(wall):8.1f} {len(ctx):8d}")
        if "--queries" in argv and "-v" in argv:
            for q in ctx.captured_queries:
                print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
        if "--profile" in argv:
            # --cpu: process time (what the app server's cores spend), not wall time (waits for PostgreSQL and Redis)
            profile = cProfile.Profile(time.process_time) if "--cpu" in argv else cProfile.Profile()
            profile.enable()
            for _ in range(max(n // 3, 5)):
                client.get(path)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(_arg(argv, "sort", "tottime")).print_stats(top)
            print(out.getvalue())
    if "--write" in argv:
        write(rows, argv, n)
    return 0


def write(rows: dict, argv: list[str], n: int) -> None:
    """bench/load/AUTH_CPU.md (and .json): CPU ms and queries per request; with --before=AUTH_CPU.json of an
    earlier run (the code before the change) side by side."""
    import json
    import subprocess as sp
    from datetime import UTC, datetime
    from pathlib import Path

    here = Path(__file__).resolve().parent
    before_path = _arg(argv, "before", "")
    before = json.loads(Path(before_path).read_text()) if before_path else {}
    commit = os.environ.get("AUTH_COMMIT") or sp.run(["git", "rev-parse", "--short", "HEAD"], cwd=here,
                                                     capture_output=True, text=True).stdout.strip()
    label = _arg(argv, "label", "")
    (here / "AUTH_CPU.json").write_text(json.dumps({"commit": commit, "label": label, "rows": rows}, indent=1))
    load = os.getloadavg()[0]
    lines = ["# Logged-in and token paths: CPU per request, in-process (issue 12)", "",
             f"Run: `python bench/load/auth_paths.py {' '.join(argv)}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
             f"commit {commit or '?'}{f' ({label})' if label else ''}, load average {load:.1f}. Django's test "
             f"client in one process against the seeded PostgreSQL database, Redis as the shared cache; median "
             f"process CPU time of {n} requests after two warm-up requests (what the app server spends, without "
             "PostgreSQL's and Redis' own CPU), and the SQL queries of one more request.", ""]
    if before:
        lines += [f"Before: commit {before.get('commit') or '?'} ({before.get('label')}), the same command.", "",
                  "| URL | CPU ms before | CPU ms after | × less CPU | queries before | queries after |",
                  "|---|---|---|---|---|---|"]
        for name, row in rows.items():
            old = before["rows"].get(name, {})
            ratio = old.get("cpu_ms", 0) / row["cpu_ms"] if row["cpu_ms"] else 0
            lines.append(f"| {name} | {old.get('cpu_ms', 0):.1f} | {row['cpu_ms']:.1f} | {ratio:.1f} | "
                         f"{old.get('queries', '–')} | {row['queries']} |")
    else:
        lines += ["| URL | CPU ms | wall ms | queries |", "|---|---|---|---|"]
        lines += [f"| {name} | {r['cpu_ms']:.1f} | {r['wall_ms']:.1f} | {r['queries']} |" for name, r in rows.items()]
    (here / "AUTH_CPU.md").write_text("\n".join(lines) + "\n")
