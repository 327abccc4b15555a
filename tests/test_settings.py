"""Settings: the secret key comes from the environment, or from a private file generated once."""

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_KEY = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup(); "
             "from django.conf import settings; print(settings.SECRET_KEY)")


def _key(env: dict) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "KOMPASS_TESTING", "DEBUG")}
    result = subprocess.run([sys.executable, "-c", PRINT_KEY], cwd=ROOT, env={**clean, **env},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_secret_key_is_generated_once_privately_and_reused(tmp_path):
    env = {"KOMPASS_VAR_DIR": str(tmp_path)}
    first = _key(env)
    path = tmp_path / "secret_key"
    assert len(first) >= 50 and path.read_text() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _key(env) == first


def test_secret_key_from_the_environment_wins(tmp_path):
    assert _key({"KOMPASS_VAR_DIR": str(tmp_path), "SECRET_KEY": "from-the-environment"}) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()
