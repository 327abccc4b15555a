"""Every public monitoring service runs in one transaction (monitoring/services/__init__.py): when its last step,
the audit event, fails, nothing it wrote before stays. Pinned where mutation testing found the transactions
unchecked (docs/mutation/monitoring.md)."""

import datetime

import pytest

from kompass.accounts.models import UserGroup
from kompass.core.actors import SYSTEM
from kompass.lifecycle.models import TeamMember
from kompass.monitoring import services
from kompass.monitoring.models import (
    BoardComment,
    Decision,
    EvaluationCycle,
    Goal,
    Indicator,
    MeasureInput,
    Measurement,
    Review,
    TargetVersion,
)

pytestmark = pytest.mark.django_db
MEASURE = "open-source-baukasten-fachverfahren"
INDICATOR = "bsp-komponenten-veroeffentlicht"


class AuditDown(Exception):
    pass


def _fail(*_args, **_kwargs):
    raise AuditDown


@pytest.fixture
def world(seeded):
    indicator = Indicator.objects.select_related("measure__strategy").get(slug=INDICATOR)
    cycle = services.cycle_open(actor=SYSTEM, strategy=seeded, slug="z26", name="Zyklus 2026",
                                deadline=datetime.date(2026, 12, 1))
    return seeded, indicator, cycle


def _state():
    return (list(MeasureInput.objects.values_list("pk", "text")), list(Goal.objects.values_list("pk", "title")),
            list(Indicator.objects.values_list("pk", "unit", "method", "owner_id")),
            list(TargetVersion.objects.values_list("pk", "value")), Measurement.objects.count(),
            list(EvaluationCycle.objects.values_list("pk", "state")), Review.objects.count(),
            BoardComment.objects.count(), Decision.objects.count(), UserGroup.objects.count())


def _calls(strategy, indicator, cycle, owner):
    measure, goal = indicator.measure, indicator.goal
    data = {"name": "Neu", "unit": "Anzahl", "baseline_value": 1.0, "baseline_date": datetime.date(2022, 1, 1)}
    board = UserGroup.objects.filter(kind=UserGroup.Kind.BOARD).first()
    return {
        "chains.inputs_set": lambda: services.inputs_set(actor=SYSTEM, measure=measure, texts=[("Neu", "")]),
        "chains.goal_save": lambda: services.goal_save(actor=SYSTEM, measure=measure, slug="neu",
                                                       data={"level": "output", "title": "Neu"}),
        "chains.indicator_save": lambda: services.indicator_save(actor=SYSTEM, goal=goal, slug="neu", data=data),
        "chains.indicator_update": lambda: services.indicator_save(actor=SYSTEM, goal=goal, slug=indicator.slug,
                                                                   data={"unit": "Stück"}),
        "targets.indicator_create_with_target": lambda: services.indicator_create_with_target(
            actor=SYSTEM, goal=goal, slug="neu", data=data, target=(5.0, datetime.date(2027, 1, 1))),
        "targets.target_add": lambda: services.target_add(actor=SYSTEM, indicator=indicator, value=99,
                                                          target_date=datetime.date(2029, 1, 1)),
        "targets.method_change": lambda: services.method_change(actor=SYSTEM, indicator=indicator,
                                                                method="open_sdg"),
        "measurements.measurements_import": lambda: services.measurements_import(
            actor=SYSTEM, strategy=strategy, measure=measure,
            rows=[{"_row": 2, "indicator": indicator.slug, "period": "2023-06", "value": "3"}]),
        "reminders.indicator_owner_set": lambda: services.indicator_owner_set(actor=SYSTEM, indicator=indicator,
                                                                              owner=owner),
        "cycles.cycle_open": lambda: services.cycle_open(actor=SYSTEM, strategy=strategy, slug="z27", name="Z",
                                                         deadline=datetime.date(2027, 12, 1)),
        "cycles.cycle_close": lambda: services.cycle_close(actor=SYSTEM, cycle=cycle),
        "cycles.review_submit": lambda: services.review_submit(actor=SYSTEM, cycle=cycle, measure=measure,
                                                               learned="Viel"),
        "cycles.comment_add": lambda: services.comment_add(actor=SYSTEM, cycle=cycle, measure=measure, group=board,
                                                           text="Gut"),
        "cycles.decision_record": lambda: services.decision_record(actor=SYSTEM, cycle=cycle, measure=measure,
                                                                   kind="continue", reason="Weiter"),
        "cycles.decision_with_target": lambda: services.decision_record(
            actor=SYSTEM, cycle=cycle, measure=measure, kind="adjust_goals", reason="Mehr",
            new_targets=[(indicator, 99, datetime.date(2029, 1, 1))]),
        "cycles.board_ensure": lambda: services.board_ensure(actor=SYSTEM, slug="neu", name="Neu", kind="board"),
    }


CASES = ["chains.inputs_set", "chains.goal_save", "chains.indicator_save", "chains.indicator_update",
         "targets.indicator_create_with_target", "targets.target_add", "targets.method_change",
         "measurements.measurements_import", "reminders.indicator_owner_set", "cycles.cycle_open",
         "cycles.cycle_close", "cycles.review_submit", "cycles.comment_add", "cycles.decision_record",
         "cycles.decision_with_target", "cycles.board_ensure"]


@pytest.mark.parametrize("case", CASES)
def test_a_failing_audit_event_leaves_nothing_written(world, make_user, monkeypatch, case):
    strategy, indicator, cycle = world
    owner = make_user("owner@example.org")
    TeamMember.objects.create(measure=indicator.measure, user=owner, role="member")
    if case == "targets.method_change":
        Indicator.objects.filter(pk=indicator.pk).update(method="linear")
        indicator.refresh_from_db()
    module = case.split(".")[0]
    monkeypatch.setattr(f"kompass.monitoring.services.{module}.record_event", _fail)
    call = _calls(strategy, indicator, cycle, owner)[case]
    before = _state()
    with pytest.raises(AuditDown):
        call()
    assert _state() == before
