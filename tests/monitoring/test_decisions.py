"""Decisions of an evaluation cycle and the actor model: targets and methods change only with the matching
decision kind, every change names the deciding person, denied writes are exactly 403 and change nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kompass.accounts.models import UserGroup
from kompass.audit.models import AuditEvent
from kompass.core.permissions import MissingActor
from kompass.monitoring import services
from kompass.monitoring.models import BoardComment, Decision, EvaluationCycle, Indicator, TargetVersion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
MEASURE = "vergabe-lab-innovative-beschaffung"
INDICATOR = "bsp-innovative-zuschlaege"


@pytest.fixture
def cycle(office_cycle):
    return office_cycle


def _state(measure_slug=MEASURE):
    return (list(TargetVersion.objects.filter(indicator__measure__slug=measure_slug).values_list(
        "indicator__slug", "version", "value")),
        list(Indicator.objects.filter(measure__slug=measure_slug).values_list("slug", "method")),
        Decision.objects.count(), AuditEvent.objects.count())


@pytest.mark.parametrize("kind", ["continue", "adjust_evaluation", "scale", "stop"])
def test_new_targets_need_the_decision_adjust_goals(cycle, kind):
    office, cyc = cycle
    ind = Indicator.objects.select_related("measure").get(slug=INDICATOR)
    before = _state()
    with pytest.raises(ValidationError) as error:
        services.decision_record(actor=office, cycle=cyc, measure=ind.measure, kind=kind, reason="Neu",
                                 new_targets=[(ind, 12, datetime.date(2029, 1, 1))])
    assert error.value.message_dict == {"kind": ["New targets need the decision “adjust goals”."]}
    assert _state() == before


@pytest.mark.parametrize("kind", ["continue", "adjust_goals", "scale", "stop"])
def test_new_methods_need_the_decision_adjust_the_evaluation(cycle, kind):
    office, cyc = cycle
    ind = Indicator.objects.select_related("measure").get(slug=INDICATOR)
    before = _state()
    with pytest.raises(ValidationError) as error:
        services.decision_record(actor=office, cycle=cyc, measure=ind.measure, kind=kind, reason="Neu",
                                 new_targets=[(ind, 12, datetime.date(2029, 1, 1))] if kind == "adjust_goals"
                                 else None, new_methods=[(ind, "linear")])
    assert error.value.message_dict == {"kind": ["New methods need the decision “adjust the evaluation”."]}
    assert _state() == before


def test_a_decision_records_the_deciding_person_on_every_change(cycle):
    office, cyc = cycle
    ind = Indicator.objects.select_related("measure").get(slug=INDICATOR)
    services.decision_record(actor=office, cycle=cyc, measure=ind.measure, kind="adjust_goals",
                             reason="Realistisch", new_targets=[(ind, 12, datetime.date(2029, 1, 1))])
    version = TargetVersion.objects.get(indicator=ind, version=2)
    assert (version.value, version.cycle_id, version.created_by) == (12, cyc.pk, office)
    added = AuditEvent.objects.get(action="monitoring.target_added", object_id=str(ind.pk))
    assert (added.actor, added.actor_label) == (office, f"user:{office.pk}")
    decided = AuditEvent.objects.get(action="monitoring.decision_recorded")
    assert decided.actor == office
    services.decision_record(actor=office, cycle=cyc, measure=ind.measure, kind="adjust_evaluation",
                             reason="Linear passt besser", new_methods=[(ind, "linear")])
    changed = AuditEvent.objects.get(action="monitoring.method_changed", object_id=str(ind.pk))
    assert (changed.actor, changed.changes["method"]) == (office, ["open_sdg", "linear"])
    assert Indicator.objects.get(pk=ind.pk).method == "linear"


def test_services_refuse_a_missing_actor(seeded):
    ind = Indicator.objects.select_related("measure").get(slug=INDICATOR)
    before = _state()
    with pytest.raises(MissingActor):
        services.target_add(actor=None, indicator=ind, value=1, target_date=datetime.date(2030, 1, 1))
    with pytest.raises(MissingActor):
        services.cycle_open(actor=None, strategy=seeded, slug="x", name="X", deadline=datetime.date(2030, 1, 1))
    assert _state() == before


def test_the_seed_loader_is_named_in_the_audit_trail(seeded, tmp_path):
    from django.core.management import call_command

    seed = tmp_path / "boards.yaml"
    seed.write_text("schema: kompass-monitoring-v1\nstrategy: berlin-gdb\n"
                    "boards: [{slug: neuer-beirat, name: Neuer Beirat, kind: board}]\n", encoding="utf-8")
    call_command("load_monitoring", str(seed))
    event = AuditEvent.objects.get(action="monitoring.board_created")
    assert (event.actor, event.actor_label, event.object_repr) == (None, "system:monitoring seed loader",
                                                                   str(UserGroup.objects.get(slug="neuer-beirat")))


def test_a_board_member_cannot_comment_for_another_board(cycle, make_user):
    _office, cyc = cycle
    member = make_user("beirat@example.org")
    UserGroup.objects.get(slug="strategiebeirat").members.add(member)
    other = UserGroup.objects.get(slug="strategieboard")
    ind = Indicator.objects.select_related("measure").get(slug=INDICATOR)
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=member, cycle=cyc, measure=ind.measure, group=other, text="Hallo")
    assert not BoardComment.objects.filter(cycle=cyc).exists() and AuditEvent.objects.count() == events
    services.comment_add(actor=member, cycle=cyc, measure=ind.measure,
                         group=UserGroup.objects.get(slug="strategiebeirat"), text="Gut.")
    assert list(BoardComment.objects.filter(cycle=cyc).values_list("author", "text")) == [(member.pk, "Gut.")]


@pytest.mark.parametrize("role", ["registered", "coordinator"])
def test_denied_cycle_writes_are_403_and_change_nothing(cycle, make_user, client, role):
    _office, cyc = cycle
    ind = Indicator.objects.select_related("measure__responsible_organisation").get(slug=INDICATOR)
    user = make_user("x@example.org", **({"coordinator_of": [ind.measure.responsible_organisation]}
                                         if role == "coordinator" else {}))
    client.force_login(user)
    before = _state()
    base = f"/monitoring/cycles/{cyc.slug}"
    responses = [
        client.post(f"{base}/close/"),
        client.post(f"{base}/measures/{MEASURE}/decision/", {"kind": "adjust_goals", "reason": "x",
                                                            f"target_{ind.pk}": "1", f"date_{ind.pk}": "2030-01-01"}),
        client.post("/monitoring/cycles/new/", {"slug": "z27", "name": "Z", "deadline": "2027-12-31"}),
        client.post(f"{base}/report/pdf/"),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert _state() == before
    assert EvaluationCycle.objects.get(pk=cyc.pk).state == "open" and EvaluationCycle.objects.count() == 3


def test_unknown_indicators_are_named_for_the_measure_or_the_strategy(seeded):
    from kompass.core.actors import SYSTEM

    measure = Indicator.objects.select_related("measure").get(slug=INDICATOR).measure
    rows = [{"_row": 2, "indicator": "gibt-es-nicht", "period": "2025", "value": "1"}]
    messages = []
    for scope in (measure, None):
        with pytest.raises(services.ImportRejected) as error:
            services.measurements_import(actor=SYSTEM, strategy=seeded, rows=rows, measure=scope)
        messages.append([str(e) for e in error.value.errors])
    assert messages == [["Row 2, column “indicator”: Unknown indicator “gibt-es-nicht” of this measure."],
                        ["Row 2, column “indicator”: Unknown indicator “gibt-es-nicht” in this strategy."]]


def test_a_method_change_says_whether_anything_changed(seeded):
    from kompass.core.actors import SYSTEM

    ind = Indicator.objects.select_related("measure__strategy").get(slug=INDICATOR)
    events = AuditEvent.objects.filter(action="monitoring.method_changed").count()
    assert services.method_change(actor=SYSTEM, indicator=ind, method=ind.method) is False
    assert AuditEvent.objects.filter(action="monitoring.method_changed").count() == events
    assert services.method_change(actor=SYSTEM, indicator=ind, method="linear", reason="Zählgröße") is True
    assert AuditEvent.objects.filter(action="monitoring.method_changed").count() == events + 1
    with pytest.raises(ValidationError) as error:
        services.method_change(actor=SYSTEM, indicator=ind, method="astrology")
    assert error.value.message_dict == {"method": ["Unknown progress method."]}
