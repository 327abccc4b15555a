"""Selection (governance level 2): candidates, reviewer assignment as data, assessments, CDO decisions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kompass.accounts.models import UserGroup
from kompass.audit.models import AuditEvent
from kompass.core.actors import SYSTEM
from kompass.lifecycle import selectors, services
from kompass.lifecycle.models import Candidate, MeasureLifecycle, SelectionCriterion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_minimum(berlin):
    """These tests are about other rules; the minimum of assessments has its own tests (test_selection_gate)."""
    from kompass.lifecycle.models import ProcessSettings

    ProcessSettings.objects.filter(strategy=berlin).update(min_assessments=0)


@pytest.fixture
def crit(berlin):
    return list(SelectionCriterion.objects.filter(strategy=berlin))


@pytest.fixture
def reviewers(make_user):
    unit = UserGroup.objects.get(slug="smart-city-unit")
    team = UserGroup.objects.get(slug="querschnittsteam")
    a, b, c = (make_user(f"r{i}@example.org") for i in range(3))
    for user, group in ((a, unit), (b, unit), (c, team)):
        user.is_reviewer = True
        user.save()
        group.members.add(user)
    return {"unit": [a, b], "team": [c]}


def test_reviewer_group_follows_the_source_as_set_in_the_strategy_file(berlin, make_user):
    clerk = make_user("clerk@example.org", member_of=[berlin.organisations.first()])
    admin_c = services.candidate_submit(actor=clerk, strategy=berlin, title="E-Akte Bezirke", description="d",
                                        source="administration")
    outside = services.candidate_submit(actor=clerk, strategy=berlin, title="Sensoren", description="d",
                                        source="external")
    idea = _from_idea(berlin, 7, title="Bank mit WLAN")
    assert (admin_c.reviewer_group, outside.reviewer_group, idea.reviewer_group) == (
        "querschnittsteam", "smart-city-unit", "smart-city-unit")
    assert idea.source == "citizen_idea" and idea.status == "submitted"
    # The hook is idempotent per source reference.
    assert _from_idea(berlin, 7, title="x") == idea
    assert Candidate.objects.filter(source_kind="participation.idea", source_id=7).count() == 1
    with pytest.raises(ValidationError):
        services.candidate_submit(actor=clerk, strategy=berlin, title="x", description="y", source="citizen_idea")


def _from_idea(strategy, pk, title="Idee", actor=SYSTEM):
    return services.candidate_from_idea(actor=actor, strategy=strategy, source_kind="participation.idea",
                                        source_id=pk, title=title, text="Idee")


def test_only_the_assigned_group_assesses(berlin, reviewers, crit):
    idea = _from_idea(berlin, 1, title="Bank mit WLAN")
    with pytest.raises(PermissionDenied):
        services.assessment_save(actor=reviewers["team"][0], candidate=idea, criterion=crit[0], score=3,
                                 justification="gut")
    with pytest.raises(ValidationError):
        services.assessment_save(actor=reviewers["unit"][0], candidate=idea, criterion=crit[0], score=3,
                                 justification=" ")
    services.assessment_save(actor=reviewers["unit"][0], candidate=idea, criterion=crit[0], score=3,
                             justification="stärkt Nachhaltigkeit")
    services.assessment_save(actor=reviewers["unit"][1], candidate=idea, criterion=crit[0], score=2,
                             justification="eher lokal")
    services.assessment_save(actor=reviewers["unit"][1], candidate=idea, criterion=crit[1], score=4,
                             justification="Gemeinwohl")
    services.assessment_save(actor=reviewers["unit"][1], candidate=idea, criterion=crit[1], score=3,
                             justification="korrigiert")  # re-scoring replaces the own score
    candidate, scores, overall = selectors.candidate_detail(berlin, idea.slug)
    by_slug = {s.criterion.slug: s for s in scores}
    assert by_slug[crit[0].slug].mean == 2.5 and by_slug[crit[0].slug].count == 2
    assert by_slug[crit[1].slug].mean == 3 and by_slug[crit[1].slug].count == 1
    assert overall == 2.75 and candidate.status == "in_review"


def test_cdo_decides_with_a_public_reason_and_admitted_candidates_become_measures(client, berlin, make_user,
                                                                                   phases):
    cdo = make_user("cdo2@example.org")
    cdo.is_cdo = True
    cdo.save()
    office = make_user("office2@example.org", office=True)
    c = services.candidate_submit(actor=office, strategy=berlin, title="Digitale Schulanmeldung", description="d",
                                  source="administration", organisation=berlin.organisations.first())
    with pytest.raises(PermissionDenied):
        services.candidate_decide(actor=office, candidate=c, decision="admitted", reason="gut")
    with pytest.raises(ValidationError):
        services.candidate_decide(actor=cdo, candidate=c, decision="admitted", reason="")
    services.candidate_decide(actor=cdo, candidate=c, decision="deferred", reason="Haushalt 2026 abwarten")
    services.candidate_decide(actor=cdo, candidate=c, decision="admitted", reason="Passt zum Wertekompass")
    c.refresh_from_db()
    assert c.status == "admitted" and c.measure is not None
    assert MeasureLifecycle.objects.get(measure=c.measure).phase == phases["vorprozess"]
    with pytest.raises(ValidationError):
        services.candidate_decide(actor=cdo, candidate=c, decision="rejected", reason="doch nicht")
    page = client.get(reverse("lifecycle:candidate", args=[c.slug])).content.decode()
    assert "Passt zum Wertekompass" in page and reverse("measures:measure", args=[c.measure.slug]) in page
    measure_page = client.get(reverse("measures:measure", args=[c.measure.slug])).content.decode()
    assert reverse("lifecycle:candidate", args=[c.slug]) in measure_page
    actions = set(AuditEvent.objects.filter(object_id=str(c.pk)).values_list("action", flat=True))
    assert {"candidate.submitted", "candidate.decided"} <= actions


def test_admitting_an_idea_needs_a_responsible_organisation(berlin, make_user):
    cdo = make_user("cdo3@example.org")
    cdo.is_cdo = True
    cdo.save()
    idea = _from_idea(berlin, 2)
    with pytest.raises(ValidationError):
        services.candidate_decide(actor=cdo, candidate=idea, decision="admitted", reason="gut")
    services.candidate_decide(actor=cdo, candidate=idea, decision="admitted", reason="gut",
                              organisation=berlin.organisations.first())
    idea.refresh_from_db()
    assert idea.measure.measure_type == "network"


def test_pages_submit_assess_and_decide(client, berlin, reviewers, crit, make_user):
    clerk = make_user("clerk2@example.org", member_of=[berlin.organisations.first()])
    client.force_login(clerk)
    response = client.post(reverse("lifecycle:candidate_new"), {
        "title": "Open-Data-Werkstatt", "description": "Beschreibung", "source": "external"})
    assert response.status_code == 302
    candidate = Candidate.objects.get(title="Open-Data-Werkstatt")
    client.force_login(reviewers["unit"][0])
    data = {f"score_{crit[0].slug}": "4", f"why_{crit[0].slug}": "offen"}
    assert client.post(reverse("lifecycle:candidate_assess", args=[candidate.slug]), data).status_code == 302
    missing = {f"score_{crit[1].slug}": "2"}
    assert client.post(reverse("lifecycle:candidate_assess", args=[candidate.slug]), missing).status_code == 400
    listing = client.get(reverse("lifecycle:candidates")).content.decode()
    assert "Open-Data-Werkstatt" in listing
    client.force_login(reviewers["unit"][1])  # has not assessed yet: the candidate waits in their queue
    queue = client.get(reverse("lifecycle:candidates")).context["queue"]
    assert candidate in queue
    client.force_login(reviewers["team"][0])  # another group
    assert candidate not in client.get(reverse("lifecycle:candidates")).context["queue"]
    assert client.get(reverse("lifecycle:candidates"), {"status": "nonsense"}).status_code == 200


def test_a_decision_sends_candidate_decided_inside_the_transaction(berlin, make_user):
    """Lifecycle tells higher layers through its signal; a receiver's failure rolls the decision back."""
    from kompass.lifecycle.signals import candidate_decided

    cdo = make_user("cdo4@example.org")
    cdo.is_cdo = True
    cdo.save()
    candidate = _from_idea(berlin, 9)
    seen = []

    def receiver(sender, candidate, actor, old_status, **kwargs):
        seen.append((candidate.status, actor, old_status))

    def failing(sender, **kwargs):
        raise RuntimeError("receiver failed")

    candidate_decided.connect(receiver, dispatch_uid="test-receiver")
    try:
        services.candidate_decide(actor=cdo, candidate=candidate, decision="deferred", reason="später")
        assert seen == [("deferred", cdo, "submitted")]
        candidate_decided.connect(failing, dispatch_uid="test-failing")
        with pytest.raises(RuntimeError):
            services.candidate_decide(actor=cdo, candidate=candidate, decision="rejected", reason="nein")
    finally:
        candidate_decided.disconnect(dispatch_uid="test-receiver")
        candidate_decided.disconnect(dispatch_uid="test-failing")
    candidate.refresh_from_db()
    assert candidate.status == "deferred"
    assert not AuditEvent.objects.filter(action="candidate.decided", changes__status=["deferred", "rejected"]).exists()


def test_admission_by_the_cdo_is_audited_as_the_cdo(berlin, make_user, phases):
    """The measure the decision creates, its first phase and the decision name the CDO, not a system process."""
    cdo = make_user("cdo5@example.org")
    cdo.is_cdo = True
    cdo.save()
    candidate = _from_idea(berlin, 10, title="Sitzbank mit Solarstrom")
    services.candidate_decide(actor=cdo, candidate=candidate, decision="admitted", reason="gut",
                              organisation=berlin.organisations.first())
    candidate.refresh_from_db()
    from django.contrib.contenttypes.models import ContentType

    def events(obj):
        return {(e.action, e.actor) for e in AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))}

    assert events(candidate.measure) == {("measure.created", cdo), ("measure.phase_changed", cdo)}
    assert ("candidate.decided", cdo) in events(candidate)
    assert candidate.measure.lifecycle.phase == phases["vorprozess"]
    # A CDO holds no measure rights otherwise: the grant is for the admission only.
    assert not cdo.has_perm("measures.change_measure", candidate.measure)


def test_forwarding_an_idea_needs_a_role_that_moves_ideas(berlin, make_user):
    citizen = make_user("c9@example.org")
    with pytest.raises(PermissionDenied):
        _from_idea(berlin, 11, actor=citizen)
    assert not Candidate.objects.filter(source_id=11).exists()
    reviewer = make_user("r9@example.org")
    reviewer.is_reviewer = True
    reviewer.save()
    assert _from_idea(berlin, 11, actor=reviewer).proposed_by == reviewer


def test_candidates_with_the_same_title_get_numbered_addresses(berlin):
    first, second, third = (_from_idea(berlin, pk, title="Offene Bänke") for pk in (21, 22, 23))
    assert [first.slug, second.slug, third.slug] == ["offene-baenke", "offene-baenke-2", "offene-baenke-3"]


def test_assessment_scores_stay_between_0_and_4(berlin, reviewers, crit):
    candidate = _from_idea(berlin, 24)
    for bad in (-1, 5):
        with pytest.raises(ValidationError):
            services.assessment_save(actor=reviewers["unit"][0], candidate=candidate, criterion=crit[0], score=bad,
                                     justification="x")
    for good in (0, 4):
        assert services.assessment_save(actor=reviewers["unit"][0], candidate=candidate, criterion=crit[0],
                                        score=good, justification="x").score == good
    with pytest.raises(PermissionDenied):  # an assessment is a person's judgement, not a system's
        services.assessment_save(actor=SYSTEM, candidate=candidate, criterion=crit[0], score=1, justification="x")
