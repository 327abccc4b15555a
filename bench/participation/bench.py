"""Participation benchmark (bash bench/participation/run.sh).

1. Creates the scratch PostgreSQL database `kompass_participation_bench`, migrates it and loads Berlin.
2. Seeds the SMALL size (1,000 ideas, 10,000 supports, 5,000 comments) with COPY, serves the portal with gunicorn
   on 127.0.0.1 and loads the idea list, an idea page and the API list from a second process (bench/participation/
   load.py, 50 concurrent clients, bounded in requests and seconds); counts SQL queries per request in-process.
3. Grows the data to the FULL size (100,000 ideas, 1,000,000 supports, 500,000 comments) and measures again.
4. Supports through the service layer (`support_add`: permission, rate limit, unique constraint, F() counter,
   audit event) from several threads with their own connections, spread over many ideas and on one hot idea;
   then checks that every denormalised count equals COUNT(*).
Writes bench/participation/RESULTS.md and results.json.
"""

from __future__ import annotations

import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
BENCH_URL = SERVER.rstrip("/") + "/kompass_participation_bench"
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("KOMPASS_TESTING", "1")  # no HTTPS redirect; immediate tasks

import django  # noqa: E402

SMALL = {"ideas": 1_000, "supports": 10_000, "comments": 5_000}
_F = float(os.environ.get("BENCH_FULL_FACTOR", "1"))  # < 1 only for a quick smoke run
FULL = {"ideas": int(100_000 * _F), "supports": int(1_000_000 * _F), "comments": int(500_000 * _F)}
USERS = int(os.environ.get("BENCH_USERS", "50000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
PORT = int(os.environ.get("BENCH_PORT", "0"))  # 0: a free port chosen at start
SUPPORT_PROCESSES = int(os.environ.get("BENCH_SUPPORT_PROCESSES", "4"))
SUPPORT_THREADS = int(os.environ.get("BENCH_SUPPORT_THREADS", "8"))
SUPPORTS_SPREAD = int(os.environ.get("BENCH_SUPPORTS_SPREAD", "20000"))
SUPPORTS_HOT = int(os.environ.get("BENCH_SUPPORTS_HOT", "5000"))
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(SERVER.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS kompass_participation_bench")
        conn.execute("CREATE DATABASE kompass_participation_bench")


def raw():
    from django.db import connection

    connection.ensure_connection()
    return connection.connection  # the psycopg 3 connection


def seed_users(n: int) -> None:
    pg = raw()
    with pg.cursor() as cur, cur.copy(
            "COPY accounts_user (password, is_superuser, is_staff, is_active, date_joined, email, display_name, "
            "language, is_strategy_office, is_cdo, is_reviewer, is_moderator, is_lottery_officer, is_blocked, "
            "blocked_reason, email_digest, notify_in_app) FROM STDIN") as copy:
        for i in range(n):
            copy.write_row(("!", False, False, True, T0, f"bench{i}@example.org", f"Teilnehmerin {i}", "de",
                            False, False, False, False, False, False, "", "weekly", True))


def _max_id(cur, table: str) -> int:
    cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - fixed table names
    return cur.fetchone()[0]


def grow(target: dict, rng: random.Random) -> None:
    """Add ideas, supports and comments up to `target` (ideas keep exact denormalised counts)."""
    from kompass.strategy.models import Strategy

    strategy = Strategy.objects.get(slug="berlin-gdb")
    fields = list(strategy.action_fields.values_list("id", flat=True))
    districts = list(strategy.districts.values_list("id", flat=True))
    from django.db import transaction

    pg = raw()
    with transaction.atomic(), pg.cursor() as cur:
        cur.execute("SELECT MIN(id), MAX(id) FROM accounts_user WHERE email LIKE 'bench%%'")
        first_user, last_user = cur.fetchone()
        n_users = last_user - first_user + 1
        cur.execute("SELECT COUNT(*) FROM participation_idea")
        have = cur.fetchone()[0]
        new = target["ideas"] - have
        scale = new / target["ideas"]
        n_supports = round(target["supports"] * scale)
        n_comments = round(target["comments"] * scale)
        base_idea = _max_id(cur, "participation_idea")
        # support counts: skewed (a few ideas get many), summing exactly to n_supports
        weights = [rng.paretovariate(1.3) for _ in range(new)]
        total = sum(weights)
        supports = [min(n_users - 1, int(w / total * n_supports)) for w in weights]
        for i in range(n_supports - sum(supports)):
            supports[i % new] += 1
        cweights = [rng.paretovariate(1.5) for _ in range(new)]
        ctotal = sum(cweights)
        comments = [int(w / ctotal * n_comments) for w in cweights]
        for i in range(n_comments - sum(comments)):
            comments[(i * 7) % new] += 1
        log(f"seeding {new} ideas, {n_supports} supports, {n_comments} comments")
        with cur.copy("COPY participation_idea (id, strategy_id, author_id, kind, title, text, status, "
                      "status_reason, support_count, comment_count, is_hidden, hidden_reason, created_at, "
                      "updated_at) FROM STDIN") as copy:
            for k in range(new):
                created = T0 + timedelta(minutes=have + k)
                copy.write_row((base_idea + k + 1, strategy.pk, first_user + rng.randrange(n_users),
                                "challenge" if k % 5 == 0 else "idea", f"Idee {have + k}: digitale Sache {k % 97}",
                                "Beschreibung der Idee. " * 8, "submitted", "", supports[k], comments[k], False, "",
                                created, created))
        with cur.copy("COPY participation_idea_action_fields (idea_id, actionfield_id) FROM STDIN") as copy:
            for k in range(new):
                copy.write_row((base_idea + k + 1, fields[k % len(fields)]))
        with cur.copy("COPY participation_idea_districts (idea_id, district_id) FROM STDIN") as copy:
            for k in range(new):
                copy.write_row((base_idea + k + 1, districts[k % len(districts)]))
        with cur.copy("COPY participation_ideastatuschange (idea_id, status, reason, created_at) FROM STDIN") as copy:
            for k in range(new):
                copy.write_row((base_idea + k + 1, "submitted", "", T0 + timedelta(minutes=have + k)))
        with cur.copy("COPY participation_support (idea_id, user_id, created_at) FROM STDIN") as copy:
            for k in range(new):
                start = rng.randrange(n_users)
                for j in range(supports[k]):
                    copy.write_row((base_idea + k + 1, first_user + (start + j) % n_users, T0))
        base_comment = _max_id(cur, "participation_comment")
        cid = base_comment
        with cur.copy("COPY participation_comment (id, idea_id, parent_id, author_id, text, is_deleted, is_hidden, "
                      "hidden_reason, created_at) FROM STDIN") as copy:
            for k in range(new):
                top = None
                for j in range(comments[k]):
                    cid += 1
                    parent = top if (j % 3 == 2 and top) else None
                    if parent is None:
                        top = cid
                    copy.write_row((cid, base_idea + k + 1, parent, first_user + rng.randrange(n_users),
                                    f"Kommentar {j} zur Idee.", False, False, "", T0 + timedelta(minutes=have + k,
                                                                                                  seconds=j)))
        for table in ("participation_idea", "participation_comment"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    with pg.cursor() as cur:  # Django keeps the connection in autocommit mode outside atomic blocks
        cur.execute("VACUUM ANALYZE")


def query_counts(urls: dict[str, str]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(ctx)
    return counts


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server() -> subprocess.Popen:
    global PORT
    PORT = PORT or free_port()
    env = {**os.environ, "DATABASE_URL": BENCH_URL, "SECRET_KEY": "bench-only-not-secret", "HTTPS_ONLY": "0",
           "CONN_MAX_AGE": "60", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    env.pop("KOMPASS_TESTING", None)
    env.pop("DEBUG", None)
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{PORT}",
                             "-w", str(WORKERS), "--log-level", "warning", "--timeout", "60"],
                            cwd=ROOT, env=env)
    import urllib.request

    for _ in range(100):
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited; is the port taken?")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)  # noqa: S310 - loopback
            return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def load(urls: dict[str, str]) -> dict:
    result = subprocess.run([sys.executable, str(HERE / "load.py"), "--port", str(PORT), "--clients", str(CLIENTS),
                             "--requests", str(REQUESTS), "--seconds", str(SECONDS), json.dumps(urls)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def measure(label: str, urls: dict[str, str]) -> dict:
    log(f"{label}: counting queries")
    counts = query_counts(urls)
    log(f"{label}: load test against gunicorn ({WORKERS} workers), {CLIENTS} clients")
    server = start_server()
    try:
        stats = load(urls)
    finally:
        server.terminate()
        server.wait(timeout=30)
    for name in stats:
        stats[name]["queries"] = counts[name]
        log(f"  {name}: {stats[name]}")
    return stats


def _support_process(jobs, threads, barrier, out):
    """Child process: `threads` threads, each with its own connection, call support_add for its share of jobs."""
    from django.db import connections

    from kompass.participation import services

    errors = []

    def worker(chunk):
        try:
            for user, idea in chunk:
                services.support_add(actor=user, idea=idea)
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker, args=(jobs[i::threads],)) for i in range(threads)]
    barrier.wait()
    start = time.time()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    out.put((start, time.time(), errors[:3]))


def run_supports(jobs: list[tuple], processes: int, threads: int) -> float:
    import multiprocessing

    from django.db import connections

    connections.close_all()  # never share a connection across fork
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(processes)
    out = ctx.Queue()
    procs = [ctx.Process(target=_support_process, args=(jobs[i::processes], threads, barrier, out))
             for i in range(processes)]
    for p in procs:
        p.start()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    errors = [e for r in results for e in r[2]]
    assert not errors, errors
    return max(r[1] for r in results) - min(r[0] for r in results)


def supports_throughput() -> dict:
    from kompass.accounts.models import User
    from kompass.participation.models import Idea, Support
    from kompass.strategy.models import Strategy

    strategy = Strategy.objects.get(slug="berlin-gdb")
    author = User.objects.filter(email__startswith="bench").first()
    ideas_per_user = 20
    n_users = SUPPORTS_SPREAD // ideas_per_user
    spread_ideas = Idea.objects.bulk_create([Idea(strategy=strategy, author=author, title=f"Durchsatz {i}", text="t")
                                             for i in range(ideas_per_user)])
    hot = Idea.objects.create(strategy=strategy, author=author, title="Heiße Idee", text="t")
    users = list(User.objects.filter(email__startswith="bench").order_by("pk")[1: 1 + max(n_users, SUPPORTS_HOT)])
    spread_jobs = [(u, idea) for u in users[:n_users] for idea in spread_ideas]
    random.Random(1).shuffle(spread_jobs)
    log(f"supports: {len(spread_jobs)} over {len(spread_ideas)} ideas, {SUPPORT_PROCESSES} processes x "
        f"{SUPPORT_THREADS} threads")
    spread_s = run_supports(spread_jobs, SUPPORT_PROCESSES, SUPPORT_THREADS)
    hot_jobs = [(u, hot) for u in users[:SUPPORTS_HOT]]
    log(f"supports: {len(hot_jobs)} on one idea")
    hot_s = run_supports(hot_jobs, SUPPORT_PROCESSES, SUPPORT_THREADS)
    # a double support from every job once more on the hot idea: nothing may change
    double_s = run_supports(hot_jobs[:1000], SUPPORT_PROCESSES, SUPPORT_THREADS)
    exact = all(Idea.objects.get(pk=i.pk).support_count == Support.objects.filter(idea=i).count()
                for i in [*spread_ideas, hot])
    hot.refresh_from_db()
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM participation_idea i WHERE support_count <> "
                    "(SELECT COUNT(*) FROM participation_support s WHERE s.idea_id = i.id)")
        mismatched = cur.fetchone()[0]
    return {"spread": {"supports": len(spread_jobs), "seconds": round(spread_s, 2),
                       "per_second": round(len(spread_jobs) / spread_s)},
            "hot": {"supports": len(hot_jobs), "seconds": round(hot_s, 2), "per_second": round(len(hot_jobs) / hot_s),
                    "count_after_1000_repeats": hot.support_count, "repeat_seconds": round(double_s, 2)},
            "processes": SUPPORT_PROCESSES, "threads": SUPPORT_THREADS, "exact_counts_for_bench_ideas": exact,
            "ideas_with_count_mismatch_in_whole_db": mismatched}


def main() -> None:
    log("creating kompass_participation_bench")
    recreate_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kompass.strategy.services import STRATEGY_LOADER, strategy_load

    strategy_load(actor=STRATEGY_LOADER, path=ROOT / "data/strategies/berlin-gdb.yaml")
    rng = random.Random(42)
    t = time.perf_counter()
    seed_users(USERS)
    grow(SMALL, rng)
    seed_small_s = time.perf_counter() - t
    from kompass.participation.models import Idea

    probe = Idea.objects.order_by("id").first().pk  # the same idea is loaded at both sizes
    urls = {"idea list": "/ideas/", "idea list, most supported": "/ideas/?sort=supported",
            "idea page": f"/ideas/{probe}/", "API list": "/api/v1/ideas"}
    small = measure("SMALL", urls)
    t = time.perf_counter()
    grow(FULL, rng)
    seed_full_s = time.perf_counter() - t
    full = measure("FULL", urls)
    supports = supports_throughput()
    log(f"supports: {supports}")
    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "cpu": _cpu(), "note": "shared with other engineers' test runs"},
               "sizes": {"small": SMALL, "full": FULL, "users": USERS},
               "seed_seconds": {"small": round(seed_small_s, 1), "full": round(seed_full_s, 1)},
               "load": {"clients": CLIENTS, "requests_per_url": REQUESTS, "seconds_cap": SECONDS,
                        "gunicorn_workers": WORKERS},
               "small": small, "full": full, "supports": supports}
    (HERE / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    write_results(results)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def write_results(r: dict) -> None:
    lines = ["# Participation benchmark", "",
             f"Run: `bash bench/participation/run.sh` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: "
             f"{r['machine']['cpus']} CPUs ({r['machine']['cpu']}), Python {r['machine']['python']}, PostgreSQL on "
             "loopback. **The machine was shared** with 3–5 other engineers running tests and benchmarks at the "
             "same time, so absolute numbers are noisy; the ratios between sizes are what the goals are about.", "",
             f"Load: gunicorn with {r['load']['gunicorn_workers']} sync workers on 127.0.0.1; a second process "
             f"(bench/participation/load.py) with {r['load']['clients']} concurrent clients, "
             f"{r['load']['requests_per_url']} requests per URL (capped at {r['load']['seconds_cap']:.0f} s), "
             "new connection per request. Latencies in milliseconds, client-side, including queueing.", "",
             f"Data: SMALL = {r['sizes']['small']['ideas']:,} ideas / {r['sizes']['small']['supports']:,} supports / "
             f"{r['sizes']['small']['comments']:,} comments; FULL = {r['sizes']['full']['ideas']:,} / "
             f"{r['sizes']['full']['supports']:,} / {r['sizes']['full']['comments']:,}; {r['sizes']['users']:,} "
             f"accounts. Seeding with COPY took {r['seed_seconds']['small']} s and {r['seed_seconds']['full']} s.", "",
             "| URL | queries small | queries full | p50 small | p95 small | p50 full | p95 full | p95 ratio | "
             "req/s full | errors small/full |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name in r["small"]:
        s, f = r["small"][name], r["full"][name]
        ratio = f["p95_ms"] / s["p95_ms"] if s["p95_ms"] else float("nan")
        lines.append(f"| {name} | {s['queries']} | {f['queries']} | {s['p50_ms']} | {s['p95_ms']} | {f['p50_ms']} | "
                     f"{f['p95_ms']} | {ratio:.2f} | {f['rps']} | {s['errors']}/{f['errors']} |")
    sp = r["supports"]
    lines += ["", "## Supports through the service layer", "",
              f"`services.support_add` (permission check, rate limit, INSERT under the unique constraint, "
              f"`support_count = support_count + 1`, audit event — one transaction each) from {sp['processes']} "
              f"processes x {sp['threads']} threads, each thread with its own PostgreSQL connection (as gunicorn "
              "workers would), against the FULL database. Rate limits are active (each account supports at most 20 "
              "ideas, under the default limit of 60 per 10 minutes).", "",
              f"- spread over 20 ideas: {sp['spread']['supports']:,} supports in {sp['spread']['seconds']} s = "
              f"**{sp['spread']['per_second']:,} supports/s**",
              f"- all on one idea (row-lock hot spot): {sp['hot']['supports']:,} supports in {sp['hot']['seconds']} s "
              f"= **{sp['hot']['per_second']:,} supports/s**; then 1,000 of the same accounts support it again: "
              f"count stays {sp['hot']['count_after_1000_repeats']:,}",
              f"- counts exact afterwards: {sp['exact_counts_for_bench_ideas']}; ideas in the whole database whose "
              f"denormalised count differs from COUNT(*): {sp['ideas_with_count_mismatch_in_whole_db']}", ""]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
