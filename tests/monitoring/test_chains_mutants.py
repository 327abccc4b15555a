"""Impact chains (monitoring/services/chains.py): inputs, goals and indicators, pinned where mutation testing found
them loose (docs/mutation/monitoring.md): what is written, what is returned, what the audit event says."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from kompass.audit.models import AuditEvent
from kompass.core.actors import SYSTEM
from kompass.measures.models import Measure
from kompass.monitoring import dated, services
from kompass.monitoring.models import Goal, Indicator, IndicatorStatus, MeasureInput

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
MEASURE = "open-source-baukasten-fachverfahren"


@pytest.fixture
def measure(seeded):
    return Measure.objects.select_related("strategy").get(slug=MEASURE)


def test_inputs_are_replaced_in_order_and_only_a_change_is_written(measure):
    before = [(i.text, i.text_en) for i in MeasureInput.objects.filter(measure=measure).order_by("position")]
    texts = [("Personal", "Staff"), ("Geld", None)]
    assert services.inputs_set(actor=SYSTEM, measure=measure, texts=texts, audit_label="Test") is True
    stored = list(MeasureInput.objects.filter(measure=measure).order_by("position").values_list(
        "position", "text", "text_en"))
    assert stored == [(0, "Personal", "Staff"), (1, "Geld", "")]
    event = AuditEvent.objects.get(action="monitoring.inputs_set", object_id=str(measure.pk))
    assert event.changes == {"inputs": [[list(t) for t in before], [["Personal", "Staff"], ["Geld", ""]]]}
    assert event.actor_label == "Test"
    assert services.inputs_set(actor=SYSTEM, measure=measure, texts=[("Personal", "Staff"), ("Geld", "")]) is False
    assert AuditEvent.objects.filter(action="monitoring.inputs_set").count() == 1
    for texts in ([("Aaa", "")], [("Zzz", "")], [("Zzz", ""), ("Aaa", "")]):  # before, after, longer in text order
        assert services.inputs_set(actor=SYSTEM, measure=measure, texts=texts) is True
        assert list(MeasureInput.objects.filter(measure=measure).order_by("position").values_list(
            "text", "text_en")) == texts
    assert AuditEvent.objects.filter(action="monitoring.inputs_set").count() == 4


def test_a_goal_is_created_then_updated_field_by_field(measure):
    with pytest.raises(ValidationError) as error:
        services.goal_save(actor=SYSTEM, measure=measure, slug="neu", data={"level": "dream", "title": "X"})
    assert error.value.message_dict == {"level": ["Unknown level."]}
    data = {"level": "output", "position": 7, "title": "Neues Ziel", "assumption": "Wenn"}
    goal, changes = services.goal_save(actor=SYSTEM, measure=measure, slug="neu", data=data)
    assert changes == {k: (None, v) for k, v in data.items()}
    stored = Goal.objects.get(pk=goal.pk)
    assert (stored.measure_id, stored.level, stored.position, stored.title) == (measure.pk, "output", 7, "Neues Ziel")
    same, nothing = services.goal_save(actor=SYSTEM, measure=measure, slug="neu", data=data)
    assert (same.pk, nothing) == (goal.pk, {})
    _goal, changes = services.goal_save(actor=SYSTEM, measure=measure, slug="neu",
                                        data={**data, "title": "Besseres Ziel"})
    assert changes == {"title": ("Neues Ziel", "Besseres Ziel")}
    assert Goal.objects.get(pk=goal.pk).title == "Besseres Ziel"
    events = AuditEvent.objects.filter(object_id=str(goal.pk), action__startswith="monitoring.goal_").order_by("pk")
    assert [e.action for e in events] == ["monitoring.goal_created", "monitoring.goal_updated"]
    assert events[1].changes == {"title": ["Neues Ziel", "Besseres Ziel"]}


def _indicator_data(**extra):
    return {"name": "Neuer Indikator", "unit": "Anzahl", "baseline_value": 1.0,
            "baseline_date": datetime.date(2022, 1, 1), **extra}


def test_an_indicator_is_created_with_the_precision_of_its_baseline_date_and_updated(measure):
    goal = Goal.objects.filter(measure=measure).order_by("pk").first()
    with pytest.raises(ValidationError) as error:
        services.indicator_save(actor=SYSTEM, goal=goal, slug="neu", data=_indicator_data(method="astrology"))
    assert error.value.message_dict == {"method": ["Unknown progress method."]}
    year = dated.Dated(2022, 1, 1, precision=dated.YEAR)
    indicator, changes = services.indicator_save(actor=SYSTEM, goal=goal, slug="neu",
                                                 data=_indicator_data(baseline_date=year))
    stored = Indicator.objects.get(pk=indicator.pk)
    assert (stored.measure_id, stored.goal_id, stored.baseline_date, stored.baseline_date_precision) == (
        measure.pk, goal.pk, datetime.date(2022, 1, 1), "year")
    assert changes["goal"] == (None, goal) and changes["baseline_date_precision"] == (None, "year")
    assert AuditEvent.objects.filter(action="monitoring.indicator_created", object_id=str(indicator.pk)).exists()
    assert not IndicatorStatus.objects.filter(indicator=indicator).exists()
    _same, changes = services.indicator_save(actor=SYSTEM, goal=goal, slug="neu",
                                             data=_indicator_data(baseline_date=year, unit="Stück"))
    assert changes == {"unit": ("Anzahl", "Stück")}
    assert Indicator.objects.get(pk=indicator.pk).unit == "Stück"
    assert IndicatorStatus.objects.filter(indicator=indicator).exists()  # an update refreshes the status
    event = AuditEvent.objects.get(action="monitoring.indicator_updated", object_id=str(indicator.pk))
    assert event.changes == {"unit": ["Anzahl", "Stück"]}
    _same, changes = services.indicator_save(actor=SYSTEM, goal=goal, slug="neu",
                                             data=_indicator_data(baseline_date=datetime.date(2022, 1, 1)))
    assert changes == {"unit": ("Stück", "Anzahl")}  # a plain date brings no precision: the stored one stays
    assert Indicator.objects.get(pk=indicator.pk).baseline_date_precision == "year"


def test_an_indicator_slug_of_another_measure_is_refused(measure):
    other = Indicator.objects.exclude(measure=measure).order_by("pk").first()
    goal = Goal.objects.filter(measure=measure).order_by("pk").first()
    with pytest.raises(ValidationError) as error:
        services.indicator_save(actor=SYSTEM, goal=goal, slug=other.slug, data={"name": "Übernommen"})
    assert error.value.message_dict == {"slug": ["This indicator belongs to another measure."]}
    assert Indicator.objects.get(pk=other.pk).name != "Übernommen"


def test_an_indicator_with_its_first_target_in_one_step(measure):
    goal = Goal.objects.filter(measure=measure).order_by("pk").first()
    indicator = services.indicator_create_with_target(actor=SYSTEM, goal=goal, slug="neu", data=_indicator_data(),
                                                      target=(9.0, datetime.date(2027, 1, 1)))
    assert list(indicator.target_versions.values_list("version", "value", "target_date", "reason")) == [
        (1, 9.0, datetime.date(2027, 1, 1), "Initial target")]
    with pytest.raises(ValidationError):  # a target before the baseline: no indicator either
        services.indicator_create_with_target(actor=SYSTEM, goal=goal, slug="neu2", data=_indicator_data(),
                                              target=(9.0, datetime.date(2020, 1, 1)))
    assert not Indicator.objects.filter(slug="neu2").exists()
