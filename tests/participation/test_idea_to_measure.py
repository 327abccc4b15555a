"""End to end, through the real pages and services (no monkeypatching): a citizen's idea is qualified by a
reviewer, becomes a candidate in lifecycle's selection, the CDO decides, and the idea's public path shows it."""

import pytest
from django.urls import reverse

from kompass.accounts.models import User
from kompass.audit.models import AuditEvent
from kompass.lifecycle.models import Candidate
from kompass.participation.models import Idea

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_minimum(berlin):
    """These tests are about other rules; the minimum of assessments has its own tests (test_selection_gate)."""
    from kompass.lifecycle.models import ProcessSettings

    ProcessSettings.objects.filter(strategy=berlin).update(min_assessments=0)


@pytest.fixture
def reviewer(flagged):
    return flagged("reviewer@example.org", is_reviewer=True)


@pytest.fixture
def cdo(flagged):
    return flagged("cdo@example.org", is_cdo=True)


def _submit_and_qualify(client, citizen, reviewer, title):
    client.force_login(citizen)
    response = client.post(reverse("participation:idea_create"), {"kind": "idea", "title": title,
                                                                   "text": "Bänke mit Steckdosen im Kiez."})
    assert response.status_code == 302
    idea = Idea.objects.get(title=title)
    client.force_login(reviewer)
    response = client.post(reverse("participation:idea_status", args=[idea.pk]), {"status": "qualifying"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == "qualifying"
    return idea, Candidate.objects.get(source_kind="participation.idea", source_id=idea.pk)


def test_rejection_by_the_cdo_appears_on_the_idea_path(client, berlin, citizen, reviewer, cdo):
    idea, candidate = _submit_and_qualify(client, citizen, reviewer, "Solarbank am Tempelhofer Feld")
    assert (candidate.source, candidate.status, candidate.title) == ("citizen_idea", "submitted", idea.title)
    client.force_login(cdo)
    response = client.post(reverse("lifecycle:candidate_decide", args=[candidate.slug]),
                           {"decision": "rejected", "reason": "Liegt außerhalb der Strategie."})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.status_reason) == ("not_admitted", "Liegt außerhalb der Strategie.")
    assert [s.status for s in idea.status_changes.all()] == ["submitted", "qualifying", "not_admitted"]
    event = AuditEvent.objects.get(action="idea.status_changed", object_id=str(idea.pk),
                                   changes__status=["qualifying", "not_admitted"])
    assert event.actor == cdo
    page = client.get(reverse("participation:idea", args=[idea.pk])).content.decode()
    assert "Liegt außerhalb der Strategie." in page


def test_admission_creates_a_measure_and_the_idea_shows_it(client, berlin, citizen, reviewer, cdo):
    idea, candidate = _submit_and_qualify(client, citizen, reviewer, "Kiezlabor für offene Daten")
    client.force_login(cdo)
    organisation = berlin.organisations.first()
    response = client.post(reverse("lifecycle:candidate_decide", args=[candidate.slug]),
                           {"decision": "admitted", "reason": "Stärkt die kooperative Stadt.",
                            "organisation": organisation.pk})
    assert response.status_code == 302
    candidate.refresh_from_db()
    idea.refresh_from_db()
    assert idea.status == "admitted"
    assert candidate.measure.responsible_organisation == organisation
    assert candidate.measure.measure_type == "network"
    page = client.get(reverse("lifecycle:candidate", args=[candidate.slug])).content.decode()
    assert services_idea_link(idea) in page and "Kiezfuchs" in page


def test_a_deferred_decision_leaves_the_idea_being_qualified(client, berlin, citizen, reviewer, cdo):
    idea, candidate = _submit_and_qualify(client, citizen, reviewer, "Leihladen digital")
    client.force_login(cdo)
    client.post(reverse("lifecycle:candidate_decide", args=[candidate.slug]),
                {"decision": "deferred", "reason": "Haushalt abwarten."})
    idea.refresh_from_db()
    candidate.refresh_from_db()
    assert (candidate.status, idea.status) == ("deferred", "qualifying")


def test_the_submitter_name_leaves_with_the_account(client, berlin, citizen, reviewer, cdo):
    idea, candidate = _submit_and_qualify(client, citizen, reviewer, "Trinkbrunnen-Karte")
    client.force_login(cdo)
    client.post(reverse("lifecycle:candidate_decide", args=[candidate.slug]),
                {"decision": "admitted", "reason": "gut", "organisation": berlin.organisations.first().pk})
    candidate.refresh_from_db()
    assert "Kiezfuchs" not in candidate.description and "Kiezfuchs" not in candidate.measure.description
    assert "Kiezfuchs" in client.get(reverse("lifecycle:candidate", args=[candidate.slug])).content.decode()
    client.force_login(citizen)
    assert client.post(reverse("accounts:delete"), {"password": "S3cure-pass-word"}).status_code == 302
    assert not User.objects.filter(pk=citizen.pk).exists()
    candidate.refresh_from_db()
    assert candidate.submitted_by is None
    page = client.get(reverse("lifecycle:candidate", args=[candidate.slug])).content.decode()
    assert "Kiezfuchs" not in page


def services_idea_link(idea) -> str:
    from kompass.participation.services import idea_url

    return idea_url(idea.pk)
