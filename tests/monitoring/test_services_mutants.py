"""Monitoring services, pinned where mutation testing found them loose (docs/mutation/monitoring.md)."""

import pytest

from kompass.audit.models import AuditEvent
from kompass.core.actors import SYSTEM
from kompass.lifecycle.models import TeamMember
from kompass.monitoring import services
from kompass.monitoring.models import Indicator

pytestmark = pytest.mark.django_db

COUNT = "bsp-nachnutzungen"  # a count indicator of the seeded Berlin monitoring data


def test_an_import_reports_what_it_wrote_and_no_errors(seeded):
    indicator = Indicator.objects.select_related("measure").get(slug=COUNT)
    rows = [{"_row": 2, "indicator": COUNT, "period": "2023", "value": "7123"},
            {"_row": 3, "indicator": COUNT, "period": "2024", "value": "8456"}]
    first = services.measurements_import(actor=SYSTEM, strategy=seeded, rows=rows, measure=indicator.measure)
    again = services.measurements_import(actor=SYSTEM, strategy=seeded, rows=rows, measure=indicator.measure)
    assert (first.created + first.updated, first.unchanged, first.errors, first.ok) == (2, 0, [], True)
    assert (again.created, again.updated, again.unchanged, again.errors, again.ok) == (0, 0, 2, [], True)
    assert first.errors is not again.errors  # each result has its own list


def test_setting_the_same_owner_again_says_unchanged_and_writes_nothing(seeded, make_user):
    indicator = Indicator.objects.select_related("measure__responsible_organisation").get(slug=COUNT)
    owner = make_user("owner@example.org", member_of=[indicator.measure.responsible_organisation])
    TeamMember.objects.create(measure=indicator.measure, user=owner, role="member")
    events = AuditEvent.objects.filter(action="monitoring.indicator_owner_set")
    assert services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=owner) is True
    assert services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=owner) is False
    assert events.count() == 1
    assert services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=None) is True
    assert services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=None) is False
    assert events.count() == 2 and Indicator.objects.get(pk=indicator.pk).owner_id is None


def test_a_method_change_to_any_other_method_is_written_and_the_same_method_is_not(seeded):
    from kompass.monitoring.services.targets import METHODS

    indicator = Indicator.objects.select_related("measure").get(slug=COUNT)
    others = sorted(set(METHODS) - {indicator.method})
    assert len(others) >= 2
    for method in [*others, *reversed(others)]:  # upwards and downwards in alphabetical order
        if method == indicator.method:
            continue
        assert services.method_change(actor=SYSTEM, indicator=indicator, method=method, reason="Test") is True
        indicator = Indicator.objects.get(pk=indicator.pk)
        assert indicator.method == method
        assert services.method_change(actor=SYSTEM, indicator=indicator, method=method, reason="Test") is False


def test_a_board_is_created_once_with_an_audit_event_and_only_by_the_office(make_user):
    from django.core.exceptions import PermissionDenied

    from kompass.accounts.models import UserGroup

    first = services.board_ensure(actor=SYSTEM, slug="beirat", name="Strategiebeirat", kind="board",
                                  name_en="Strategy council", audit_label="seed")
    again = services.board_ensure(actor=SYSTEM, slug="beirat", name="Anderer Name", kind="panel")
    assert first.pk == again.pk
    group = UserGroup.objects.get(pk=first.pk)
    assert (group.name, group.name_en, group.kind) == ("Strategiebeirat", "Strategy council", "board")
    events = AuditEvent.objects.filter(action="monitoring.board_created", object_id=str(first.pk))
    assert [e.changes for e in events] == [{"name": [None, "Strategiebeirat"], "kind": [None, "board"]}]
    with pytest.raises(PermissionDenied):
        services.board_ensure(actor=make_user("someone@example.org"), slug="x", name="X", kind="board")


TARGET = "bsp-komponenten-veroeffentlicht"  # count, baseline 2022-01-01, target 20 by 2026 (entered as a year)


def _versions(indicator):
    return list(indicator.target_versions.order_by("version").values_list(
        "version", "value", "target_date", "target_date_precision"))


def test_a_target_must_lie_after_the_baseline_and_be_a_finite_plausible_number(seeded):
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import translation

    indicator = Indicator.objects.select_related("measure").get(slug=TARGET)
    before = _versions(indicator)
    cases = [(5, indicator.baseline_date, "target_date", "The target date must lie after the baseline date."),
             (float("nan"), datetime.date(2030, 1, 1), "value", "The target must be a finite number."),
             (-5, datetime.date(2030, 1, 1), "value", "A count or amount cannot be negative.")]
    for value, day, field, message in cases:
        with translation.override("en"), pytest.raises(ValidationError) as error:
            services.target_add(actor=SYSTEM, indicator=indicator, value=value, target_date=day)
        assert error.value.message_dict == {field: [message]}
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.target_add(actor=SYSTEM, indicator=indicator, value=5, target_date=datetime.date(2030, 1, 1),
                            precision="week")
    assert error.value.message_dict == {"target_date": ["Unknown precision of the date."]}
    assert _versions(indicator) == before
    day_after = indicator.baseline_date + datetime.timedelta(days=1)
    version = services.target_add(actor=SYSTEM, indicator=indicator, value=5, target_date=day_after)
    assert (version.version, version.target_date) == (before[-1][0] + 1, day_after)


def test_a_new_target_version_only_when_value_or_date_change_and_the_date_keeps_its_precision(seeded):
    import datetime

    indicator = Indicator.objects.select_related("measure").get(slug=TARGET)
    (_v, value, day, precision), = _versions(indicator)
    assert precision == "year"
    same = services.target_add(actor=SYSTEM, indicator=indicator, value=value, target_date=day)
    assert same.version == 1 and len(_versions(indicator)) == 1
    services.target_add(actor=SYSTEM, indicator=indicator, value=value + 1, target_date=day)  # new value only
    services.target_add(actor=SYSTEM, indicator=indicator, value=value + 1, target_date=datetime.date(2028, 1, 1))
    services.target_add(actor=SYSTEM, indicator=indicator, value=value + 1, target_date=datetime.date(2027, 1, 1))
    assert _versions(indicator) == [(1, value, day, "year"), (2, value + 1, day, "year"),
                                    (3, value + 1, datetime.date(2028, 1, 1), "day"),
                                    (4, value + 1, datetime.date(2027, 1, 1), "day")]


def test_a_target_version_records_who_why_and_what_it_replaced(seeded, make_user):
    import datetime

    from kompass.monitoring.models import IndicatorStatus

    indicator = Indicator.objects.select_related("measure__responsible_organisation").get(slug=TARGET)
    member = make_user("member@example.org", member_of=[indicator.measure.responsible_organisation])
    status = IndicatorStatus.objects.get(indicator=indicator).components
    quiet = services.target_add(actor=member, indicator=indicator, value=35, target_date=datetime.date(2026, 1, 1),
                                reason="Mehr", reason_en="More", refresh=False, audit_label="Formular")
    assert (quiet.created_by, quiet.reason, quiet.reason_en) == (member, "Mehr", "More")
    assert IndicatorStatus.objects.get(indicator=indicator).components == status  # not refreshed
    event = AuditEvent.objects.get(action="monitoring.target_added", object_id=str(indicator.pk))
    assert event.changes == {"target": [[20.0, "2026-01-01"], [35.0, "2026-01-01"]], "reason": [None, "Mehr"],
                             "precision": [None, "year"]}
    assert event.actor_label == "Formular"
    services.target_add(actor=SYSTEM, indicator=indicator, value=45, target_date=datetime.date(2026, 1, 1))
    assert IndicatorStatus.objects.get(indicator=indicator).components != status


def test_the_next_reminder_run_is_the_next_reminder_hour_after_the_given_time(settings):
    import datetime

    from django.utils import timezone

    tz = timezone.get_current_timezone()
    at = datetime.datetime(2026, 3, 2, 6, 0, tzinfo=tz)
    assert services.next_reminder_run(at - datetime.timedelta(minutes=1)) == at
    assert services.next_reminder_run(at) == at + datetime.timedelta(days=1)
    assert services.next_reminder_run(datetime.datetime(2026, 3, 2, 23, 59, tzinfo=tz)) == datetime.datetime(
        2026, 3, 3, 6, 0, tzinfo=tz)
    settings.KOMPASS_REMINDER_HOUR = "9"
    assert services.next_reminder_run(at) == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=tz)
    now = timezone.localtime()
    default = services.next_reminder_run()
    assert now < default <= now + datetime.timedelta(days=1, hours=1) and (default.hour, default.minute) == (9, 0)


def test_an_owner_outside_the_team_is_refused_and_a_new_owner_is_recorded_and_resets_the_reminder(seeded, make_user):
    import datetime

    from django.core.exceptions import ValidationError

    indicator = Indicator.objects.select_related("measure").get(slug=COUNT)
    stranger = make_user("stranger@example.org")
    with pytest.raises(ValidationError):
        services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=stranger)
    owner = make_user("owner@example.org")
    TeamMember.objects.create(measure=indicator.measure, user=owner, role="member")
    Indicator.objects.filter(pk=indicator.pk).update(reminded_for=datetime.date(2026, 1, 1))
    assert services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=owner) is True
    stored = Indicator.objects.get(pk=indicator.pk)
    assert (stored.owner_id, stored.reminded_for, indicator.owner, indicator.reminded_for) == (
        owner.pk, None, owner, None)
    services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=None)
    events = AuditEvent.objects.filter(action="monitoring.indicator_owner_set").order_by("pk")
    assert [e.changes for e in events] == [{"owner": [None, str(owner.pk)]}, {"owner": [str(owner.pk), None]}]


@pytest.mark.parametrize("overdue", [False, True])
def test_a_reminder_names_the_indicator_its_measure_and_the_due_date(seeded, make_user, overdue):
    import datetime

    from django.core import mail
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    from kompass.core import formats
    from kompass.monitoring import updates

    indicator = Indicator.objects.select_related("measure").get(slug=COUNT)
    owner = make_user("owner@example.org")
    TeamMember.objects.create(measure=indicator.measure, user=owner, role="member")
    services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=owner)
    [(_ind, state)] = [(i, s) for i, s in updates.due_for_reminder(datetime.date(2100, 1, 1)) if i.pk == indicator.pk]
    due = state.due
    today = due + datetime.timedelta(days=3) if overdue else due - datetime.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        services.indicator_reminders_send(actor=make_user("office@example.org", office=True), today=today)
    with translation.override("en"):
        assert services.indicator_reminders_send(actor=SYSTEM, today=today) == 1
        when = ("was due on " if overdue else "is due on ") + formats.date(due)
    [message] = mail.outbox
    assert message.subject == f"Kompass: indicator “{indicator.name}” needs its next value"
    assert message.body.splitlines()[:3] == [
        "Hello,", "", f"the next value of the indicator “{indicator.name}” ({indicator.measure.title}) {when}."]
    assert message.body.splitlines()[3] == "Enter it here:" and message.to == [owner.email]
    event = AuditEvent.objects.get(action="monitoring.indicator_reminders_sent")
    assert event.changes == {"indicators": [None, [indicator.pk]]}
    assert Indicator.objects.get(pk=indicator.pk).reminded_for == due


def test_a_refresh_reports_progress_only_every_thousand_indicators(seeded):
    calls = []
    report = services.refresh_statuses(strategy=seeded, progress=lambda done, total: calls.append((done, total)))
    assert report["indicators"] == Indicator.objects.count() < 1000 and calls == []


def test_reminders_are_scheduled_once_by_a_system_job_or_an_admin(make_user):
    import datetime

    from django.core.exceptions import PermissionDenied
    from django.test import TestCase, override_settings
    from django_tasks_db.models import DBTaskResult

    from kompass.jobs.models import Job

    database_tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run_after(job):
        job.refresh_from_db()
        return DBTaskResult.objects.get(pk=job.task_result_id).run_after

    with pytest.raises(PermissionDenied):
        services.indicator_reminders_schedule(actor=make_user("office@example.org", office=True))
    assert services.indicator_reminders_schedule(actor=SYSTEM) is None  # the tests' backend cannot run jobs later
    assert not Job.objects.filter(kind=services.REMINDER_JOB).exists()
    with override_settings(TASKS=database_tasks):
        with TestCase.captureOnCommitCallbacks(execute=True):
            job = services.indicator_reminders_schedule(actor=SYSTEM)
        assert (job.kind, job.status) == (services.REMINDER_JOB, Job.Status.QUEUED)
        assert run_after(job) == services.next_reminder_run()
        assert services.indicator_reminders_schedule(actor=SYSTEM) is None  # one schedule
        Job.objects.all().update(status=Job.Status.DONE)
        later = datetime.datetime(2030, 1, 1, 6, tzinfo=datetime.UTC)
        with TestCase.captureOnCommitCallbacks(execute=True):
            other = services.indicator_reminders_schedule(actor=make_user("admin@example.org", admin=True),
                                                          run_after=later)
        assert run_after(other) == later
    assert list(Job.objects.filter(kind=services.REMINDER_JOB, status=Job.Status.QUEUED)) == [other]


def test_an_indicator_a_parallel_run_claimed_is_skipped_and_the_others_still_reminded(seeded, make_user,
                                                                                       monkeypatch):
    import datetime

    from django.core import mail

    from kompass.monitoring import updates

    owner = make_user("owner@example.org")
    measure = Indicator.objects.get(slug=COUNT).measure
    TeamMember.objects.create(measure=measure, user=owner, role="member")
    for indicator in Indicator.objects.select_related("measure").filter(measure=measure):
        services.indicator_owner_set(actor=SYSTEM, indicator=indicator, owner=owner)
    real = updates.due_for_reminder

    def raced(today=None):  # another run claims the first due date between reading and claiming
        due = real(today)
        first, state = due[0]
        Indicator.objects.filter(pk=first.pk).update(reminded_for=state.due)
        return due

    monkeypatch.setattr(updates, "due_for_reminder", raced)
    today = datetime.date(2100, 1, 1)
    due = real(today)
    assert len(due) >= 2
    assert services.indicator_reminders_send(actor=SYSTEM, today=today) == len(due) - 1
    assert len(mail.outbox) == len(due) - 1
    sent = AuditEvent.objects.get(action="monitoring.indicator_reminders_sent").changes["indicators"][1]
    assert sent == [i.pk for i, _state in due[1:]]


def test_the_first_target_of_a_new_indicator_is_version_1_and_a_version_written_directly_refreshes(seeded):
    import datetime

    from django.core.exceptions import ValidationError

    from kompass.monitoring.models import IndicatorStatus

    indicator = Indicator.objects.select_related("measure").get(slug=TARGET)
    goal = indicator.goal
    new, _changes = services.indicator_save(actor=SYSTEM, goal=goal, slug="neu", data={
        "name": "Neu", "unit": "Anzahl", "baseline_value": 1.0, "baseline_date": datetime.date(2022, 1, 1)})
    version = services.target_add(actor=SYSTEM, indicator=new, value=9, target_date=datetime.date(2027, 1, 1),
                                  precision="year")
    assert (version.version, version.target_date_precision) == (1, "year")
    event = AuditEvent.objects.get(action="monitoring.target_added", object_id=str(new.pk))
    assert event.changes["target"] == [None, [9.0, "2027-01-01"]]
    with pytest.raises(ValidationError) as error:  # before the baseline
        services.target_add(actor=SYSTEM, indicator=new, value=9, target_date=datetime.date(2021, 6, 1))
    assert list(error.value.message_dict) == ["target_date"] and new.target_versions.count() == 1
    before = IndicatorStatus.objects.get(indicator=indicator).components
    services.add_target_version(actor=SYSTEM, indicator=indicator, value=35, target_date=datetime.date(2026, 1, 1))
    assert IndicatorStatus.objects.get(indicator=indicator).components != before
