"""Idempotent writes (ADR 0045): a form sent twice (double click, reload after a timeout, back and resend) or an
API request retried after a lost answer publishes once and answers the same; the same key with different content
is refused; keys are per account and expire. The concurrent cases on PostgreSQL are in test_idempotency_race.py."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kompass.accounts.services import account_delete, api_token_create
from kompass.audit.models import AuditEvent
from kompass.core.actors import system_actor
from kompass.participation import services
from kompass.participation.models import Comment, Idea, IdempotencyKey, Support

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


def _keys(response) -> list[str]:
    return KEY.findall(response.content.decode())


def _messages(response) -> list[str]:
    """The messages a redirect carries (read from the session without consuming them: call once per answer)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def _shown(response) -> tuple[str, list[str]]:
    """Where a followed redirect ended and the messages that page showed."""
    return response.redirect_chain[-1][0], [str(m) for m in response.context["messages"]]


def _idea_post(client, key, follow=False, **extra):
    data = {"kind": "idea", "title": "Trinkbrunnen am Markt", "text": "Im Sommer fehlt Wasser.",
            "idempotency_key": key, **extra}
    return client.post(reverse("participation:idea_create"), data, follow=follow)


# --- the idea form -------------------------------------------------------------------------------------------


def test_the_idea_form_carries_a_fresh_key_each_time_it_is_rendered(client, citizen):
    client.force_login(citizen)
    first = _keys(client.get(reverse("participation:idea_create")))
    second = _keys(client.get(reverse("participation:idea_create")))
    assert len(first) == len(second) == 1 and first != second


def test_idea_form_sent_twice_publishes_one_idea_with_the_same_answer(client, berlin, citizen):
    client.force_login(citizen)
    key = _keys(client.get(reverse("participation:idea_create")))[0]
    first = _idea_post(client, key, follow=True)
    second = _idea_post(client, key, follow=True)  # the reload after a timeout: the browser sends the same body
    idea = Idea.objects.get(title="Trinkbrunnen am Markt")
    assert Idea.objects.filter(author=citizen).count() == 1
    assert first.status_code == second.status_code == 200
    assert _shown(first) == _shown(second) == (reverse("participation:idea", args=[idea.pk]),
                                               ["Vielen Dank! Ihre Idee wurde veröffentlicht."])
    assert AuditEvent.objects.filter(action="idea.created", object_id=str(idea.pk)).count() == 1
    assert idea.status_changes.count() == 1 and idea.follows.count() == 1


def test_same_key_with_other_content_is_refused_and_the_form_gets_a_new_key(client, berlin, citizen):
    client.force_login(citizen)
    key = _keys(client.get(reverse("participation:idea_create")))[0]
    assert _idea_post(client, key).status_code == 302
    changed = _idea_post(client, key, title="Trinkbrunnen am Rathaus")  # back, edit the title, send again
    assert changed.status_code == 400
    assert "wurde schon mit anderem Inhalt gesendet" in changed.content.decode()
    assert not Idea.objects.filter(title="Trinkbrunnen am Rathaus").exists()
    fresh = _keys(changed)
    assert len(fresh) == 1 and fresh[0] != key
    again = _idea_post(client, fresh[0], title="Trinkbrunnen am Rathaus")  # sending it once more: a new idea
    assert again.status_code == 302 and Idea.objects.filter(author=citizen).count() == 2


def test_a_form_without_key_still_works_as_before(client, berlin, citizen):
    client.force_login(citizen)
    assert _idea_post(client, "").status_code == 302
    assert _idea_post(client, "").status_code == 302
    assert Idea.objects.filter(author=citizen).count() == 2
    assert not IdempotencyKey.objects.exists()


def test_a_malformed_key_is_a_form_message_not_a_500(client, berlin, citizen):
    client.force_login(citizen)
    for bad in ("kurz", "x" * 65, "<script>alert(1)</script>", "schlüssel-mit-umlaut"):
        response = _idea_post(client, bad)
        assert response.status_code == 400, bad
        assert "Sicherheitsmerkmal des Formulars ist ungültig" in response.content.decode()
        assert _keys(response)[0] != bad and len(_keys(response)[0]) == 36
    assert not Idea.objects.filter(author=citizen).exists()


def test_keys_belong_to_one_account(client, berlin, citizen, make_user):
    client.force_login(citizen)
    _idea_post(client, "shared-key-1234")
    other = Client()
    other.force_login(make_user("nachbarin@example.org"))
    assert _idea_post(other, "shared-key-1234").status_code == 302
    assert Idea.objects.filter(title="Trinkbrunnen am Markt").count() == 2
    assert IdempotencyKey.objects.filter(key="shared-key-1234").count() == 2


def test_a_repeated_form_does_not_count_against_the_rate_limit(client, berlin, citizen, settings):
    settings.KOMPASS_PARTICIPATION_RATE_LIMITS = {"idea": (1, 3600)}
    client.force_login(citizen)
    assert _idea_post(client, "one-idea-key-1").status_code == 302
    assert _idea_post(client, "one-idea-key-1").status_code == 302  # the retry is answered, not limited
    assert _idea_post(client, "another-key-22").status_code == 429  # a second idea is limited as before
    assert Idea.objects.filter(author=citizen).count() == 1


def test_failed_write_leaves_the_key_free(client, berlin, citizen):
    """A refused idea (a point outside the city) writes nothing, not even its key: correcting and resending works."""
    client.force_login(citizen)
    refused = _idea_post(client, "retry-after-fix", latitude="48.1", longitude="11.6")
    assert refused.status_code == 400 and not IdempotencyKey.objects.exists()
    assert _idea_post(client, "retry-after-fix").status_code == 302
    assert Idea.objects.filter(author=citizen).count() == 1


# --- comments and replies ------------------------------------------------------------------------------------


def test_comment_and_reply_forms_sent_twice_publish_once(client, idea, make_user):
    neighbour = make_user("nachbar@example.org")
    client.force_login(neighbour)
    page = client.get(reverse("participation:idea", args=[idea.pk]))
    [comment_key] = _keys(page)  # no comment yet: only the form for a new comment
    url = reverse("participation:idea_comment", args=[idea.pk])
    data = {"text": "Gute Idee!", "idempotency_key": comment_key,
            "next": reverse("participation:idea", args=[idea.pk])}
    first, second = client.post(url, data, follow=True), client.post(url, data, follow=True)
    assert _shown(first) == _shown(second) == (reverse("participation:idea", args=[idea.pk]),
                                               ["Ihr Kommentar wurde veröffentlicht."])
    top = Comment.objects.get(idea=idea)
    keys = _keys(client.get(reverse("participation:idea", args=[idea.pk])))
    assert len(keys) == 2 and len(set(keys)) == 2  # one per form: the reply under the comment, a new comment
    reply = {"text": "Finde ich auch.", "parent": top.pk, "idempotency_key": keys[0]}
    client.post(url, reply)
    client.post(url, reply)
    assert Comment.objects.filter(idea=idea).count() == 2 and Comment.objects.filter(parent=top).count() == 1
    idea.refresh_from_db()
    assert idea.comment_count == 2
    assert AuditEvent.objects.filter(action="comment.created").count() == 2


def test_comment_with_other_text_under_a_used_key_is_refused(client, idea, make_user):
    client.force_login(make_user("nachbar@example.org"))
    url = reverse("participation:idea_comment", args=[idea.pk])
    client.post(url, {"text": "Erste Fassung", "idempotency_key": "comment-key-1"})
    response = client.post(url, {"text": "Zweite Fassung", "idempotency_key": "comment-key-1"})
    assert response.status_code == 302
    assert any("schon mit einem anderen Text gesendet" in m for m in _messages(response))
    assert list(Comment.objects.filter(idea=idea).values_list("text", flat=True)) == ["Erste Fassung"]


def test_paragraph_comment_form_sent_twice_publishes_once(client, open_consultation, make_user):
    consultation = open_consultation("entwurf", chapters=[{"title": "Ziele", "paragraphs": ["Erster Absatz."]}])
    paragraph = consultation.chapters.get().paragraphs.get()
    client.force_login(make_user("leserin@example.org"))
    [key] = _keys(client.get(reverse("participation:consultation", args=["entwurf"])))
    url = reverse("participation:consultation_comment", args=["entwurf"])
    data = {"paragraph": paragraph.pk, "text": "Bitte genauer.", "idempotency_key": key}
    assert client.post(url, data).status_code == client.post(url, data).status_code == 302
    assert Comment.objects.filter(paragraph=paragraph).count() == 1


def test_htmx_requests_are_idempotent_too(client, idea, make_user):
    """A form sent by htmx (HX-Request) takes the same path: the same redirect, one comment."""
    client.force_login(make_user("nachbar@example.org"))
    url = reverse("participation:idea_comment", args=[idea.pk])
    data = {"text": "Per htmx", "idempotency_key": "htmx-key-0001"}
    first = client.post(url, data, HTTP_HX_REQUEST="true")
    second = client.post(url, data, HTTP_HX_REQUEST="true")
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Comment.objects.filter(idea=idea, text="Per htmx").count() == 1


# --- supports ------------------------------------------------------------------------------------------------


def test_support_form_sent_twice_gives_one_support_and_the_same_message(client, idea, make_user):
    client.force_login(make_user("fan@example.org"))
    url = reverse("participation:idea_support", args=[idea.pk])
    back = {"next": reverse("participation:idea", args=[idea.pk])}
    first, second = client.post(url, back, follow=True), client.post(url, back, follow=True)
    assert _shown(first) == _shown(second) == (reverse("participation:idea", args=[idea.pk]),
                                               ["Vielen Dank für Ihre Unterstützung."])
    idea.refresh_from_db()
    assert idea.support_count == 1 == Support.objects.filter(idea=idea).count()


# --- the API -------------------------------------------------------------------------------------------------


def _auth(user):
    _token, secret = api_token_create(actor=user, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_api_idea_retry_with_the_same_key_gets_the_same_answer(berlin, citizen):
    api, auth = Client(), _auth(citizen)
    body = {"title": "Per API", "text": "Text"}
    first = api.post("/api/v1/ideas", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="api-idea-01",
                     **auth)
    second = api.post("/api/v1/ideas", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="api-idea-01",
                      **auth)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert "Idempotent-Replayed" not in first and second["Idempotent-Replayed"] == "true"
    assert Idea.objects.filter(title="Per API").count() == 1
    conflict = api.post("/api/v1/ideas", {**body, "text": "Anderer Text"}, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="api-idea-01", **auth)
    assert conflict.status_code == 422
    assert conflict.json()["detail"][0]["param"] == "Idempotency-Key"
    assert conflict.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    bad = api.post("/api/v1/ideas", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="ä" * 10, **auth)
    assert bad.status_code == 400 and bad.json()["detail"][0]["param"] == "Idempotency-Key"
    assert "8 bis 64 Zeichen" in bad.json()["detail"][0]["msg"]
    assert Idea.objects.filter(title="Per API").count() == 1
    without = api.post("/api/v1/ideas", body, content_type="application/json", **auth)
    assert without.status_code == 201 and Idea.objects.filter(title="Per API").count() == 2


def test_api_comment_and_support_retries(idea, make_user):
    api, auth = Client(), _auth(make_user("api@example.org"))
    url = f"/api/v1/ideas/{idea.pk}/comments"
    answers = [api.post(url, {"text": "Per API"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="api-c-001",
                        **auth) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201] and answers[0].json() == answers[1].json()
    assert Comment.objects.filter(idea=idea).count() == 1
    other = api.post(url, {"text": "Anders"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="api-c-001",
                     **auth)
    assert other.status_code == 422 and other.json()["detail"][0]["param"] == "Idempotency-Key"
    support = f"/api/v1/ideas/{idea.pk}/support"
    answers = [api.post(support, HTTP_IDEMPOTENCY_KEY="api-s-001", **auth).json() for _ in range(2)]
    assert answers == [{"supported": True, "changed": True, "support_count": 1}] * 2  # the same answer
    assert api.post(support, **auth).json()["changed"] is False  # without a key: "already supported"
    assert api.post(support, HTTP_IDEMPOTENCY_KEY="short", **auth).status_code == 400
    idea.refresh_from_db()
    assert idea.support_count == 1 == Support.objects.filter(idea=idea).count()


# --- expiry and personal data --------------------------------------------------------------------------------


def _aged_key(user, hours, key):
    record = IdempotencyKey.objects.create(user=user, key=key, action="idea.create", fingerprint="f")
    IdempotencyKey.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def test_old_keys_are_purged_by_the_daily_job_and_the_command(citizen, settings):
    _aged_key(citizen, 30, "old-key-0001")
    _aged_key(citizen, 2, "new-key-0001")
    call_command("participation_digest", "daily")
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new-key-0001"]
    assert AuditEvent.objects.filter(action="idempotency_keys.purged").count() == 1
    settings.KOMPASS_IDEMPOTENCY_HOURS = 1
    call_command("purge_idempotency_keys")
    assert not IdempotencyKey.objects.exists()


def test_purging_needs_an_admin_or_the_system(citizen):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.idempotency_keys_purge(actor=citizen)
    assert services.idempotency_keys_purge(actor=system_actor("test")) == 0


def test_keys_go_with_the_account(client, berlin, citizen):
    client.force_login(citizen)
    _idea_post(client, "my-key-000001")
    from kompass.participation.selectors import personal_data

    [record] = personal_data(citizen)["idempotency_keys"]  # "download my data" shows it
    assert record["key"] == "my-key-000001" and record["action"] == "idea.create"
    assert record["object"] == Idea.objects.get(author=citizen).pk
    account_delete(actor=citizen, user=citizen)
    assert not IdempotencyKey.objects.exists()
