"""Registration never tells whether an address has an account, is limited per address and IP, and parallel
registrations of one address end in one account (no IntegrityError)."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from kompass.accounts.models import User

FORM = {"display_name": "Spreewelle", "password": "Ein-langes-Passwort-42", "language": "de", "accept": "on"}


@pytest.mark.django_db
def test_existing_address_gets_the_same_answer_and_its_owner_an_email(client, make_user,
                                                                       django_capture_on_commit_callbacks):
    make_user("taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(reverse("accounts:register"), {**FORM, "email": "new@example.org"})
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(reverse("accounts:register"), {**FORM, "email": "Taken@Example.org"})
    assert new.status_code == taken.status_code == 200
    assert new.content.decode().replace("new@example.org", "X") == taken.content.decode().replace(
        "taken@example.org", "X")
    assert [m.to for m in mail.outbox] == [["new@example.org"], ["taken@example.org"]]
    assert "/accounts/password-reset/" in mail.outbox[1].body and "/verify/" not in mail.outbox[1].body
    assert User.objects.filter(email="taken@example.org").count() == 1


@pytest.mark.django_db
def test_registration_is_limited_per_address_and_ip(client, settings):
    settings.KOMPASS_RATE_LIMITS = {"register": (2, 3600)}
    codes = [client.post(reverse("accounts:register"), {**FORM, "email": "same@example.org"}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
    # per IP: 4 x 2 in all, whatever the addresses
    codes = [client.post(reverse("accounts:register"), {**FORM, "email": f"n{i}@example.org"}).status_code
             for i in range(7)]
    assert codes.count(200) == 8 - 2 and codes[-1] == 429


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_registrations_of_one_address(berlin_committed, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    # Without the rate limit (its counter row would serialise the requests), so the inserts really race.
    monkeypatch.setattr("kompass.core.ratelimit.check_rate", lambda *args, **kwargs: None)
    results, barrier = [], threading.Barrier(20)

    def register(i):
        from django.db import connections

        barrier.wait()
        response = Client(REMOTE_ADDR=f"192.0.2.{i}", raise_request_exception=False).post(
            reverse("accounts:register"), {**FORM, "email": "race@example.org"})
        results.append(response.status_code)
        connections.close_all()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 20
    assert User.objects.filter(email="race@example.org").count() == 1


@pytest.mark.django_db
def test_password_reset_same_answer_and_limited(client, make_user, settings):
    settings.KOMPASS_RATE_LIMITS = {"password_reset": (2, 3600)}
    make_user("owner@example.org")
    known = client.post(reverse("accounts:password_reset"), {"email": "owner@example.org"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]
    client.post(reverse("accounts:password_reset"), {"email": "owner@example.org"})
    third = client.post(reverse("accounts:password_reset"), {"email": "owner@example.org"})
    assert third.status_code == 429 and len(mail.outbox) == 2
