"""In-process view of the logged-in and token paths against the seeded database (bench/load/auth_paths.py):

    .venv/bin/python bench/load/auth_paths.py --queries            # SQL queries per page
    .venv/bin/python bench/load/auth_paths.py --profile [--top=25] [--only=a,b] [--n=30]

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
        print(f"{name:34} {statistics.median(cpu):8.1f} {statistics.median(wall):8.1f} {len(ctx):8d}")
        if "--queries" in argv and "-v" in argv:
            for q in ctx.captured_queries:
                print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
        if "--profile" in argv:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(max(n // 3, 5)):
                client.get(path)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(_arg(argv, "sort", "tottime")).print_stats(top)
            print(out.getvalue())
    return 0
