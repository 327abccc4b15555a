"""The external validators and servers the deploy tests need (nginx, PgBouncer, memcached, openssl,
systemd-analyze, hadolint, kubernetes-validate, compose-spec).

`make test` installs all of them (deploy-tools, venv-dev) and sets KOMPASS_STRICT_TOOLS=1: a missing tool then
fails the test with the way to install it, so a run never passes by silently skipping a validator. So does any
run with CI set. A focused run elsewhere (`pytest tests/ops` without the tools) skips with the same message."""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def strict() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("KOMPASS_STRICT_TOOLS"))


def _missing(what: str, install: str):
    message = f"{what} is missing: {install}"
    if strict():
        pytest.fail(message + " (KOMPASS_STRICT_TOOLS/CI is set: a validator may not be skipped)", pytrace=False)
    pytest.skip(message)


def require_tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:" + str(ROOT / ".venv/bin"))
    if not path:
        _missing(name, "`make deploy-tools` installs nginx, pgbouncer, memcached, openssl and systemd; "
                       "`make venv-dev` installs hadolint")
    return path


def require_module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        _missing(f"Python package {name}", "`make venv-dev` installs it")


def free_port(first: int = 18900) -> int:
    for port in range(first, first + 99):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port")


@contextlib.contextmanager
def running_pgbouncer():
    """PgBouncer with deploy/pgbouncer/pgbouncer.ini (bench/cluster/config.py adapts paths and port) in front of
    the test server's `postgres` database as `kompass`; yields (port, the parsed ini)."""
    import configparser

    import psycopg

    binary = require_tool("pgbouncer")
    sys.path.insert(0, str(ROOT))
    from bench.cluster.config import pgbouncer_ini

    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="kompass-pgbouncer-", dir="/tmp"))
    os.chmod(workdir, 0o777)  # PgBouncer refuses root and runs as postgres here
    ini = pgbouncer_ini(ROOT / "deploy/pgbouncer/pgbouncer.ini", workdir, port=port, dbname="postgres")
    parsed = configparser.ConfigParser()
    parsed.read_string(ini.read_text())
    argv = [binary, "-u", "postgres", str(ini)] if os.geteuid() == 0 else [binary, str(ini)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(50):
            try:
                with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/kompass", prepare_threshold=None,
                                     connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                    break
            except psycopg.OperationalError:
                time.sleep(0.1)
        else:
            pytest.fail(proc.stdout.read().decode() if proc.poll() is not None else "pgbouncer did not answer")
        yield port, parsed
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
