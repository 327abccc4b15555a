"""The lifecycle gate "has_indicator" is checked against the monitoring data once monitoring is installed."""

import pytest

from kompass.lifecycle.criteria import evaluate

pytestmark = pytest.mark.django_db


def test_has_indicator_gate_uses_real_indicators(berlin):
    from kompass.monitoring.models import Indicator

    with_indicator = berlin.measures.filter(monitoring_indicators__isnull=False).first()
    without = berlin.measures.exclude(pk__in=Indicator.objects.values("measure_id")).first()
    assert without is not None
    [result] = evaluate(["has_indicator"], without)
    assert result["met"] is False
    if with_indicator is None:  # the Berlin monitoring seed is loaded by make run, not by the test session
        import datetime

        from kompass.monitoring.models import Goal

        goal = Goal.objects.create(measure=without, slug="ziel", level="output", title="Ziel")
        Indicator.objects.create(goal=goal, measure=without, slug="probe", name="Probe", unit="Anzahl",
                                 baseline_value=0, baseline_date=datetime.date(2024, 1, 1))
        with_indicator = without
    [result] = evaluate(["has_indicator"], with_indicator)
    assert result["met"] is True
