from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kompass.accounts.services import api_token_create
from kompass.participation import services
from kompass.participation.models import Comment, Idea, Vote

pytestmark = pytest.mark.django_db


def _auth(user):
    _token, secret = api_token_create(actor=user, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_read_endpoints(client, idea, citizen, moderator):
    top = services.comment_create(actor=citizen, idea=idea, text="Oben")
    services.comment_create(actor=citizen, idea=idea, parent=top, text="Antwort")
    hidden = services.comment_create(actor=citizen, idea=idea, text="Böse")
    services.moderation_hide(actor=moderator, target=hidden, reason="Beleidigung")
    data = client.get("/api/v1/ideas").json()
    assert data["items"][0]["title"] == idea.title and data["items"][0]["author"] == "Kiezfuchs"
    assert "email" not in str(data)
    assert client.get(f"/api/v1/ideas/{idea.pk}").json()["comment_count"] == 3
    comments = client.get(f"/api/v1/ideas/{idea.pk}/comments").json()["items"]
    assert [(c["text"], c["state"]) for c in comments] == [("Oben", "published"), ("Antwort", "published"),
                                                            ("", "hidden")]
    assert comments[2]["hidden_reason"] == "Beleidigung"
    assert client.get("/api/v1/ideas", {"sort": "bogus"}).status_code == 400
    assert client.get("/api/v1/ideas/999999").status_code == 404


def test_consultation_and_opinion_map_endpoints(client, berlin, office, django_capture_on_commit_callbacks):
    now = timezone.now()
    c = services.consultation_create(actor=office, strategy=berlin, slug="m", title="M", kind="statements",
                                     opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
                                     statements=["A", "B"])
    assert client.get("/api/v1/consultations").json()[0]["slug"] == "m"
    assert [s["text"] for s in client.get("/api/v1/consultations/m").json()["statements"]] == ["A", "B"]
    assert client.get("/api/v1/consultations/m/opinion-map").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_map_start(actor=office, consultation=c)
    assert client.get("/api/v1/consultations/m/opinion-map").json()["k"] == 0


def test_write_endpoints_with_token(berlin, citizen, make_user):
    api = Client()
    headers = _auth(citizen)
    af = berlin.action_fields.first()
    response = api.post("/api/v1/ideas", {"title": "Per API", "text": "Text", "action_fields": [af.slug]},
                        content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    idea_id = response.json()["id"]
    assert api.post("/api/v1/ideas", {"title": "x", "text": "y", "districts": ["atlantis"]},
                    content_type="application/json", **headers).status_code == 400
    assert api.post("/api/v1/ideas", {"title": "x", "text": "y", "latitude": 0.0, "longitude": 0.0},
                    content_type="application/json", **headers).status_code == 400
    other = _auth(make_user("o@example.org"))
    assert api.post(f"/api/v1/ideas/{idea_id}/support", **other).json() == {
        "supported": True, "changed": True, "support_count": 1}
    assert api.post(f"/api/v1/ideas/{idea_id}/support", **other).json()["changed"] is False
    assert api.delete(f"/api/v1/ideas/{idea_id}/support", **other).json()["support_count"] == 0
    response = api.post(f"/api/v1/ideas/{idea_id}/comments", {"text": "API-Kommentar"},
                        content_type="application/json", **other)
    assert response.status_code == 201 and Comment.objects.filter(text="API-Kommentar").exists()
    assert api.post(f"/api/v1/ideas/{idea_id}/comments", {"text": " "}, content_type="application/json",
                    **other).status_code == 400


def test_write_permissions_and_limits(berlin, idea, blocked, office, settings, make_user):
    api = Client()
    assert api.post(f"/api/v1/ideas/{idea.pk}/support").status_code == 401
    from kompass.audit.models import AuditEvent

    blocked_auth = _auth(blocked)
    events = AuditEvent.objects.count()
    for path, body in ((f"ideas/{idea.pk}/support", {}), (f"ideas/{idea.pk}/comments", {"text": "x"}),
                       ("ideas", {"title": "T", "text": "x", "kind": "idea"})):
        denied = api.post(f"/api/v1/{path}", body, content_type="application/json", **blocked_auth)
        assert denied.status_code == 403 and denied.json()["detail"][0]["msg"], path  # a blocked account
    assert Idea.objects.get(pk=idea.pk).support_count == 0
    assert list(AuditEvent.objects.order_by("pk")[events:].values_list("action", flat=True)) == []
    settings.KOMPASS_PARTICIPATION_RATE_LIMITS = {"comment": (1, 600)}
    user = _auth(make_user("q@example.org"))
    assert api.post(f"/api/v1/ideas/{idea.pk}/comments", {"text": "1"}, content_type="application/json",
                    **user).status_code == 201
    response = api.post(f"/api/v1/ideas/{idea.pk}/comments", {"text": "2"}, content_type="application/json",
                        **user)
    assert response.status_code == 429 and response.json()["detail"][0]["msg"]


def test_session_write_needs_csrf(idea, make_user):
    api = Client(enforce_csrf_checks=True)
    api.force_login(make_user("s@example.org"))
    assert api.post(f"/api/v1/ideas/{idea.pk}/support").status_code == 403
    assert idea.supports.count() == 0


@pytest.mark.parametrize("headers", [{}, {"HTTP_AUTHORIZATION": "Bearer kp_not-a-token"}], ids=["missing", "bad"])
def test_write_without_credentials_is_401_json_even_with_csrf_enforced(idea, headers):
    """Like a real browser-less client: CSRF enforced, no session. The answer is the uniform 401, not a CSRF 403."""
    api = Client(enforce_csrf_checks=True)
    response = api.post(f"/api/v1/ideas/{idea.pk}/support", **headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json") and response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"][0]["msg"]
    assert idea.supports.count() == 0


def test_vote_endpoint(berlin, office, citizen):
    now = timezone.now()
    c = services.consultation_create(actor=office, strategy=berlin, slug="v", title="V", kind="statements",
                                     opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
                                     statements=["A"])
    s = c.statements.get()
    api = Client()
    headers = _auth(citizen)
    assert api.post(f"/api/v1/statements/{s.pk}/vote", {"vote": "agree"}, content_type="application/json",
                    **headers).status_code == 200
    assert api.post(f"/api/v1/statements/{s.pk}/vote", {"vote": "maybe"}, content_type="application/json",
                    **headers).status_code == 400
    assert Vote.objects.get(statement=s, user=citizen).value == 1


def test_api_list_query_count_is_constant(client, berlin, citizen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.idea_create(actor=citizen, strategy=berlin, title="a", text="b",
                         action_fields=list(berlin.action_fields.all()[:2]))
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/ideas")
    for i in range(30):
        services.idea_create(actor=citizen, strategy=berlin, title=f"a{i}", text="b",
                             action_fields=list(berlin.action_fields.all()[:2]),
                             districts=list(berlin.districts.all()[:2]))
    with CaptureQueriesContext(connection) as big:
        client.get("/api/v1/ideas")
    assert len(small) == len(big)
