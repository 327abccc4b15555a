"""Stored statuses (monitoring/services/statuses.py), pinned where mutation testing found them loose
(docs/mutation/monitoring.md): a refresh of some indicators rewrites exactly those and their measures, reads only
their rows, and every stored field follows the measurements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kompass.algorithms.progress import Status, roll_up
from kompass.core.actors import SYSTEM
from kompass.measures.models import Measure
from kompass.monitoring import services
from kompass.monitoring.models import (
    AggregateStatus,
    Goal,
    GoalStatus,
    Indicator,
    IndicatorStatus,
    Measurement,
    MeasureStatus,
)

pytestmark = pytest.mark.django_db
BY_DISTRICT = "bsp-nachnutzungen"  # has values per district besides the city-wide ones


def _forget():
    """Delete every stored status, so that a refresh shows which rows it writes."""
    IndicatorStatus.objects.all().delete()
    GoalStatus.objects.all().delete()
    MeasureStatus.objects.all().delete()


def test_a_refresh_of_one_indicator_rewrites_it_its_goals_and_its_measure_only(seeded):
    indicator = Indicator.objects.get(slug=BY_DISTRICT)
    _forget()
    assert services.refresh_statuses(strategy=seeded, indicator_ids=[indicator.pk]) == {"indicators": 1,
                                                                                        "measures": 1}
    assert list(IndicatorStatus.objects.values_list("indicator_id", flat=True)) == [indicator.pk]
    assert set(GoalStatus.objects.values_list("goal_id", flat=True)) == set(
        Goal.objects.filter(measure=indicator.measure).values_list("pk", flat=True))
    assert list(MeasureStatus.objects.values_list("measure_id", flat=True)) == [indicator.measure_id]


def test_a_refresh_of_more_ids_than_one_query_takes_still_rewrites_only_those(seeded):
    from kompass.monitoring.services._common import IN_CHUNK

    last = Indicator.objects.order_by("-measure_id").first().measure  # its goals come after the other measures'
    chosen = list(Indicator.objects.filter(measure=last).order_by("pk").values_list("pk", flat=True)[:2])
    unknown = [10**6 + n for n in range(IN_CHUNK)]
    _forget()
    report = services.refresh_statuses(strategy=seeded, indicator_ids=chosen + unknown)
    assert report == {"indicators": 2, "measures": 1}
    assert set(IndicatorStatus.objects.values_list("indicator_id", flat=True)) == set(chosen)
    assert set(GoalStatus.objects.values_list("goal_id", flat=True)) == set(
        Goal.objects.filter(measure=last).values_list("pk", flat=True))
    assert list(MeasureStatus.objects.values_list("measure_id", flat=True)) == [last.pk]


def test_a_refresh_of_one_indicator_reads_only_its_measurements_and_targets(seeded):
    indicator = Indicator.objects.get(slug=BY_DISTRICT)
    with CaptureQueriesContext(connection) as queries:
        services.refresh_statuses(strategy=seeded, indicator_ids=[indicator.pk])
    reads = [q["sql"] for q in queries.captured_queries  # PostgreSQL reads the series through a named cursor
             if q["sql"].startswith(("SELECT", "DECLARE"))]
    measurements = [sql for sql in reads if 'FROM "monitoring_measurement"' in sql]
    targets = [sql for sql in reads if 'FROM "monitoring_targetversion"' in sql]
    assert len(measurements) == 1 and len(targets) == 1
    assert f'"indicator_id" IN ({indicator.pk})' in measurements[0] and "JOIN" not in measurements[0]
    assert f'"indicator_id" IN ({indicator.pk})' in targets[0]


def test_the_stored_indicator_status_follows_the_city_wide_series(seeded):
    indicator = Indicator.objects.get(slug=BY_DISTRICT)
    city = list(Measurement.objects.filter(indicator=indicator, district__isnull=True).order_by("period")
                .values_list("period", "value"))
    assert Measurement.objects.filter(indicator=indicator, district__isnull=False).exists()
    services.refresh_statuses(strategy=seeded, indicator_ids=[indicator.pk])
    stored = IndicatorStatus.objects.get(indicator=indicator)
    assert (stored.n_points, stored.latest_period, stored.latest_value) == (len(city), city[-1][0], city[-1][1])
    assert stored.method == indicator.method and stored.label


def test_an_indicator_without_values_has_no_latest_value(seeded):
    indicator = Indicator.objects.get(slug="bsp-bauteile-wiederverwendet")
    assert not Measurement.objects.filter(indicator=indicator).exists()
    stored = IndicatorStatus.objects.get(indicator=indicator)
    assert (stored.n_points, stored.latest_period, stored.latest_value) == (0, None, None)


def test_malformed_input_is_stored_as_not_computable_with_the_reason(seeded):
    indicator = Indicator.objects.select_related("measure__strategy").get(slug="bsp-einzelloesungen")
    services.method_change(actor=SYSTEM, indicator=indicator, method="binary")
    data = services.compute_indicator({"method": "binary", "direction": 1, "baseline_value": 120.0,
                                       "baseline_date": indicator.baseline_date, "natural_limit": None},
                                      [(2023.0, 5.0)], None)
    assert data["status"] == Status.NOT_COMPUTABLE.value and data["reason"]
    assert (data["method"], data["score"], data["label"], data["components"]) == ("binary", None,
                                                                                 "not_computable", {})
    stored = IndicatorStatus.objects.get(indicator=indicator)
    assert (stored.status, stored.method, stored.score, stored.components) == ("not_computable", "binary", None, {})
    assert stored.reason


def test_a_goal_without_indicators_is_not_computable_and_a_measure_without_goals_has_no_status(seeded):
    measure = Measure.objects.exclude(monitoring_goals__isnull=False).order_by("pk").first()
    with_goals = Indicator.objects.order_by("pk").first().measure
    goal = Goal.objects.create(measure=with_goals, slug="leer", level="impact", title="Leer")
    services.refresh_statuses(strategy=seeded, indicator_ids=[])
    services.refresh_statuses(strategy=seeded)
    stored = GoalStatus.objects.get(goal=goal)
    assert (stored.status, stored.score, stored.rollup) == ("not_computable", None, {"n_children": 0})
    assert measure is not None and not MeasureStatus.objects.filter(measure=measure).exists()
    with_a_goal = set(Goal.objects.values_list("measure_id", flat=True))
    assert set(MeasureStatus.objects.values_list("measure_id", flat=True)) == with_a_goal
    assert set(GoalStatus.objects.values_list("goal_id", flat=True)) == set(Goal.objects.values_list("pk", flat=True))


def test_action_fields_roll_up_their_measures_and_the_strategy_all_of_them(seeded):
    class Stub:
        def __init__(self, row):
            self.status, self.score = Status(row.status), row.score

    statuses = {s.measure_id: s for s in MeasureStatus.objects.all()}
    expected = {}
    for field in seeded.action_fields.all():
        children = [Stub(statuses[m]) for m in field.measures.values_list("pk", flat=True) if m in statuses]
        if children:
            expected[field.slug] = roll_up(children)
    stored = {a.key: a for a in AggregateStatus.objects.filter(strategy=seeded, kind="action_field")}
    assert set(stored) == set(expected) and expected
    for slug, result in expected.items():
        assert (stored[slug].status, stored[slug].score) == (result.status.value, pytest.approx(result.score))
    whole = AggregateStatus.objects.get(strategy=seeded, kind="strategy")
    result = roll_up([Stub(s) for s in statuses.values()])
    assert (whole.key, whole.name, whole.status, whole.score) == (seeded.slug, seeded.name, result.status.value,
                                                                 pytest.approx(result.score))


def test_a_refresh_reports_its_progress_after_each_thousand_indicators(seeded):
    measure = Indicator.objects.order_by("pk").first().measure
    goal = Goal.objects.filter(measure=measure).order_by("pk").first()
    base = Indicator.objects.filter(measure=measure).order_by("pk").first()
    Indicator.objects.bulk_create([Indicator(goal=goal, measure=measure, slug=f"viele-{n}", name=f"Viele {n}",
                                             unit="Anzahl", baseline_value=1.0, baseline_date=base.baseline_date)
                                   for n in range(1001 - Indicator.objects.count())])
    total = Indicator.objects.count()
    assert total == 1001
    calls = []
    services.refresh_statuses(strategy=seeded, progress=lambda done, of: calls.append((done, of)))
    assert calls == [(1000, 1001)]
