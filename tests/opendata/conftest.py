import pytest

from tests.lottery_web.conftest import computed, drawn, officer, panel, people, pooled, published  # noqa: F401
from tests.monitoring.conftest import _seed_rows, seeded  # noqa: F401


@pytest.fixture
def office(make_user):
    return make_user("office-od@example.org", office=True)


@pytest.fixture
def lesson(seeded, office):  # noqa: F811
    from kompass.lifecycle.services import lesson_create

    measure = seeded.measures.get(slug="bodenfeuchte-sensoren-strassenbaeume")
    return lesson_create(actor=office, measure=measure, title="Sensoren früh mit dem Grünflächenamt planen",
                         what_worked="Gemeinsame Begehungen mit den Gärtnerinnen und Gärtnern.",
                         what_did_not="Funkabdeckung in Hinterhöfen war schlechter als gedacht.",
                         recommendation="Vor dem Kauf die Funkabdeckung messen.", tags="Sensorik, Bäume")


@pytest.fixture
def open_data(seeded, lesson, published):  # noqa: F811
    """Berlin with monitoring data, evaluation cycles, a lesson and a published citizens' panel."""
    return seeded
