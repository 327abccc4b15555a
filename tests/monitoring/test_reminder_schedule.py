"""Indicator reminders are a recurring job on the database task queue (ADR 0081): `kompass
send_indicator_reminders --schedule` queues the daily job once, the task worker (`db_worker`) runs it when due,
each run queues the next one for the following day, and reminders still go out once per due date."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from kompass.core.actors import system_actor
from kompass.jobs.models import Job
from kompass.monitoring import services
from kompass.monitoring.models import Goal, Indicator

pytestmark = pytest.mark.django_db(transaction=True)

ACTOR = system_actor("test")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued():
    return list(Job.objects.filter(kind=services.REMINDER_JOB, status=Job.Status.QUEUED))


def _run_after(job):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.get(pk=job.task_result_id).run_after


def _make_due(job):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=job.task_result_id).update(run_after=timezone.now() - datetime.timedelta(1))


def _work():
    call_command("db_worker", batch=True, startup_delay=False, interval=0)


@pytest.fixture
def overdue_indicator(berlin_committed, make_user):
    measure = berlin_committed.measures.order_by("pk").first()
    goal = Goal.objects.create(measure=measure, slug="ziel", level="output", title="Ziel")
    owner = make_user("owner@example.org")
    return Indicator.objects.create(goal=goal, measure=measure, slug="ueberfaellig", name="Überfällig",
                                    unit="Anzahl", baseline_value=1, baseline_date=datetime.date(2001, 1, 1),
                                    owner=owner)


def test_the_next_run_is_the_next_reminder_hour():
    tz = timezone.get_current_timezone()
    early = datetime.datetime(2026, 3, 2, 5, 30, tzinfo=tz)
    late = datetime.datetime(2026, 3, 2, 6, 0, tzinfo=tz)
    assert services.next_reminder_run(early) == datetime.datetime(2026, 3, 2, 6, 0, tzinfo=tz)
    assert services.next_reminder_run(late) == datetime.datetime(2026, 3, 3, 6, 0, tzinfo=tz)
    with override_settings(KOMPASS_REMINDER_HOUR=22):
        assert services.next_reminder_run(late).hour == 22


@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_sends_once_per_due_date_and_queues_the_next_day(overdue_indicator, capsys):
    call_command("send_indicator_reminders", schedule=True)
    call_command("send_indicator_reminders", schedule=True)  # safe twice: one schedule
    (first,) = _queued()
    assert "queued" in capsys.readouterr().out
    assert _run_after(first) == services.next_reminder_run()
    _work()  # not due yet: nothing is sent
    first.refresh_from_db()
    assert first.status == Job.Status.QUEUED and mail.outbox == []

    _make_due(first)
    _work()
    first.refresh_from_db()
    assert first.status == Job.Status.DONE and first.result["sent"] == 1
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]
    (second,) = _queued()
    assert first.result["next_job"] == str(second.pk)
    assert _run_after(second) == services.next_reminder_run() > timezone.now()
    call_command("send_indicator_reminders", schedule=True)
    assert _queued() == [second] and "already queued" in capsys.readouterr().out

    _make_due(second)  # the next day: the same due date is not reminded again
    _work()
    second.refresh_from_db()
    assert second.status == Job.Status.DONE and second.result["sent"] == 0
    assert len(mail.outbox) == 1 and len(_queued()) == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_schedule_restores_a_lost_schedule(overdue_indicator):
    services.indicator_reminders_schedule(actor=ACTOR)
    Job.objects.filter(kind=services.REMINDER_JOB).update(status=Job.Status.FAILED)  # e.g. the worker died
    assert _queued() == []
    call_command("send_indicator_reminders", schedule=True)
    assert len(_queued()) == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_two_queued_runs_converge_on_one_schedule(overdue_indicator):
    """Two schedulers that raced on an empty queue: both runs happen, one reminder is sent, one follower stays."""
    from kompass.jobs.services import job_start
    from kompass.monitoring.tasks import indicator_reminders_task

    past = timezone.now() - datetime.timedelta(minutes=1)
    for _ in range(2):
        job_start(actor=ACTOR, kind=services.REMINDER_JOB, title="x", task=indicator_reminders_task,
                  run_after=past)
    _work()
    assert Job.objects.filter(kind=services.REMINDER_JOB, status=Job.Status.DONE).count() == 2
    assert len(mail.outbox) == 1 and len(_queued()) == 1


def test_the_immediate_backend_cannot_schedule(overdue_indicator):
    assert services.indicator_reminders_schedule(actor=ACTOR) is None
    with pytest.raises(Exception, match="cannot run jobs later") as exc:
        call_command("send_indicator_reminders", schedule=True)
    assert exc.value.returncode == 2
