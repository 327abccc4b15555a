"""`manage.py check --deploy` fails when the cache is per process and several workers are configured."""

from django.core.checks import run_checks
from django.test import override_settings

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DB = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kompass_cache"}}


def _ids(**kwargs):
    return {m.id for m in run_checks(include_deployment_checks=True, tags=["caches"])}


@override_settings(CACHES=LOCMEM)
def test_locmem_cache_with_three_workers_fails(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert "kompass.E001" in _ids()


@override_settings(CACHES=LOCMEM)
def test_locmem_cache_with_one_worker_passes(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    assert "kompass.E001" not in _ids()


@override_settings(CACHES=DB)
def test_shared_cache_with_three_workers_passes(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert "kompass.E001" not in _ids()


def test_command_exits_non_zero(monkeypatch):
    import subprocess
    import sys

    env = {"WEB_CONCURRENCY": "3", "KOMPASS_TESTING": "1", "DATABASE_URL": "", "CACHE_URL": "",
           "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--tag", "caches"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode != 0 and "kompass.E001" in result.stderr
