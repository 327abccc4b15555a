"""Role matrix: every action for visitor, registered citizen, team member/lead, coordinator, reviewer, CDO,
strategy office and admin. A denied write answers 403 (visitors too, with a login link; ADR 0037) and changes nothing;
an allowed one changes data and records an audit event."""

import pytest
from django.db import transaction
from django.urls import reverse

from kompass.accounts.models import UserGroup
from kompass.audit.models import AuditEvent
from kompass.core.actors import SYSTEM
from kompass.lifecycle import services
from kompass.lifecycle.models import (
    Candidate,
    DescriptionVersion,
    LessonLearned,
    LogbookEntry,
    Mandate,
    MeasureLifecycle,
    PhaseTransition,
    SelectionCriterion,
    TeamMember,
)
from tests.lifecycle.conftest import complete_sections

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "citizen", "member", "lead", "coordinator", "reviewer", "cdo", "office", "admin"]


def _candidate(berlin):
    return services.candidate_from_idea(actor=SYSTEM, strategy=berlin, source_kind="participation.idea", source_id=1,
                                        title="Idee für alle", text="t")


ACTIONS = {
    # name: (allowed roles, url(measure, berlin), data(measure, berlin), count of what changes)
    "move forward": ({"member", "lead", "coordinator", "office", "admin"},
                     lambda m, b: reverse("lifecycle:transition", args=[m.slug]),
                     lambda m, b: {"to_phase": "exploration"},
                     lambda m, b: PhaseTransition.objects.filter(measure=m).count()),
    "add team member": ({"lead", "coordinator", "office", "admin"},
                        lambda m, b: reverse("lifecycle:team_add", args=[m.slug]),
                        lambda m, b: {"email": "citizen@example.org", "role": "support"},
                        lambda m, b: TeamMember.objects.filter(measure=m).count()),
    "record mandate": ({"coordinator", "cdo", "office", "admin"},
                       lambda m, b: reverse("lifecycle:mandate", args=[m.slug]),
                       lambda m, b: {"given_by": "cdo", "given_on": "2025-05-05"},
                       lambda m, b: Mandate.objects.filter(measure=m).count()),
    "write logbook": ({"member", "lead", "coordinator", "office", "admin"},
                      lambda m, b: reverse("lifecycle:logbook", args=[m.slug]),
                      lambda m, b: {"meeting_format": "steuerungsrunde", "held_on": "2025-01-01", "outcomes": "o"},
                      lambda m, b: LogbookEntry.objects.filter(measure=m).count()),
    "edit description": ({"member", "lead", "coordinator", "office", "admin"},
                         lambda m, b: reverse("lifecycle:description_edit", args=[m.slug]),
                         lambda m, b: {**complete_sections("Neu"), "note": "n"},
                         lambda m, b: DescriptionVersion.objects.filter(measure=m).count()),
    "publish lesson": ({"member", "lead", "coordinator", "office", "admin"},
                       lambda m, b: reverse("lifecycle:lesson_add", args=[m.slug]),
                       lambda m, b: {"title": "t", "what_worked": "a", "what_did_not": "b",
                                     "recommendation": "c"},
                       lambda m, b: LessonLearned.objects.filter(measure=m).count()),
    "mark replication": ({"coordinator", "office", "admin"},
                         lambda m, b: reverse("lifecycle:replication", args=[m.slug]),
                         lambda m, b: {"original": b.measures.exclude(pk=m.pk).order_by("slug").first().slug},
                         lambda m, b: MeasureLifecycle.objects.filter(measure=m, replication_of__isnull=False)
                         .count()),
    "submit candidate": ({"member", "lead", "coordinator", "office", "admin"},
                         lambda m, b: reverse("lifecycle:candidate_new"),
                         lambda m, b: {"title": "Vorschlag", "description": "d", "source": "administration"},
                         lambda m, b: Candidate.objects.filter(title="Vorschlag").count()),
    "assess candidate": ({"reviewer", "office", "admin"},
                         lambda m, b: reverse("lifecycle:candidate_assess", args=[_candidate(b).slug]),
                         lambda m, b: {f"score_{SelectionCriterion.objects.filter(strategy=b).first().slug}": "3",
                                       f"why_{SelectionCriterion.objects.filter(strategy=b).first().slug}": "w"},
                         lambda m, b: Candidate.objects.filter(assessments__isnull=False).count()),
    "decide candidate": ({"cdo", "admin"},
                         lambda m, b: reverse("lifecycle:candidate_decide", args=[_candidate(b).slug]),
                         lambda m, b: {"decision": "deferred", "reason": "später"},
                         lambda m, b: Candidate.objects.filter(status="deferred").count()),
}


class _Rollback(Exception):
    pass


@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_matrix(client, berlin, ready, people, action):
    """Each role tries the action inside a savepoint that is rolled back, so every role starts from the same state."""
    allowed, url, data, count = ACTIONS[action]
    UserGroup.objects.get(slug="smart-city-unit").members.add(people["reviewer"])
    outcomes = {}
    for role in ROLES:
        try:
            with transaction.atomic():
                client.logout()
                target_url, payload = url(ready, berlin), data(ready, berlin)
                before, events = count(ready, berlin), AuditEvent.objects.count()
                if role != "visitor":
                    client.force_login(people[role])
                response = client.post(target_url, payload)
                outcomes[role] = (response.status_code, count(ready, berlin) - before,
                                  AuditEvent.objects.count() - events,
                                  response.get("Location", ""),
                                  'href="/accounts/login/?next=' in response.content.decode())
                raise _Rollback
        except _Rollback:
            pass
    for role, (status, changed, events, location, login_link) in outcomes.items():
        if role in allowed:
            assert status == 302 and changed > 0 and events > 0, (role, status, changed, events)
        else:
            assert status == 403, (role, status, location)  # a visitor too (ADR 0037)
            assert changed == 0 and events == 0, role
            assert login_link == (role == "visitor"), role


@pytest.mark.parametrize("role,status", [("visitor", 302), ("citizen", 403), ("reviewer", 403), ("member", 200),
                                         ("lead", 200), ("coordinator", 200), ("cdo", 200), ("office", 200),
                                         ("admin", 200)])
def test_workspace_visibility(client, fresh, people, role, status):
    if role != "visitor":
        client.force_login(people[role])
    assert client.get(reverse("lifecycle:workspace", args=[fresh.slug])).status_code == status


@pytest.mark.parametrize("role,status", [("citizen", 403), ("member", 403), ("coordinator", 403),
                                         ("reviewer", 403), ("cdo", 200), ("office", 200), ("admin", 200)])
def test_overview_visibility(client, people, role, status):
    client.force_login(people[role])
    assert client.get(reverse("lifecycle:overview")).status_code == status


def test_only_the_office_overrides(client, fresh, people):
    for role in ("member", "coordinator"):
        client.force_login(people[role])
        response = client.post(reverse("lifecycle:transition", args=[fresh.slug]),
                               {"to_phase": "exploration", "override": "on", "reason": "eilig"})
        assert response.status_code == 400  # no override field for them: the gate holds
    client.force_login(people["office"])
    response = client.post(reverse("lifecycle:transition", args=[fresh.slug]),
                           {"to_phase": "exploration", "override": "on", "reason": "eilig"})
    assert response.status_code == 302
    assert PhaseTransition.objects.get(measure=fresh).kind == "override"


@pytest.mark.parametrize("path", ["lifecycle:lessons", "lifecycle:candidates", "lifecycle:collaboration"])
def test_public_pages_are_public(client, path):
    assert client.get(reverse(path)).status_code == 200
