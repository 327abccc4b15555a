"""Login throttling: per account across all addresses, atomic under parallel guesses, answered with 429; the
client address from X-Forwarded-For only behind a trusted proxy."""

import os
import threading
import time

import pytest
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from kompass.core.clientip import client_ip

PASSWORD = "S3cure-pass-word"


def _login(email, password, addr="198.51.100.1"):
    return Client(REMOTE_ADDR=addr).post(reverse("accounts:login"), {"username": email, "password": password})


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_lockout_per_account_across_addresses(make_user):
    from axes.models import AccessAttempt

    make_user("target@example.org")
    for i in range(2):
        response = _login("Target@example.org", f"guess-{i}", f"198.51.100.{i}")
        assert response.status_code == 200 and response.context["form"].errors
    response = _login("target@example.org", "guess-3", "198.51.100.3")  # the last allowed failure locks
    assert response.status_code == 429
    assert "für 1 Minute gesperrt. Bitte warten Sie 1 Minute" in response.content.decode()
    assert response["Retry-After"] == "60"
    assert sum(AccessAttempt.objects.filter(username="target@example.org").values_list(
        "failures_since_start", flat=True)) == 3  # django-axes recorded each failure under the account
    fresh = Client(REMOTE_ADDR="203.0.113.9")
    response = fresh.post(reverse("accounts:login"), {"username": "target@example.org", "password": PASSWORD})
    assert response.status_code == 429  # even the right password, from another address
    assert not fresh.get("/").context["user"].is_authenticated
    # another account is not affected
    make_user("other@example.org")
    assert fresh.post(reverse("accounts:login"), {"username": "other@example.org",
                                                  "password": PASSWORD}).status_code == 302


def _lock(email, limit):
    for i in range(limit - 1):
        assert _login(email, f"wrong-{i}").status_code == 200
    return _login(email, "wrong-last")


@pytest.fixture(params=["database", "redis"])
def counter_store(request, settings):
    """The gate's counters in the database table (local-memory cache) or in Redis (db 1, own prefix)."""
    if request.param == "redis":
        import redis

        try:
            redis.Redis.from_url("redis://127.0.0.1:6379/1", socket_connect_timeout=1).ping()
        except redis.RedisError:
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": "redis://127.0.0.1:6379/1",
                                       "KEY_PREFIX": f"kompass-test-login-{os.getpid()}"}}
    yield request.param
    if request.param == "redis":
        from django.core.cache import cache

        cache.clear()


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=2, LOGIN_LOCKOUT_BASE_SECONDS=1, LOGIN_LOCKOUT_MAX_SECONDS=4)
def test_each_lockout_lasts_twice_as_long_up_to_the_cap(make_user, counter_store):
    make_user("slow@example.org")
    waits = []
    for _ in range(4):
        response = _lock("slow@example.org", 2)
        assert response.status_code == 429
        waits.append(int(response["Retry-After"]))
        locked = _login("slow@example.org", PASSWORD)  # during the lock even the right password is refused
        assert locked.status_code == 429 and 0 < int(locked["Retry-After"]) <= waits[-1]
        time.sleep(waits[-1] + 0.05)
    assert waits == [1, 2, 4, 4]  # doubled each time, at most LOGIN_LOCKOUT_MAX_SECONDS


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=2, LOGIN_LOCKOUT_BASE_SECONDS=1, LOGIN_LOCKOUT_MAX_SECONDS=60)
def test_a_successful_login_after_the_cool_off_resets_the_backoff(make_user, counter_store):
    make_user("back@example.org")
    assert _lock("back@example.org", 2)["Retry-After"] == "1"
    time.sleep(1.05)
    assert _lock("back@example.org", 2)["Retry-After"] == "2"
    time.sleep(2.05)
    assert _login("back@example.org", PASSWORD).status_code == 302
    assert _lock("back@example.org", 2)["Retry-After"] == "1"  # from the start again


def test_lockout_lengths_follow_the_settings(settings):
    from kompass.accounts.throttle import backoff_seconds

    settings.LOGIN_LOCKOUT_BASE_SECONDS, settings.LOGIN_LOCKOUT_MAX_SECONDS = 60, 3600
    assert [backoff_seconds(n) for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert backoff_seconds(10 ** 6) == 3600  # no overflow, however long the attack


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_success_gives_the_attempts_back(client, make_user):
    make_user("me@example.org")
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "me@example.org", "password": "typo"})
    assert client.post(reverse("accounts:login"), {"username": "me@example.org",
                                                   "password": PASSWORD}).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "me@example.org", "password": "typo"})
    assert client.post(reverse("accounts:login"), {"username": "me@example.org",
                                                   "password": PASSWORD}).status_code == 302


@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_FAILURE_LIMIT=5)
def test_forty_parallel_guesses_let_at_most_the_limit_through(berlin_committed, make_user):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    from axes.models import AccessAttempt

    make_user("victim@example.org")
    results, barrier = [], threading.Barrier(40)

    def guess(i):
        from django.db import connections

        barrier.wait()
        response = Client(REMOTE_ADDR=f"192.0.2.{i + 1}", raise_request_exception=False).post(
            reverse("accounts:login"), {"username": "victim@example.org", "password": f"wrong-{i}"})
        results.append(response.status_code)
        connections.close_all()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 40 and set(results) <= {200, 429}
    # exactly the limit reached the password check (django-axes records every checked failure) ...
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 5
    # ... and every other guess, plus the last checked one that started the lock-out, was answered 429
    assert results.count(429) >= 36 and results.count(200) == 40 - results.count(429)


def test_forwarded_for_is_used_only_behind_a_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.2"
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"
