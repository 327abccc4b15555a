"""Harvesting followed sources is a recurring job per follow: following queues the first harvest, every harvest
queues the next one `interval_hours` later, the task worker (`db_worker`) runs them when due, and
`kompass harvest --schedule` restores a missing schedule without duplicating one."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from kompass.core.actors import system_actor
from kompass.jobs.models import Job
from kompass.opendata import services
from kompass.opendata.models import Source

pytestmark = pytest.mark.django_db(transaction=True)

ACTOR = system_actor("test")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued(source):
    return [j for j in Job.objects.filter(kind=services.HARVEST_JOB, status=Job.Status.QUEUED)
            if j.task_args == [source.pk]]


def _run_after(job):
    from django_tasks_db.models import DBTaskResult

    value = DBTaskResult.objects.get(pk=job.task_result_id).run_after
    return None if value.year == 9999 else value  # the backend stores "no run_after" as the largest date


def _work():
    call_command("db_worker", batch=True, startup_delay=False, interval=0)


@override_settings(TASKS=DATABASE_TASKS)
def test_following_queues_a_harvest_and_each_harvest_queues_the_next(capsys):
    # Nothing listens on port 9: the harvest fails, which is recorded and does not end the schedule.
    source = services.source_follow(actor=ACTOR, name="Nirgendwo", url="http://127.0.0.1:9", interval_hours=6)
    (first,) = _queued(source)
    assert _run_after(first) is None  # due now

    before = timezone.now()
    _work()
    first.refresh_from_db()
    source.refresh_from_db()
    assert first.status == Job.Status.DONE
    assert first.result["harvested"] is True and first.result["error"]
    assert source.last_status == "error" and source.last_harvest_at >= before
    (second,) = _queued(source)
    assert second.pk != first.pk and first.result["next_job"] == str(second.pk)
    due = _run_after(second)
    assert before + datetime.timedelta(hours=6) <= due <= timezone.now() + datetime.timedelta(hours=6)

    _work()  # not due yet: the worker leaves it queued
    second.refresh_from_db()
    assert second.status == Job.Status.QUEUED

    call_command("harvest", schedule=True)  # idempotent: the schedule exists
    assert _queued(source) == [second]
    assert "already queued" in capsys.readouterr().out


@override_settings(TASKS=DATABASE_TASKS)
def test_schedule_command_restores_a_lost_schedule_at_the_due_time():
    source = services.source_follow(actor=ACTOR, name="Nirgendwo", url="http://127.0.0.1:9", interval_hours=24)
    Job.objects.filter(kind=services.HARVEST_JOB).update(status=Job.Status.FAILED)  # e.g. the worker died
    last = timezone.now() - datetime.timedelta(hours=5)
    Source.objects.filter(pk=source.pk).update(last_harvest_at=last)
    call_command("harvest", schedule=True)
    (job,) = _queued(source)
    assert _run_after(job) == last + datetime.timedelta(hours=24)


@override_settings(TASKS=DATABASE_TASKS)
def test_an_unfollowed_source_ends_its_schedule():
    source = services.source_follow(actor=ACTOR, name="Nirgendwo", url="http://127.0.0.1:9")
    Source.objects.filter(pk=source.pk).update(is_active=False)
    _work()
    (job,) = Job.objects.filter(kind=services.HARVEST_JOB)
    assert job.status == Job.Status.DONE and job.result["harvested"] is False
    assert _queued(source) == []
    assert Source.objects.get(pk=source.pk).last_harvest_at is None


def test_the_immediate_backend_of_the_tests_schedules_nothing():
    source = services.source_follow(actor=ACTOR, name="Nirgendwo", url="http://127.0.0.1:9")
    assert services.harvest_schedule(actor=ACTOR, source=source) is None
    assert not Job.objects.filter(kind=services.HARVEST_JOB).exists()
    with pytest.raises(Exception, match="cannot run jobs later") as exc:
        call_command("harvest", schedule=True)
    assert exc.value.returncode == 2
