"""A django-tasks run (DBTaskResult) never stays RUNNING after its worker died (issue 12, found by
`make cluster-test`): the sweep ends it with the Kompass job's outcome, and a worker that lost its database while
recording an outcome ends that run itself once the database is back. Simulated on the database backend's rows,
no worker process: fast and deterministic."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from kompass.jobs.management.commands import db_worker
from kompass.jobs.models import Job
from kompass.jobs.services import job_start, jobs_sweep, settle_task_run

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LONG_AGO = timedelta(seconds=121)  # just over the default lease of 120 s


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def claimed(make_user, django_capture_on_commit_callbacks):
    """A job enqueued on the database backend whose run a worker ("worker-a") has taken."""
    from tests.jobs.sample_tasks import count_to

    def make(**job_fields):
        with override_settings(TASKS=DB_BACKEND), django_capture_on_commit_callbacks(execute=True):
            job = job_start(actor=make_user(f"owner{Job.objects.count()}@example.org"), kind="test",
                            title="Zählen", task=count_to, args=[3])
        job.refresh_from_db()
        run = DBTaskResult.objects.get(pk=job.task_result_id)
        assert run.status == "READY"
        run.claim("worker-a")
        Job.objects.filter(pk=job.pk).update(**job_fields)
        return Job.objects.get(pk=job.pk), run

    return make


def _status(run: DBTaskResult) -> str:
    run.refresh_from_db()
    return run.status


@pytest.mark.django_db
def test_the_sweep_fails_the_run_of_a_job_whose_worker_died(claimed):
    now = timezone.now()
    alive, alive_run = claimed(status=Job.Status.RUNNING, started_at=now, heartbeat_at=now)
    dead, dead_run = claimed(status=Job.Status.RUNNING, started_at=now - LONG_AGO, heartbeat_at=now - LONG_AGO)

    assert jobs_sweep() == [str(dead.pk)]

    dead.refresh_from_db()
    assert dead.status == Job.Status.FAILED
    assert _status(dead_run) == "FAILED" and dead_run.finished_at is not None
    error = dead_run.task_result.errors[0]  # what django-tasks' own API reports for the run
    assert error.exception_class_path == "kompass.jobs.services.WorkerLost"
    assert "no sign of life for 120 seconds" in error.traceback and dead.message in error.traceback
    assert dead_run.worker_ids == ["worker-a"]  # not run again: its owner starts the job again instead
    assert _status(alive_run) == "RUNNING"  # a job with a fresh heartbeat keeps its run
    assert jobs_sweep() == [] and _status(dead_run) == "FAILED"


@pytest.mark.django_db
def test_a_run_left_running_after_its_job_ended_takes_the_jobs_outcome_a_lease_later(claimed):
    now = timezone.now()
    done_old, done_old_run = claimed(status=Job.Status.DONE, finished_at=now - LONG_AGO)
    failed_old, failed_old_run = claimed(status=Job.Status.FAILED, finished_at=now - LONG_AGO, message="kaputt")
    done_now, done_now_run = claimed(status=Job.Status.DONE, finished_at=now)

    assert jobs_sweep() == []  # no Kompass job changes: they had ended already

    assert _status(done_old_run) == "SUCCESSFUL" and done_old_run.finished_at is not None
    assert _status(failed_old_run) == "FAILED"
    assert failed_old_run.exception_class_path == "kompass.jobs.services.WorkerLost"
    assert "before it recorded the end" in failed_old_run.traceback
    # just finished: the worker may still be recording the outcome itself
    assert _status(done_now_run) == "RUNNING"
    with override_settings(JOB_LEASE_SECONDS=0):
        jobs_sweep()
    assert _status(done_now_run) == "SUCCESSFUL"


@pytest.mark.django_db
def test_a_run_that_ended_meanwhile_keeps_its_own_outcome(claimed):
    job, run = claimed(status=Job.Status.FAILED, finished_at=timezone.now() - LONG_AGO)
    run.set_successful("fertig")
    assert settle_task_run(str(run.pk), "too late") is False
    run.refresh_from_db()
    assert (run.status, run.return_value) == ("SUCCESSFUL", "fertig")


@pytest.mark.django_db
def test_a_worker_ends_the_run_it_could_not_record_once_the_database_is_back(claimed, monkeypatch):
    job, run = claimed(status=Job.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now())
    calls = []

    def upstream_run(self):
        calls.append(1)
        if len(calls) == 1:
            self.run_task(run)  # the database goes while the outcome is stored
        self.running = False

    def upstream_run_task(self, db_task_result):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(db_worker.upstream.Worker, "run", upstream_run)
    monkeypatch.setattr(db_worker.upstream.Worker, "run_task", upstream_run_task)
    monkeypatch.setattr(db_worker.time, "sleep", lambda s: None)
    monkeypatch.setattr(db_worker.connections, "close_all", lambda: None)
    worker = db_worker.ResilientWorker(queue_names=["default"], interval=0.1, batch=False, backend_name="default",
                                       startup_delay=False, max_tasks=None, worker_id="worker-a",
                                       excluded_queue_names=[])
    worker.run()

    assert len(calls) == 2 and worker.unrecorded is None
    assert _status(run) == "FAILED"
    assert run.exception_class_path == "kompass.jobs.services.WorkerLost"
    assert "lost its database connection" in run.traceback
