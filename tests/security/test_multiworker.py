"""A limit holds across a real multi-process gunicorn (3 workers, each with its own local-memory cache): with a
limit of 20, exactly 20 of 70 parallel login attempts for one account reach the password check; the 20th failure
starts the lock-out, so at least 51 are answered 429."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("KOMPASS_MULTIWORKER_PORT", "19511"))  # parallel sessions pick their own


def _wait(port, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_limit_of_twenty_holds_across_three_gunicorn_workers(berlin_committed, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("several processes writing one SQLite file is not a supported deployment")
    import requests

    make_user("victim@example.org")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "KOMPASS_TESTING": "1", "LOGIN_FAILURE_LIMIT": "20",
           "WEB_CONCURRENCY": "3", "CACHE_URL": "", "DEBUG": ""}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "3", "-b",
                               f"127.0.0.1:{PORT}", "--log-level", "warning"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait(PORT)
        base = f"http://127.0.0.1:{PORT}"
        sessions = []
        for _ in range(70):
            s = requests.Session()
            s.get(f"{base}/accounts/login/", timeout=30)
            sessions.append(s)
        results, barrier = [], threading.Barrier(70)

        def guess(i, s):
            barrier.wait()
            r = s.post(f"{base}/accounts/login/", timeout=60, allow_redirects=False,
                       data={"username": "victim@example.org", "password": f"wrong-{i}",
                             "csrfmiddlewaretoken": s.cookies["csrftoken"]},
                       headers={"Referer": f"{base}/accounts/login/"})
            results.append(r.status_code)

        threads = [threading.Thread(target=guess, args=(i, s)) for i, s in enumerate(sessions)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 70 and set(results) <= {200, 429}, results
        # exactly the limit reached the password check (axes records each checked failure); the rest got 429
        from axes.models import AccessAttempt

        assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 20, sorted(results)
        assert results.count(429) >= 51, sorted(results)
    finally:
        server.terminate()
        server.wait(timeout=30)
