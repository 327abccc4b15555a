"""The same form or API request sent several times at once (a double click, a client retrying while the first
request still runs) gives one row and the same answer to every request, never a 500 (ADR 0045). Needs real
concurrent connections, so it runs on PostgreSQL only, like test_concurrency.py."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from kompass.accounts.models import User
from kompass.accounts.services import api_token_create
from kompass.participation import services
from kompass.participation.models import Comment, Idea, IdempotencyKey, Support

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite has no concurrent writers on separate connections"),
]

PARALLEL = 8


def _at_once(send, n=PARALLEL):
    """Run `send(i)` in n threads released together; their answers in order, or the exceptions raised."""
    barrier = threading.Barrier(n)
    answers, errors = [None] * n, []

    def run(i):
        try:
            barrier.wait(timeout=30)
            answers[i] = send(i)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return answers


def _clients(user, n=PARALLEL):
    clients = [Client() for _ in range(n)]
    for c in clients:
        c.force_login(user)
    return clients


@pytest.fixture
def people(berlin_committed):
    author = User.objects.create_user(email="autorin@example.org", password="x")
    fan = User.objects.create_user(email="fan@example.org", password="x")
    return berlin_committed, author, fan


def test_idea_form_sent_at_once_gives_one_idea(people):
    berlin, author, _fan = people
    clients = _clients(author)
    data = {"kind": "idea", "title": "Gleichzeitig", "text": "Doppelklick", "idempotency_key": "race-idea-0001"}
    answers = _at_once(lambda i: clients[i].post(reverse("participation:idea_create"), data))
    idea = Idea.objects.get(title="Gleichzeitig")
    assert [a.status_code for a in answers] == [302] * PARALLEL
    assert {a["Location"] for a in answers} == {reverse("participation:idea", args=[idea.pk])}
    assert Idea.objects.filter(author=author).count() == 1 and idea.follows.count() == 1
    assert IdempotencyKey.objects.get(user=author).object_id == idea.pk


def test_comment_form_sent_at_once_gives_one_comment(people):
    berlin, author, fan = people
    idea = services.idea_create(actor=author, strategy=berlin, title="Parallel", text="t")
    clients = _clients(fan)
    url = reverse("participation:idea_comment", args=[idea.pk])
    data = {"text": "Nur einmal", "idempotency_key": "race-comment-01", "next": f"/ideas/{idea.pk}/"}
    answers = _at_once(lambda i: clients[i].post(url, data))
    assert [a.status_code for a in answers] == [302] * PARALLEL
    assert Comment.objects.filter(idea=idea).count() == 1
    idea.refresh_from_db()
    assert idea.comment_count == 1


def test_support_form_sent_at_once_gives_one_support(people):
    """No key needed: the unique constraint (idea, user) decides and the counter moves once."""
    berlin, author, fan = people
    idea = services.idea_create(actor=author, strategy=berlin, title="Beliebt", text="t")
    clients = _clients(fan)
    url = reverse("participation:idea_support", args=[idea.pk])
    answers = _at_once(lambda i: clients[i].post(url, {"next": f"/ideas/{idea.pk}/"}))
    assert [a.status_code for a in answers] == [302] * PARALLEL
    idea.refresh_from_db()
    assert idea.support_count == 1 == Support.objects.filter(idea=idea).count()


def test_api_retries_at_once_get_one_idea_and_the_same_answer(people):
    berlin, author, _fan = people
    _token, secret = api_token_create(actor=author, user=author, name="race")
    clients = [Client() for _ in range(PARALLEL)]
    answers = _at_once(lambda i: clients[i].post(
        "/api/v1/ideas", {"title": "API gleichzeitig", "text": "t"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_IDEMPOTENCY_KEY="race-api-00001"))
    assert [a.status_code for a in answers] == [201] * PARALLEL
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.get("Idempotent-Replayed") == "true" for a in answers) == PARALLEL - 1
    assert Idea.objects.filter(title="API gleichzeitig").count() == 1
