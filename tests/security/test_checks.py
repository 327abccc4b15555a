"""`manage.py check --deploy` fails when the cache is per process and several workers are configured, and warns
when KOMPASS_SITE_URL is unset or points to this machine."""

import pytest
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


PRODUCTION = {"SECRET_KEY": "x" * 60 + "production-secret-from-the-environment", "ALLOWED_HOSTS": "kompass.example.org",
              "HTTPS_ONLY": "1", "HSTS_INCLUDE_SUBDOMAINS": "1", "HSTS_PRELOAD": "1", "BEHIND_PROXY": "1",
              "CSRF_TRUSTED_ORIGINS": "https://kompass.example.org", "WEB_CONCURRENCY": "3",
              "CACHE_URL": "redis://127.0.0.1:6379/0", "KOMPASS_SITE_URL": "https://kompass.example.org"}


def test_documented_production_configuration_has_no_deploy_warnings(tmp_path):
    """The configuration README.md documents for production passes `check --deploy` without any issue."""
    import subprocess
    import sys

    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "KOMPASS_VAR_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def _url_ids(deploy=True):
    return {m.id for m in run_checks(include_deployment_checks=deploy, tags=["urls"])}


@pytest.mark.parametrize("url", ["", "http://localhost:8000", "http://127.0.0.1:8000", "https://127.0.0.2",
                                 "http://[::1]:8000", "http://0.0.0.0", "http://app.localhost", "kompass.berlin.de",
                                 "ftp://kompass.berlin.de", "http://[::1"])
def test_site_url_unset_or_local_is_a_deploy_warning(settings, url):
    settings.KOMPASS_SITE_URL = url
    assert "kompass.W001" in _url_ids()


@pytest.mark.parametrize("url", ["https://kompass.berlin.de", "https://beteiligung.example.org/kompass",
                                 "http://10.0.0.5"])
def test_public_site_url_passes(settings, url):
    settings.KOMPASS_SITE_URL = url
    assert "kompass.W001" not in _url_ids()


def test_site_url_check_is_a_deploy_check_only(settings):
    """Development (`manage.py check` without --deploy, `make run`) stays quiet."""
    settings.KOMPASS_SITE_URL = ""
    assert "kompass.W001" not in _url_ids(deploy=False)


def test_check_deploy_names_the_missing_site_url(tmp_path):
    import subprocess
    import sys

    env = {**PRODUCTION, "KOMPASS_SITE_URL": "http://127.0.0.1:8000", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
           "KOMPASS_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode != 0
    assert "kompass.W001" in result.stderr and "points to this machine" in result.stderr
