import pytest
from django.core.management import call_command

from kompass.monitoring.models import IndicatorStatus, Measurement, MeasureStatus, TargetVersion
from tests.monitoring.conftest import SEED

pytestmark = pytest.mark.django_db


def test_seed_shows_every_status_class(seeded):
    measure_statuses = dict(MeasureStatus.objects.values_list("measure__slug", "status"))
    print(measure_statuses)
    print(list(IndicatorStatus.objects.values_list("indicator__slug", "status", "score", "reason")))
    assert {"achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration",
            "not_computable"} <= set(measure_statuses.values())


def test_seed_loads_idempotently(seeded):
    counts = (Measurement.objects.count(), TargetVersion.objects.count())
    call_command("load_monitoring", str(SEED))
    assert (Measurement.objects.count(), TargetVersion.objects.count()) == counts
