"""Evaluation cycles, reviews, comments and decisions (monitoring/services/cycles.py), pinned where mutation testing
found them loose (docs/mutation/monitoring.md): all-or-nothing writes, the measure an indicator must belong to,
what a closed cycle refuses and what each write records."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kompass.accounts.models import UserGroup
from kompass.audit.models import AuditEvent
from kompass.core.actors import SYSTEM
from kompass.monitoring import services
from kompass.monitoring.models import BoardComment, Decision, EvaluationCycle, Goal, GoalAssessment, Indicator, Review

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
MEASURE_A = "bodenfeuchte-sensoren-strassenbaeume"  # the seeded measure with the lowest pk that has indicators
MEASURE_B = "vergabe-lab-innovative-beschaffung"


@pytest.fixture
def cycle(office_cycle):
    return office_cycle


def _indicator(measure_slug):
    return Indicator.objects.select_related("measure").filter(measure__slug=measure_slug).order_by("pk").first()


def test_opening_a_cycle_records_who_when_and_refuses_a_second_with_the_same_slug(cycle, seeded, make_user):
    office, cyc = cycle
    stored = EvaluationCycle.objects.get(pk=cyc.pk)
    assert (stored.name, stored.name_en, stored.deadline, stored.opened_by, stored.state) == (
        "Zyklus 2026", "Cycle 2026", datetime.date(2026, 12, 1), office, EvaluationCycle.State.OPEN)
    assert stored.snapshot_open  # the state at opening is kept for the diff
    event = AuditEvent.objects.get(action="monitoring.cycle_opened", object_id=str(cyc.pk))
    assert event.changes == {"name": [None, "Zyklus 2026"], "deadline": [None, "2026-12-01"]}
    with pytest.raises(ValidationError) as error:
        services.cycle_open(actor=office, strategy=seeded, slug="z26", name="Noch einmal",
                            deadline=datetime.date(2027, 1, 1))
    assert error.value.message_dict == {"slug": ["A cycle with this short name exists already."]}
    with pytest.raises(PermissionDenied):
        services.cycle_open(actor=make_user("nobody@example.org"), strategy=seeded, slug="z27", name="Z",
                            deadline=datetime.date(2027, 1, 1))
    assert not EvaluationCycle.objects.filter(slug="z27").exists()


def test_closing_a_cycle_once_records_it_and_closing_again_changes_nothing(cycle):
    office, cyc = cycle
    closed = services.cycle_close(actor=office, cycle=cyc)
    stored = EvaluationCycle.objects.get(pk=cyc.pk)
    assert (closed.state, stored.state) == (EvaluationCycle.State.CLOSED, EvaluationCycle.State.CLOSED)
    assert stored.closed_at is not None and stored.snapshot_close
    closed_at = stored.closed_at
    services.cycle_close(actor=office, cycle=stored)
    assert EvaluationCycle.objects.get(pk=cyc.pk).closed_at == closed_at
    events = AuditEvent.objects.filter(action="monitoring.cycle_closed", object_id=str(cyc.pk))
    assert [e.changes for e in events] == [{"state": ["open", "closed"]}]


def test_a_closed_cycle_takes_no_review_comment_or_decision(cycle):
    office, cyc = cycle
    services.cycle_close(actor=office, cycle=cyc)
    ind = _indicator(MEASURE_B)
    board = UserGroup.objects.filter(kind=UserGroup.Kind.BOARD).first()
    calls = [
        lambda: services.review_submit(actor=office, cycle=cyc, measure=ind.measure, learned="Viel"),
        lambda: services.comment_add(actor=office, cycle=cyc, measure=ind.measure, group=board, text="Gut"),
        lambda: services.decision_record(actor=office, cycle=cyc, measure=ind.measure, kind="continue",
                                         reason="Weiter"),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as error:
            call()
        assert error.value.messages == ["This evaluation cycle is closed."]
    assert not Review.objects.filter(cycle=cyc).exists() and not Decision.objects.filter(cycle=cyc).exists()


def test_a_review_is_stored_revised_and_its_assessments_mark_the_goals(cycle):
    office, cyc = cycle
    ind = _indicator(MEASURE_B)
    goal = Goal.objects.filter(measure=ind.measure).order_by("pk").first()
    with pytest.raises(ValidationError) as error:
        services.review_submit(actor=office, cycle=cyc, measure=ind.measure, learned="  ")
    assert error.value.message_dict == {"learned": ["Say what the team learned."]}
    first = services.review_submit(actor=office, cycle=cyc, measure=ind.measure, learned="Viel", proposed_changes="A",
                                   assessments={goal: ("achieved", "Läuft", 1)})
    again = services.review_submit(actor=office, cycle=cyc, measure=ind.measure, learned="Mehr",
                                   proposed_changes="B", assessments={goal: ("partly", "Wackelt", 0)})
    assert first.pk == again.pk
    review = Review.objects.get(pk=first.pk)
    assert (review.learned, review.proposed_changes, review.submitted_by) == ("Mehr", "B", office)
    assessment = GoalAssessment.objects.get(review=review, goal=goal)
    assert (assessment.rating, assessment.text, assessment.assumption_holds) == ("partly", "Wackelt", False)
    assert Goal.objects.get(pk=goal.pk).assumption_reviewed_in_id == cyc.pk
    events = AuditEvent.objects.filter(action="monitoring.review_submitted", object_id=str(review.pk)).order_by("pk")
    assert [e.changes["review"] for e in events] == [[None, ["Viel", "A"]], [["Viel", "A"], ["Mehr", "B"]]]


@pytest.mark.parametrize("bad", ["foreign_goal", "unknown_rating"])
def test_a_review_with_a_bad_assessment_writes_nothing(cycle, bad):
    office, cyc = cycle
    ind = _indicator(MEASURE_B)
    own = Goal.objects.filter(measure=ind.measure).order_by("pk").first()
    foreign = Goal.objects.exclude(measure=ind.measure).order_by("pk").first()
    assessments = {foreign: ("achieved", "", True)} if bad == "foreign_goal" else {own: ("splendid", "", True)}
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.review_submit(actor=office, cycle=cyc, measure=ind.measure, learned="Viel", assessments=assessments)
    assert error.value.messages == (["The goal does not belong to this measure."] if bad == "foreign_goal"
                                    else ["Unknown assessment."])
    assert not Review.objects.filter(cycle=cyc).exists()
    assert not GoalAssessment.objects.filter(review__cycle=cyc).exists() and AuditEvent.objects.count() == events
    assert Goal.objects.get(pk=own.pk).assumption_reviewed_in_id != cyc.pk


def test_only_boards_and_panels_comment_and_the_text_is_stored_stripped(cycle):
    office, cyc = cycle
    ind = _indicator(MEASURE_B)
    club = UserGroup.objects.create(slug="verein", name="Verein", kind=UserGroup.Kind.OTHER)
    with pytest.raises(ValidationError) as error:
        services.comment_add(actor=office, cycle=cyc, measure=ind.measure, group=club, text="Hallo")
    assert error.value.message_dict == {"group": ["Only boards and panels comment on reviews."]}
    panel = UserGroup.objects.create(slug="panel-x", name="Panel", kind=UserGroup.Kind.PANEL)
    with pytest.raises(ValidationError) as error:
        services.comment_add(actor=office, cycle=cyc, measure=ind.measure, group=panel, text="   ")
    assert error.value.message_dict == {"text": ["The comment is empty."]}
    comment = services.comment_add(actor=office, cycle=cyc, measure=ind.measure, group=panel, text="  Gut so. ")
    assert BoardComment.objects.get(pk=comment.pk).text == "Gut so."
    event = AuditEvent.objects.get(action="monitoring.comment_added", object_id=str(comment.pk))
    assert event.changes == {"text": [None, "Gut so."]}


@pytest.mark.parametrize(("decided", "foreign"), [(MEASURE_A, MEASURE_B), (MEASURE_B, MEASURE_A)])
def test_a_decision_refuses_an_indicator_of_another_measure_whichever_is_older(cycle, decided, foreign):
    office, cyc = cycle
    measure, other = _indicator(decided).measure, _indicator(foreign)
    for kwargs in ({"kind": "adjust_goals", "new_targets": [(other, 1, datetime.date(2030, 1, 1))]},
                   {"kind": "adjust_evaluation", "new_methods": [(other, "linear")]}):
        with pytest.raises(ValidationError) as error:
            services.decision_record(actor=office, cycle=cyc, measure=measure, reason="Neu", **kwargs)
        assert error.value.messages == ["The indicator does not belong to this measure."]
    assert not Decision.objects.filter(cycle=cyc).exists()


def test_a_decision_checks_its_kind_and_reason(cycle):
    office, cyc = cycle
    measure = _indicator(MEASURE_B).measure
    with pytest.raises(ValidationError) as error:
        services.decision_record(actor=office, cycle=cyc, measure=measure, kind="vertagen", reason="Neu")
    assert error.value.message_dict == {"kind": ["Unknown decision."]}
    with pytest.raises(ValidationError) as error:
        services.decision_record(actor=office, cycle=cyc, measure=measure, kind="continue", reason=" \n")
    assert error.value.message_dict == {"reason": ["Give the reason for the decision."]}
    with pytest.raises(ValidationError) as error:
        services.decision_record(actor=office, cycle=cyc, measure=measure, kind="adjust_goals", reason="Neu")
    assert error.value.message_dict == {"kind": ["Adjusting goals needs at least one new target."]}
    assert not Decision.objects.filter(cycle=cyc).exists()


def test_a_decision_is_revised_in_place_with_its_reason_stripped(cycle):
    office, cyc = cycle
    measure = _indicator(MEASURE_B).measure
    first = services.decision_record(actor=office, cycle=cyc, measure=measure, kind="continue", reason=" Gut ")
    again = services.decision_record(actor=SYSTEM, cycle=cyc, measure=measure, kind="scale", reason="Besser")
    assert first.pk == again.pk
    stored = Decision.objects.get(pk=first.pk)
    assert (stored.kind, stored.reason, stored.decided_by) == ("scale", "Besser", None)
    events = AuditEvent.objects.filter(action="monitoring.decision_recorded", object_id=str(first.pk)).order_by("pk")
    assert [e.changes["decision"] for e in events] == [[None, ["continue", "Gut"]],
                                                       [["continue", "Gut"], ["scale", "Besser"]]]


@pytest.mark.parametrize("bad", ["method", "target"])
def test_a_decision_whose_change_is_refused_writes_nothing(cycle, bad):
    office, cyc = cycle
    ind = _indicator(MEASURE_B)
    if bad == "method":
        kwargs = {"kind": "adjust_evaluation", "new_methods": [(ind, "astrology")]}
    else:  # a target date before the baseline
        kwargs = {"kind": "adjust_goals", "new_targets": [(ind, 12, datetime.date(2001, 1, 1))]}
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.decision_record(actor=office, cycle=cyc, measure=ind.measure, reason="Neu", **kwargs)
    assert not Decision.objects.filter(cycle=cyc).exists() and AuditEvent.objects.count() == events


def test_new_targets_of_a_decision_are_versions_of_this_cycle_and_refresh_the_status(cycle):
    from kompass.monitoring.models import IndicatorStatus

    office, cyc = cycle
    ind = _indicator(MEASURE_B)
    before = IndicatorStatus.objects.get(indicator=ind).components
    services.decision_record(actor=office, cycle=cyc, measure=ind.measure, kind="adjust_goals", reason=" Mehr ",
                             new_targets=[(ind, 90, datetime.date(2029, 1, 1))])
    version = ind.target_versions.order_by("-version").first()
    assert (version.value, version.cycle_id, version.reason) == (90, cyc.pk, "Mehr")
    assert IndicatorStatus.objects.get(indicator=ind).components != before


def test_a_decision_with_several_new_targets_refreshes_the_statuses_once(cycle, monkeypatch):
    from kompass.monitoring.services import cycles, targets

    office, cyc = cycle
    measure = _indicator(MEASURE_B).measure
    chosen = list(Indicator.objects.filter(measure=measure).order_by("pk")[:2])
    calls = []
    for module in (cycles, targets):
        real = module.refresh_statuses
        monkeypatch.setattr(module, "refresh_statuses", lambda *, _real=real, **kw: calls.append(kw) or _real(**kw))
    services.decision_record(actor=office, cycle=cyc, measure=measure, kind="adjust_goals", reason="Mehr",
                             new_targets=[(ind, 90, datetime.date(2029, 1, 1)) for ind in chosen])
    assert [sorted(call["indicator_ids"]) for call in calls] == [sorted(ind.pk for ind in chosen)]
