"""Selection rough edges (issue 13): the minimum of assessments before a decision, reviewers' saved scores, the
list counting assessors, deferrals and rejections reported back on the idea, the idea linking its candidate,
and candidate links on the configured public URL."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from kompass.accounts.models import UserGroup
from kompass.audit.models import AuditEvent
from kompass.core.actors import SYSTEM
from kompass.lifecycle import selectors, services
from kompass.lifecycle.models import Candidate, ProcessSettings, SelectionCriterion
from kompass.participation.models import Follow, Idea, Notification
from kompass.participation.services import idea_create, idea_set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(make_user):
    group = UserGroup.objects.get(slug="smart-city-unit")
    people = [make_user(f"gate{i}@example.org") for i in range(3)]
    for user in people:
        user.is_reviewer = True
        user.save()
        group.members.add(user)
    return people


@pytest.fixture
def cdo(make_user):
    user = make_user("gate-cdo@example.org")
    user.is_cdo = True
    user.save()
    return user


def _candidate(berlin, pk=501):
    return services.candidate_from_idea(actor=SYSTEM, strategy=berlin, source_kind="participation.idea",
                                        source_id=pk, title=f"Idee {pk}", text="Text")


def _assess(candidate, people, criteria):
    for user in people:
        for criterion in criteria:
            services.assessment_save(actor=user, candidate=candidate, criterion=criterion, score=3,
                                     justification=f"{user.email} zu {criterion.slug}")


def test_berlin_sets_its_minimum_as_data(berlin):
    assert selectors.min_assessments(berlin) == ProcessSettings.objects.get(strategy=berlin).min_assessments == 2


def test_the_cdo_cannot_admit_or_reject_before_the_minimum(berlin, unit, cdo):
    crit = list(SelectionCriterion.objects.filter(strategy=berlin))
    candidate = _candidate(berlin)
    _assess(candidate, unit[:1], crit)  # one person, every criterion: counts once
    assert selectors.assessor_count(candidate) == 1
    for decision in ("admitted", "rejected"):
        with pytest.raises(ValidationError) as exc:
            services.candidate_decide(actor=cdo, candidate=candidate, decision=decision, reason="gut",
                                      organisation=berlin.organisations.first())
        assert "mindestens 2 Personen den Vorschlag bewertet haben; bisher sind es 1" in str(exc.value)
    candidate.refresh_from_db()
    assert candidate.status == "in_review" and candidate.measure is None
    assert not AuditEvent.objects.filter(action="candidate.decided").exists()
    services.candidate_decide(actor=cdo, candidate=candidate, decision="deferred", reason="mehr Gutachten")
    _assess(candidate, unit[1:2], crit[:1])
    services.candidate_decide(actor=cdo, candidate=candidate, decision="rejected", reason="passt nicht")
    candidate.refresh_from_db()
    assert candidate.status == "rejected"


def test_the_decision_page_shows_the_gate_in_german(client, berlin, unit, cdo):
    candidate = _candidate(berlin, 502)
    _assess(candidate, unit[:1], SelectionCriterion.objects.filter(strategy=berlin)[:1])
    client.force_login(cdo)
    page = client.get(reverse("lifecycle:candidate", args=[candidate.slug]), HTTP_ACCEPT_LANGUAGE="de")
    assert "1 Person hat diesen Vorschlag bewertet" in page.content.decode()
    response = client.post(reverse("lifecycle:candidate_decide", args=[candidate.slug]),
                           {"decision": "rejected", "reason": "nein"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "mindestens 2 Personen" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "in_review"


def test_reviewers_see_their_saved_scores(client, berlin, unit):
    crit = list(SelectionCriterion.objects.filter(strategy=berlin))
    candidate = _candidate(berlin, 503)
    services.assessment_save(actor=unit[0], candidate=candidate, criterion=crit[0], score=4,
                             justification="Meine Begründung")
    services.assessment_save(actor=unit[1], candidate=candidate, criterion=crit[0], score=1,
                             justification="Fremde Begründung")
    client.force_login(unit[0])
    form = client.get(reverse("lifecycle:candidate", args=[candidate.slug])).context["assessment_form"]
    assert form.initial == {f"score_{crit[0].slug}": 4, f"why_{crit[0].slug}": "Meine Begründung"}
    html = str(form[f"score_{crit[0].slug}"])
    assert '<option value="4" selected>' in html
    client.force_login(unit[2])
    assert client.get(reverse("lifecycle:candidate", args=[candidate.slug])).context["assessment_form"].initial == {}


def test_the_list_counts_assessors_not_scores(client, berlin, unit):
    crit = list(SelectionCriterion.objects.filter(strategy=berlin))
    assert len(crit) >= 3
    candidate = _candidate(berlin, 504)
    _assess(candidate, unit[:2], crit[:3])  # 2 people x 3 criteria = 6 scores
    row = [c for c in client.get(reverse("lifecycle:candidates")).context["page"] if c.pk == candidate.pk][0]
    assert row.n_assessors == 2


def _forwarded_idea(berlin, author, title):
    idea = idea_create(actor=author, strategy=berlin, title=title, text="Eine Idee für den Kiez.")
    idea_set_status(actor=SYSTEM, idea=idea, status=Idea.Status.QUALIFYING)
    return idea, Candidate.objects.get(source_kind="participation.idea", source_id=idea.pk)


def test_a_deferral_is_reported_on_the_idea_and_to_its_author(client, berlin, make_user, cdo):
    author = make_user("gate-author@example.org")
    idea, candidate = _forwarded_idea(berlin, author, "Leihladen mit App")
    Follow.objects.filter(idea=idea, user=author).delete()  # the author stopped following: still told
    services.candidate_decide(actor=cdo, candidate=candidate, decision="deferred", reason="Haushalt 2027 abwarten")
    idea.refresh_from_db()
    assert idea.status == "qualifying"
    last = idea.status_changes.last()
    assert last.reason == "Vom Chief Digital Officer zurückgestellt: Haushalt 2027 abwarten"
    note = Notification.objects.filter(user=author).order_by("-id").first()
    assert "Haushalt 2027 abwarten" in note.text and note.url == reverse("participation:idea", args=[idea.pk])
    assert AuditEvent.objects.filter(action="idea.deferred", object_id=str(idea.pk), actor=cdo).exists()
    page = client.get(reverse("participation:idea", args=[idea.pk]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Haushalt 2027 abwarten" in page and "zurückgestellt" in page


def test_a_rejection_notifies_the_following_author_once(berlin, make_user, cdo):
    author = make_user("gate-author2@example.org")
    idea, candidate = _forwarded_idea(berlin, author, "Kiez-WLAN")
    ProcessSettings.objects.filter(strategy=berlin).update(min_assessments=0)
    before = Notification.objects.filter(user=author).count()
    services.candidate_decide(actor=cdo, candidate=candidate, decision="rejected", reason="Gibt es schon.")
    assert Notification.objects.filter(user=author).count() == before + 1
    idea.refresh_from_db()
    assert (idea.status, idea.status_changes.last().reason) == ("not_admitted", "Gibt es schon.")


def test_the_idea_links_to_its_candidate(client, berlin, make_user):
    author = make_user("gate-author3@example.org")
    idea = idea_create(actor=author, strategy=berlin, title="Noch nicht weitergeleitet", text="Text")
    page = client.get(reverse("participation:idea", args=[idea.pk])).content.decode()
    assert "idea-candidate" not in page
    idea, candidate = _forwarded_idea(berlin, author, "Weitergeleitete Idee")
    page = client.get(reverse("participation:idea", args=[idea.pk])).content.decode()
    assert f'href="{reverse("lifecycle:candidate", args=[candidate.slug])}"' in page


def test_candidate_links_use_the_configured_site_url(client, berlin, make_user):
    author = make_user("gate-author4@example.org")
    idea, candidate = _forwarded_idea(berlin, author, "Link-Idee")
    path = reverse("participation:idea", args=[idea.pk])
    with override_settings(KOMPASS_SITE_URL=""):
        assert candidate.source_link == path  # relative: right on every host, never 127.0.0.1:8000
        page = client.get(reverse("lifecycle:candidate", args=[candidate.slug])).content.decode()
        assert f'href="{path}"' in page and "127.0.0.1" not in page
    with override_settings(KOMPASS_SITE_URL="https://kompass.berlin.example"):
        assert candidate.source_link == "https://kompass.berlin.example" + path
        page = client.get(reverse("lifecycle:candidate", args=[candidate.slug])).content.decode()
        assert f'href="https://kompass.berlin.example{path}"' in page
