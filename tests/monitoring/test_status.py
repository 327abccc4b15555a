"""Stored statuses: computed with kompass.algorithms.progress, rolled up by the documented rule."""

import datetime

import pytest

from kompass.algorithms.progress import compute_status, roll_up
from kompass.core.actors import SYSTEM
from kompass.measures.models import MeasureValue
from kompass.monitoring import services
from kompass.monitoring.models import (
    AggregateStatus,
    GoalStatus,
    Indicator,
    IndicatorStatus,
    Measurement,
    MeasureStatus,
)

pytestmark = pytest.mark.django_db


def test_indicator_status_matches_the_algorithm(seeded):
    ind = Indicator.objects.get(slug="bsp-baumverluste-trockenheit")
    series = [(services.year_fraction(p), v) for p, v in Measurement.objects.filter(
        indicator=ind, district__isnull=True).values_list("period", "value")]
    target = ind.target_versions.order_by("version").last()
    expected = compute_status(series, method=ind.method, direction=ind.direction,
                              baseline=(ind.baseline_value, services.year_fraction(ind.baseline_date)),
                              target=(target.value, services.year_fraction(target.target_date)))
    stored = IndicatorStatus.objects.get(indicator=ind)
    assert stored.status == expected.status.value and stored.score == pytest.approx(expected.score)
    assert stored.components["ratio"] == pytest.approx(expected.components["ratio"])
    assert stored.latest_value == 760 and stored.n_points == 4 and stored.trend == 1  # fewer losses: improving


def test_goal_measure_and_value_roll_up_follow_the_rule(seeded):
    ind = Indicator.objects.select_related("goal", "measure").get(slug="bsp-nachnutzungen")
    measure = ind.measure
    goals = list(GoalStatus.objects.filter(goal__measure=measure).select_related("goal"))
    ms = MeasureStatus.objects.get(measure=measure)
    stubs = [IndicatorStatus.objects.get(indicator__goal=g.goal) for g in goals]

    class R:
        def __init__(self, s):
            from kompass.algorithms.progress import Status

            self.status, self.score = Status(s.status), s.score

    assert ms.score == pytest.approx(roll_up([R(g) for g in goals]).score)
    assert {g.goal_id: g.status for g in goals} == {s.indicator.goal_id: s.status for s in stubs}
    assert ms.output_status and ms.outcome_status and ms.impact_status and ms.chain_complete
    # values: weights are the alignment strengths
    link = MeasureValue.objects.filter(measure__monitoring_status__isnull=False).select_related("value").first()
    children = list(MeasureValue.objects.filter(value=link.value, measure__monitoring_status__isnull=False)
                    .select_related("measure__monitoring_status"))
    expected = roll_up([R(c.measure.monitoring_status) for c in children], [c.strength for c in children])
    stored = AggregateStatus.objects.get(kind="value", key=link.value.slug)
    assert stored.score == pytest.approx(expected.score) and stored.status == expected.status.value
    assert AggregateStatus.objects.filter(kind="strategy").count() == 1


def test_a_new_target_version_never_overwrites_and_changes_the_status(seeded):
    ind = Indicator.objects.select_related("measure__strategy").get(slug="bsp-sensoren-installiert")
    before = IndicatorStatus.objects.get(indicator=ind).status
    v1 = ind.target_versions.get(version=1)
    services.target_add(actor=SYSTEM, indicator=ind, value=2000, target_date=datetime.date(2026, 1, 1),
                        reason="Test")
    assert list(ind.target_versions.values_list("version", "value")) == [(1, v1.value), (2, 2000)]
    after = IndicatorStatus.objects.get(indicator=ind)
    assert after.status != before and after.components["target_value"] == 2000


def test_bulk_refresh_of_all_statuses_is_stable(seeded):
    before = dict(IndicatorStatus.objects.values_list("indicator_id", "score"))
    report = services.refresh_statuses(strategy=seeded)
    assert report["indicators"] == len(before)
    assert dict(IndicatorStatus.objects.values_list("indicator_id", "score")) == before


def test_malformed_input_gives_not_computable_not_an_error(seeded):
    ind = Indicator.objects.select_related("measure__strategy").get(slug="bsp-einzelloesungen")
    services.method_change(actor=SYSTEM, indicator=ind, method="binary")  # values other than 0/1
    stored = IndicatorStatus.objects.get(indicator=ind)
    assert stored.status == "not_computable" and stored.reason
