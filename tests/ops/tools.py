"""The external validators and servers the deploy tests need (nginx, PgBouncer, memcached, openssl,
systemd-analyze, hadolint, kubernetes-validate, compose-spec).

`make test` installs all of them (deploy-tools, venv-dev) and sets KOMPASS_STRICT_TOOLS=1: a missing tool then
fails the test with the way to install it, so a run never passes by silently skipping a validator. So does any
run with CI set. A focused run elsewhere (`pytest tests/ops` without the tools) skips with the same message."""

from __future__ import annotations

import importlib
import os
import shutil
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
