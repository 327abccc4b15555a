"""Selection: admission, candidates from ideas, pinned where mutation testing found them loose
(docs/mutation/flow.md)."""

import pytest

from kompass.audit.models import AuditEvent
from kompass.lifecycle import services
from kompass.lifecycle.models import Candidate, ProcessSettings

pytestmark = pytest.mark.django_db


def test_an_admitted_administration_candidate_becomes_a_decentral_measure_with_a_short_summary(berlin, make_user):
    from django.core.exceptions import ValidationError

    ProcessSettings.objects.filter(strategy=berlin).update(min_assessments=0)
    cdo = make_user("cdo@example.org")
    cdo.is_cdo = True
    cdo.save()
    office = make_user("office@example.org", office=True)
    with pytest.raises(ValidationError):
        services.candidate_submit(actor=office, strategy=berlin, title="T", description="d", source="citizen_idea")
    description = "".join(f"{n:04d} " for n in range(250))  # 1,250 characters, each prefix distinct
    candidate = services.candidate_submit(actor=office, strategy=berlin, title="Digitale Schulanmeldung",
                                          description=description, source="administration",
                                          organisation=berlin.organisations.first())
    with pytest.raises(ValidationError):
        services.candidate_decide(actor=cdo, candidate=candidate, decision="maybe", reason="gut")
    services.candidate_decide(actor=cdo, candidate=candidate, decision="admitted", reason=" gut ")
    candidate = Candidate.objects.get(pk=candidate.pk)
    measure = candidate.measure
    assert (measure.measure_type, measure.summary, measure.description) == (
        "decentral", description[:1000], description)
    assert (candidate.decision_reason, candidate.decided_by) == ("gut", cdo)
    assert AuditEvent.objects.get(action="candidate.decided", object_id=str(candidate.pk)).changes == {
        "status": ["submitted", "admitted"], "reason": [None, "gut"], "measure": [None, measure.slug]}
    chosen = services.candidate_submit(actor=office, strategy=berlin, title="Offene Ratsdaten", description="d",
                                       source="administration", organisation=berlin.organisations.first())
    services.candidate_decide(actor=cdo, candidate=chosen, decision="admitted", reason="gut",
                              measure_type="network")
    assert Candidate.objects.get(pk=chosen.pk).measure.measure_type == "network"


def test_a_candidate_from_an_idea_keeps_250_characters_of_its_title_and_is_made_once(berlin):
    from kompass.core.actors import SYSTEM

    title = "".join(f"{n:03d} " for n in range(70))  # 280 characters
    first = services.candidate_from_idea(actor=SYSTEM, strategy=berlin, source_kind="participation.idea",
                                         source_id=777, title=title, text="Text")
    again = services.candidate_from_idea(actor=SYSTEM, strategy=berlin, source_kind="participation.idea",
                                         source_id=777, title="Anders", text="Anders")
    assert first.pk == again.pk and Candidate.objects.get(pk=first.pk).title == title[:250]
    assert (first.source, first.status) == ("citizen_idea", "submitted")
    assert AuditEvent.objects.filter(action="candidate.submitted", object_id=str(first.pk)).count() == 1

