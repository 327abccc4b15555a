"""While the database cannot be reached (PgBouncer or PostgreSQL restarting) pages answer 503 with Retry-After,
a German page or a JSON body for the API, never a 500 (issue 12). Checked without a cluster: a Kompass process
whose DATABASE_URL points at a closed port."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from django.db import IntegrityError, InterfaceError, OperationalError

from kompass.ops.unavailable import database_unreachable

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django, json
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
out = {}
for url in json.loads(__import__("sys").argv[1]):
    r = client.get(url)
    out[url] = {"status": r.status_code, "retry": r.get("Retry-After"), "type": r.get("Content-Type"),
                "cache": r.get("Cache-Control"), "body": r.content.decode()}
print(json.dumps(out))
"""


def _closed_port() -> int:
    with socket.socket() as sock:  # a port nobody listens on: bind, take its number, close it
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_pages_and_api_answer_503_with_retry_after_when_the_database_is_unreachable():
    urls = ["/", "/measures/", "/ideas/", "/api/v1/measures", "/api/v1/ideas"]
    env = {**os.environ, "KOMPASS_TESTING": "1", "DJANGO_SETTINGS_MODULE": "config.settings",
           "DATABASE_URL": f"postgres://postgres@127.0.0.1:{_closed_port()}/kompass_ops", "CACHE_URL": ""}
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(urls)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    for url, answer in answers.items():
        assert answer["status"] == 503, (url, answer["status"], answer["body"][:200])
        assert answer["retry"] and int(answer["retry"]) > 0, url
        assert "no-store" in answer["cache"], url  # never cached by the page or edge cache
    for url in ("/", "/measures/", "/ideas/"):
        assert answers[url]["type"].startswith("text/html")
        assert '<html lang="de">' in answers[url]["body"]
        assert "vorübergehend nicht erreichbar" in answers[url]["body"]
    for url in ("/api/v1/measures", "/api/v1/ideas"):
        assert answers[url]["type"] == "application/json"
        assert json.loads(answers[url]["body"])["code"] == "database_unavailable"


def _raised_in(name: str, exc: Exception) -> Exception:
    code = compile(f"def {name}():\n    raise exc\n", "<db>", "exec")
    scope = {"exc": exc}
    exec(code, scope)  # noqa: S102 - a frame with that name in the traceback, as Django's connect has
    try:
        scope[name]()
    except Exception as caught:  # noqa: BLE001
        return caught
    raise AssertionError("not raised")


def test_only_connection_failures_count_as_unreachable():
    assert database_unreachable(_raised_in("ensure_connection", OperationalError("connection refused")))
    assert database_unreachable(InterfaceError("connection already closed"))
    # a failing query on a working connection is a real error: it stays a 500
    assert not database_unreachable(_raised_in("execute", OperationalError("deadlock detected")))
    assert not database_unreachable(IntegrityError("duplicate key"))
    assert not database_unreachable(ValueError("x"))
    assert not database_unreachable(None)
