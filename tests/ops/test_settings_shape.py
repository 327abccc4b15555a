"""The production settings shape (issue 12): cache URL, database pooling modes, worker count, storage, logging."""

import os
import runpy
from pathlib import Path

import pytest

SETTINGS = Path(__file__).resolve().parents[2] / "config" / "settings.py"


def load(**env) -> dict:
    keys = ["CACHE_URL", "DATABASE_URL", "DB_PGBOUNCER", "DB_POOL", "DB_POOL_MAX_SIZE", "WEB_CONCURRENCY",
            "MEDIA_STORAGE", "LOG_FORMAT", "PAGE_CACHE_SECONDS", "KOMPASS_TESTING"]
    old = {k: os.environ.get(k) for k in keys}
    try:
        for k in keys:
            os.environ.pop(k, None)
        os.environ.update({"KOMPASS_TESTING": "1", **env})
        return runpy.run_path(str(SETTINGS))
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.mark.parametrize(("url", "backend", "location"), [
    ("", "django.core.cache.backends.locmem.LocMemCache", None),
    ("redis://127.0.0.1:6379/2", "kompass.ops.redis_cache.ResilientRedisCache", "redis://127.0.0.1:6379/2"),
    ("db://", "django.core.cache.backends.db.DatabaseCache", "kompass_cache"),
    ("db://my_cache", "django.core.cache.backends.db.DatabaseCache", "my_cache"),
])
def test_cache_url_chooses_the_shared_default_cache(url, backend, location):
    caches = load(CACHE_URL=url)["CACHES"]
    assert caches["default"]["BACKEND"] == backend
    assert caches["default"].get("LOCATION") == location


def test_page_cache_only_on_by_default_with_a_shared_cache():
    assert load(CACHE_URL="", KOMPASS_TESTING="")["KOMPASS_PAGE_CACHE_SECONDS"] == 0
    assert load(CACHE_URL="redis://127.0.0.1:6379/0", KOMPASS_TESTING="")["KOMPASS_PAGE_CACHE_SECONDS"] == 60
    assert load(CACHE_URL="redis://127.0.0.1:6379/0", PAGE_CACHE_SECONDS="5")["KOMPASS_PAGE_CACHE_SECONDS"] == 5


def test_pgbouncer_mode_disables_server_side_cursors_and_prepared_statements():
    db = load(DATABASE_URL="postgres://u@db:6432/kompass", DB_PGBOUNCER="1")["DATABASES"]["default"]
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert db["OPTIONS"]["prepare_threshold"] is None
    assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True
    plain = load(DATABASE_URL="postgres://u@db:5432/kompass")["DATABASES"]["default"]
    assert not plain.get("DISABLE_SERVER_SIDE_CURSORS") and "prepare_threshold" not in plain["OPTIONS"]


def test_psycopg_pool_mode():
    db = load(DATABASE_URL="postgres://u@db:5432/kompass", DB_POOL="1", DB_POOL_MAX_SIZE="8")["DATABASES"]["default"]
    assert db["OPTIONS"]["pool"]["max_size"] == 8
    assert db["CONN_MAX_AGE"] == 0  # Django refuses persistent connections together with its pool


def test_worker_count_storage_and_logging():
    s = load(WEB_CONCURRENCY="5", MEDIA_STORAGE="s3", LOG_FORMAT="json")
    assert s["WEB_CONCURRENCY"] == 5
    assert s["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s["LOGGING"]["handlers"]["console"]["formatter"] == "json"
    local = load()
    assert local["WEB_CONCURRENCY"] == 1
    assert local["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
