"""gunicorn's worker recycling is spread out (issue 12): with a 10 % jitter both workers of an app server reached
`max_requests` within a second or two of each other and the server stalled ~10 s while both booted. The jitter is
half of `max_requests` by default, and both values follow the environment; 0 turns recycling off."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _printed(**env_vars) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_MAX_REQUESTS")}
    env.update({"WEB_CONCURRENCY": "2", "GUNICORN_BIND": "127.0.0.1:18998", **env_vars})
    result = subprocess.run([str(ROOT / ".venv/bin/gunicorn"), "--check-config", "--print-config", "-c",
                             str(ROOT / "deploy/gunicorn.conf.py"), "config.wsgi:application"],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return {line.split("=", 1)[0].strip(): line.split("=", 1)[1].strip()
            for line in result.stdout.splitlines() if "=" in line}


@pytest.mark.parametrize(("env_vars", "expected"), [
    ({}, ("5000", "2500")),
    ({"GUNICORN_MAX_REQUESTS": "2000"}, ("2000", "1000")),
    ({"GUNICORN_MAX_REQUESTS": "2000", "GUNICORN_MAX_REQUESTS_JITTER": "300"}, ("2000", "300")),
    ({"GUNICORN_MAX_REQUESTS": "0"}, ("0", "0")),
])
def test_recycling_jitter_is_half_of_max_requests_unless_set(env_vars, expected):
    printed = _printed(**env_vars)
    assert (printed["max_requests"], printed["max_requests_jitter"]) == expected
