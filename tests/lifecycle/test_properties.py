"""Property tests: any sequence of moves keeps the timeline consistent; aggregated scores stay in range."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompass.core.actors import SYSTEM
from kompass.lifecycle import selectors, services
from kompass.lifecycle.models import MeasureLifecycle, PhaseTransition, SelectionCriterion

pytestmark = pytest.mark.django_db


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.integers(0, 5), st.booleans(), st.booleans()), min_size=1, max_size=8))
def test_any_sequence_of_moves_keeps_a_consistent_timeline(fresh, phases, moves):
    ordered = list(phases.values())
    ordered.sort(key=lambda p: p.position)
    PhaseTransition.objects.filter(measure=fresh).delete()
    MeasureLifecycle.objects.filter(measure=fresh).delete()
    for index, override, confirm in moves:
        target = None if index == 5 else ordered[index]
        try:
            services.phase_move(actor=SYSTEM, measure=fresh, to_phase=target, reason="r" if override else "",
                                override=override, confirmed=["has_indicator"] if confirm else [])
        except ValidationError:
            pass
    transitions = list(PhaseTransition.objects.filter(measure=fresh).order_by("occurred_at", "id"))
    here = ordered[0]
    for t in transitions:
        assert t.from_phase_id == here.pk
        if t.kind == "complete":
            assert t.to_phase_id is None and here == ordered[-1]
            break
        assert t.to_phase_id != here.pk
        if t.kind == "forward":
            assert all(c["met"] for c in t.criteria)
        if t.kind in ("back", "override"):
            assert t.reason
        here = t.to_phase
    lifecycle = MeasureLifecycle.objects.filter(measure=fresh).first()
    assert (lifecycle.phase_id if lifecycle else ordered[0].pk) == here.pk
    assert len([t for t in transitions if t.kind == "complete"]) <= 1


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(1, 10)), min_size=0, max_size=6))
def test_aggregate_score_is_a_weighted_mean_in_range(pairs):
    scores = [selectors.CriterionScore(SelectionCriterion(weight=w), float(m), 1, []) for m, w in pairs]
    overall = selectors.aggregate_score(scores)
    if not pairs:
        assert overall is None
    else:
        assert min(m for m, _w in pairs) - 0.01 <= overall <= max(m for m, _w in pairs) + 0.01
