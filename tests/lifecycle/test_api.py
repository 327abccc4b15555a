"""Read endpoints are public; write endpoints need a token of a team member; denied writes are 403 and change
nothing."""

import pytest

from kompass.accounts.services import api_token_create
from kompass.core.actors import SYSTEM
from kompass.lifecycle import services
from kompass.lifecycle.models import LessonLearned, Milestone, PhaseTransition

pytestmark = pytest.mark.django_db


def _auth(user):
    _token, secret = api_token_create(actor=user, user=user, name="test")
    return {"Authorization": f"Bearer {secret}"}


def test_read_endpoints(client, berlin, pilot):
    phases = client.get("/api/v1/phases").json()
    assert [p["slug"] for p in phases][:2] == ["vorprozess", "exploration"]
    data = client.get(f"/api/v1/measures/{pilot.slug}/phase").json()
    assert data["phase"] == pilot.lifecycle.phase.slug and data["transitions"][0]["kind"] == "initial"
    assert client.get("/api/v1/measures/nope/phase").status_code == 404
    idea = services.candidate_from_idea(actor=SYSTEM, strategy=berlin, source_kind="participation.idea", source_id=1,
                                        title="Idee", text="t")
    listing = client.get("/api/v1/candidates").json()
    assert listing["count"] == 1 and listing["items"][0]["slug"] == idea.slug
    assert client.get("/api/v1/candidates", {"status": "bogus"}).status_code == 400
    detail = client.get(f"/api/v1/candidates/{idea.slug}").json()
    assert detail["overall"] is None and len(detail["scores"]) == 5
    assert client.get("/api/v1/candidates/nope").status_code == 404
    assert client.get("/api/v1/decisions").json() == []
    assert client.get("/api/v1/lessons").json()["count"] == 0


def test_write_transition_with_a_token(client, ready, people):
    url = f"/api/v1/measures/{ready.slug}/transitions"
    denied = client.post(url, {"to_phase": "exploration"}, content_type="application/json",
                         headers=_auth(people["citizen"]))
    assert denied.status_code == 403 and denied.json()["detail"][0]["msg"]
    assert not PhaseTransition.objects.filter(measure=ready).exists()
    anonymous = client.post(url, {"to_phase": "exploration"}, content_type="application/json")
    assert anonymous.status_code == 401  # no credentials
    assert not PhaseTransition.objects.filter(measure=ready).exists()
    bad = client.post(url, {"to_phase": "atlantis"}, content_type="application/json", headers=_auth(people["member"]))
    assert bad.status_code == 400 and bad.json()["detail"][0]["param"] == "to_phase"
    ok = client.post(url, {"to_phase": "exploration"}, content_type="application/json",
                     headers=_auth(people["member"]))
    assert ok.status_code == 201 and ok.json()["to_phase"] == "exploration"
    gate = client.post(url, {"to_phase": "erprobung"}, content_type="application/json",
                       headers=_auth(people["member"]))
    assert gate.status_code == 400  # has_indicator must be confirmed
    ok2 = client.post(url, {"to_phase": "erprobung", "confirmed": ["has_indicator"]},
                      content_type="application/json", headers=_auth(people["member"]))
    assert ok2.status_code == 201


def test_write_lessons_and_milestones(client, fresh, people):
    body = {"title": "t", "what_worked": "a", "what_did_not": "b", "recommendation": "c", "tags": "x, y"}
    url = f"/api/v1/measures/{fresh.slug}/lessons"
    assert client.post(url, body, content_type="application/json",
                       headers=_auth(people["reviewer"])).status_code == 403
    assert not LessonLearned.objects.exists()
    created = client.post(url, body, content_type="application/json", headers=_auth(people["lead"]))
    assert created.status_code == 201 and created.json()["tags"] == ["x", "y"]
    assert client.get("/api/v1/lessons", {"q": "a"}).json()["count"] == 1
    murl = f"/api/v1/measures/{fresh.slug}/milestones"
    assert client.post(murl, {"title": "M", "due_on": "2020-01-01"}, content_type="application/json",
                       headers=_auth(people["citizen"])).status_code == 403
    made = client.post(murl, {"title": "M", "due_on": "2020-01-01"}, content_type="application/json",
                       headers=_auth(people["member"]))
    assert made.status_code == 201 and made.json()["overdue"] is True
    assert Milestone.objects.count() == 1
    assert client.post(murl, {"title": "M", "due_on": "kein Datum"}, content_type="application/json",
                       headers=_auth(people["member"])).status_code == 400


API_WRITES = {
    # name: (allowed roles, path, body, count)
    "transition": ({"member", "lead", "coordinator", "office", "admin"}, "transitions", {"to_phase": "exploration"},
                   lambda m: PhaseTransition.objects.filter(measure=m).count()),
    "lesson": ({"member", "lead", "coordinator", "office", "admin"}, "lessons",
               {"title": "t", "what_worked": "a", "what_did_not": "b", "recommendation": "c"},
               lambda m: LessonLearned.objects.filter(measure=m).count()),
    "milestone": ({"member", "lead", "coordinator", "office", "admin"}, "milestones",
                  {"title": "M", "due_on": "2030-01-01"}, lambda m: Milestone.objects.filter(measure=m).count()),
}


@pytest.mark.parametrize("action", list(API_WRITES))
def test_api_write_role_matrix(client, ready, people, action):
    from django.db import transaction

    from kompass.audit.models import AuditEvent

    allowed, path, body, count = API_WRITES[action]
    headers = {role: _auth(user) for role, user in people.items()}
    for role in ["visitor", "citizen", "member", "lead", "coordinator", "reviewer", "cdo", "office", "admin"]:
        sid = transaction.savepoint()
        before, events = count(ready), AuditEvent.objects.count()
        response = client.post(f"/api/v1/measures/{ready.slug}/{path}", body, content_type="application/json",
                               headers=headers.get(role, {}))
        changed, new_events = count(ready) - before, AuditEvent.objects.count() - events
        transaction.savepoint_rollback(sid)
        if role in allowed:
            assert response.status_code == 201 and changed == 1 and new_events >= 1, (role, response.status_code)
        else:
            assert response.status_code == (401 if role == "visitor" else 403), (role, response.status_code)
            assert response.json()["detail"][0]["msg"], role  # the documented JSON error body
            assert changed == 0 and new_events == 0, role
