"""Login throttling: per account across all addresses, atomic under parallel guesses, answered with 429; the
client address from X-Forwarded-For only behind a trusted proxy."""

import threading

import pytest
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from kompass.core.clientip import client_ip

PASSWORD = "S3cure-pass-word"


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_lockout_per_account_across_addresses(make_user):
    make_user("target@example.org")
    for i in range(3):
        response = Client(REMOTE_ADDR=f"198.51.100.{i}").post(
            reverse("accounts:login"), {"username": "Target@example.org", "password": f"guess-{i}"})
        assert response.status_code == 200 and response.context["form"].errors
    fresh = Client(REMOTE_ADDR="203.0.113.9")
    response = fresh.post(reverse("accounts:login"), {"username": "target@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert not fresh.get("/").context["user"].is_authenticated
    # another account is not affected
    make_user("other@example.org")
    assert fresh.post(reverse("accounts:login"), {"username": "other@example.org",
                                                  "password": PASSWORD}).status_code == 302


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
    assert results.count(200) == 5  # exactly the limit reached the password check
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) <= 5


def test_forwarded_for_is_used_only_behind_a_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.2"
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"
