from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "data" / "monitoring" / "berlin-gdb-monitoring.yaml"


def _models():
    from kompass.accounts.models import UserGroup
    from kompass.monitoring import models as m

    return [UserGroup, m.EvaluationCycle, m.MeasureInput, m.Goal, m.Indicator, m.TargetVersion, m.Measurement,
            m.IndicatorStatus, m.GoalStatus, m.MeasureStatus, m.AggregateStatus, m.Review, m.GoalAssessment,
            m.BoardComment, m.Decision]


@pytest.fixture(scope="session")
def _seed_rows(django_db_setup, django_db_blocker):
    """Load the seed file once through the real loader (services, audit, refresh), keep its rows, roll back."""
    from django.db import transaction

    from kompass.core.actors import system_actor
    from kompass.monitoring.loader import monitoring_load

    with django_db_blocker.unblock(), transaction.atomic():
        before = {model: set(model.objects.values_list("pk", flat=True)) for model in _models()}
        monitoring_load(actor=system_actor("monitoring seed loader"), path=SEED)
        rows = {model: [row for row in model.objects.values() if row[model._meta.pk.attname] not in before[model]]
                for model in _models()}
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def seeded(_seed_rows, berlin):
    """The Berlin monitoring seed data, re-inserted in bulk inside the test's transaction (fast)."""
    for model, rows in _seed_rows.items():
        model.objects.bulk_create([model(**row) for row in rows])
    return berlin


@pytest.fixture
def english():
    """Messages in English (the tests compare texts)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def office_cycle(seeded, make_user):
    """A person of the strategy office and the evaluation cycle "z26" they opened."""
    import datetime

    from kompass.monitoring import services

    office = make_user("office@example.org", office=True)
    return office, services.cycle_open(actor=office, strategy=seeded, slug="z26", name="Zyklus 2026",
                                       deadline=datetime.date(2026, 12, 1), name_en="Cycle 2026")
