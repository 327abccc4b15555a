"""Participation services, pinned where mutation testing found them loose (docs/mutation/flow.md)."""

import pytest

from kompass.lifecycle.models import Candidate
from kompass.participation.models import Idea
from kompass.participation.services.ideas import IDEA_SOURCE, on_candidate_decided

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("source_kind", ["", "lottery.panel", "survey.answer"])  # below and above the idea kind
def test_a_decision_on_a_candidate_from_another_source_leaves_an_idea_with_that_id_alone(berlin, idea, office,
                                                                                          source_kind):
    assert source_kind != IDEA_SOURCE
    candidate = Candidate(strategy=berlin, title="Fremd", source_kind=source_kind, source_id=idea.pk,
                          status="rejected", decision_reason="Passt nicht.")
    on_candidate_decided(None, candidate=candidate, actor=office)
    after = Idea.objects.get(pk=idea.pk)
    assert (after.status, after.status_reason) == (idea.status, idea.status_reason)
    assert after.status_changes.count() == idea.status_changes.count()


def test_a_decision_on_the_ideas_own_candidate_reaches_the_idea(berlin, idea, office):
    candidate = Candidate(strategy=berlin, title="Eigen", source_kind=IDEA_SOURCE, source_id=idea.pk,
                          status="rejected", decision_reason="Passt nicht.")
    on_candidate_decided(None, candidate=candidate, actor=office)
    after = Idea.objects.get(pk=idea.pk)
    assert (after.status, after.status_reason) == ("not_admitted", "Passt nicht.")
