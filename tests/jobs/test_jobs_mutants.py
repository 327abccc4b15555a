"""Progress throttling and job starts, pinned where mutation testing found them loose (docs/mutation/core.md)."""

import pytest
from django.core.files.base import ContentFile
from django_tasks import task

from kompass.jobs.models import Job
from kompass.jobs.services import Progress, job_start, job_task

pytestmark = pytest.mark.django_db


def test_a_first_write_at_step_zero_also_throttles_the_next_steps():
    job = Job.objects.create(kind="test", title="t")
    progress = Progress(job.pk, total=10, every=5)
    written = []
    for step in range(0, 6):
        progress.update(step)
        written.append(Job.objects.get(pk=job.pk).progress_done)
    assert written == [0, 0, 0, 0, 0, 5]


def test_progress_is_written_once_at_least_every_steps_have_passed_also_for_uneven_steps_and_past_the_total():
    """Steps of 3, 4, 1, 4 and 1 with a write at most every 5 steps: written at 0, 7 (7 since the last write)
    and 12 (5 since); 13 lies beyond the announced total of 10 and only 1 step after the last write."""
    job = Job.objects.create(kind="test", title="t")
    progress = Progress(job.pk, total=10, every=5)
    written = []
    for step in (0, 3, 7, 8, 12, 13):
        progress.update(step)
        written.append(Job.objects.get(pk=job.pk).progress_done)
    assert written == [0, 0, 7, 7, 12, 12]


@task()
@job_task
def write_report(progress, text: str):
    progress.update(1, total=1)
    return {"rows": 1, "result_file": ("bericht.csv", ContentFile(text.encode())), "summary": "1 Zeile"}


def test_a_result_file_of_a_job_is_stored_and_kept_out_of_the_result(make_user, django_capture_on_commit_callbacks):
    office = make_user("office@example.org", office=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=office, kind="test", title="Bericht", task=write_report, args=["a;b\n1;2\n"])
    job.refresh_from_db()
    assert job.status == "done" and job.result == {"rows": 1}
    assert job.result_file.name.endswith(".csv") and job.result_file.read() == b"a;b\n1;2\n"


def test_the_last_step_of_a_long_job_is_always_written():
    job = Job.objects.create(kind="test", title="t")
    total = int("1000")  # as read from a file: not one of CPython's cached small ints
    progress = Progress(job.pk, total=total, every=300)
    for step in range(1, 1001):
        progress.update(step)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (1000, 1000)


def test_a_long_title_is_cut_to_the_250_characters_of_the_field(make_user):
    from tests.jobs.sample_tasks import count_to

    job = job_start(actor=make_user("office@example.org", office=True), kind="test", title="Ä" * 300,
                    task=count_to, args=[1])
    assert Job.objects.get(pk=job.pk).title == "Ä" * 250


def test_a_failing_heartbeat_is_logged_and_ends_only_the_heartbeat(monkeypatch, settings):
    import logging
    import threading

    from kompass.jobs import services

    def broken_sweep():
        raise RuntimeError("sweep failed")

    records, unhandled = [], []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("kompass.jobs.services")
    logger.addHandler(handler)
    monkeypatch.setattr(services, "jobs_sweep", broken_sweep)
    monkeypatch.setattr(threading, "excepthook", unhandled.append)
    settings.JOB_HEARTBEAT_SECONDS = 0.01
    try:
        beat = services._Heartbeat(0)
        beat.start()
        beat.join(timeout=30)
    finally:
        logger.removeHandler(handler)
    assert not beat.is_alive() and not unhandled
    assert [r.getMessage() for r in records] == ["heartbeat of job 0"]


def test_progress_treats_an_interval_below_one_as_every_step():
    assert [Progress(1, every=n).every for n in (-3, 0, 1, 4)] == [1, 1, 1, 4]


def test_a_progress_message_is_cut_to_the_300_characters_of_the_field():
    job = Job.objects.create(kind="test", title="t")
    Progress(job.pk).update(1, message="ß" * 400)
    job.refresh_from_db()
    assert job.message == "ß" * 300


def test_the_failure_message_names_the_error_or_its_class_and_keeps_a_refusals_own_words():
    from django.core.exceptions import ValidationError

    from kompass.jobs.services import failure_message

    assert "(Datei fehlt)" in failure_message(ValueError("Datei fehlt"))
    assert "(ValueError)" in failure_message(ValueError())
    assert failure_message(ValidationError(["Zeile 2 fehlt.", "Zeile 3 fehlt."])) == "Zeile 2 fehlt. Zeile 3 fehlt."


def test_without_a_setting_the_lease_is_two_minutes(settings):
    from kompass.jobs.services import _lease

    del settings.JOB_LEASE_SECONDS
    assert _lease() == 120
    settings.JOB_LEASE_SECONDS = "45"
    assert _lease() == 45


def _running(heartbeat_at=None, started_at=None, **fields):
    return Job.objects.create(kind="test", title="t", status=Job.Status.RUNNING, heartbeat_at=heartbeat_at,
                              started_at=started_at, **fields)


def test_the_sweep_fails_a_running_job_only_after_a_whole_lease_without_a_heartbeat(settings, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from kompass.audit.models import AuditEvent
    from kompass.jobs.services import jobs_sweep

    settings.JOB_LEASE_SECONDS = 60
    settings.KOMPASS_PRIVATE_ROOT = tmp_path
    (tmp_path / "upload.csv").write_text("a;b")
    now = timezone.now()
    fresh = _running(heartbeat_at=now - timedelta(seconds=60))
    dead = _running(heartbeat_at=now - timedelta(seconds=61), temp_files=["upload.csv"])
    never_beat = _running(started_at=now - timedelta(seconds=61))
    just_started = _running(started_at=now - timedelta(seconds=59))
    done = Job.objects.create(kind="test", title="t", status=Job.Status.DONE, heartbeat_at=now - timedelta(days=1))
    assert sorted(jobs_sweep(now=now)) == sorted([str(dead.pk), str(never_beat.pk)])
    states = {j.pk: j.status for j in Job.objects.all()}
    assert states == {fresh.pk: "running", dead.pk: "failed", never_beat.pk: "failed", just_started.pk: "running",
                      done.pk: "done"}
    dead.refresh_from_db()
    assert "60" in dead.message and dead.finished_at is not None
    assert not (tmp_path / "upload.csv").exists()
    event = AuditEvent.objects.get(action="job.failed", object_id=str(dead.pk))
    assert "job-sweep" in str(event.actor_label)
    assert jobs_sweep(now=now) == []  # a failed job is not failed (or audited) twice
    assert AuditEvent.objects.filter(action="job.failed", object_id=str(dead.pk)).count() == 1


def test_a_temporary_file_that_cannot_be_removed_is_logged_and_the_others_are_still_removed(settings, tmp_path,
                                                                                               caplog):
    from kompass.jobs.services import _remove_temp_files

    settings.KOMPASS_PRIVATE_ROOT = tmp_path
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "inside.txt").write_text("x")  # a directory that is not empty cannot be deleted
    (tmp_path / "later.csv").write_text("x")
    job = Job.objects.create(kind="test", title="t", temp_files=["busy", "later.csv", "gone.csv"])
    with caplog.at_level("WARNING", logger="kompass.jobs.services"):
        _remove_temp_files(job)
    assert not (tmp_path / "later.csv").exists() and (tmp_path / "busy" / "inside.txt").exists()
    assert [r.getMessage() for r in caplog.records] == [f"job {job.pk}: could not remove busy"]


def test_only_a_failed_job_with_a_task_can_be_started_again(make_user):
    from django.core.exceptions import ValidationError

    from kompass.jobs.services import job_retry

    office = make_user("office@example.org", office=True)
    path = "tests.jobs.sample_tasks.count_to"
    for status, task_path in (("done", path), ("running", path), ("queued", path), ("failed", "")):
        job = Job.objects.create(kind="test", title="t", status=status, task_path=task_path, task_args=[1])
        with pytest.raises(ValidationError):
            job_retry(actor=office, job=Job.objects.get(pk=job.pk))
    failed = Job.objects.create(kind="report", title="Bericht", status="failed", task_path=path, task_args=[3],
                                result_url="/data/", temp_files=["x.csv"])
    again = job_retry(actor=office, job=Job.objects.get(pk=failed.pk))
    again.refresh_from_db()
    assert again.pk != failed.pk and again.retry_of_id == failed.pk
    assert (again.kind, again.title, again.task_path, again.task_args, again.result_url, again.temp_files) == (
        "report", "Bericht", path, [3], "/data/", ["x.csv"])


@task()
@job_task
def fail_at_length(progress, length: int):
    raise ValueError("x" * length)


def test_a_failing_job_keeps_the_first_300_characters_of_its_message_and_loses_its_temp_files(
        make_user, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.KOMPASS_PRIVATE_ROOT = tmp_path
    (tmp_path / "in.csv").write_text("x")
    office = make_user("office@example.org", office=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=office, kind="test", title="t", task=fail_at_length, args=[500],
                        temp_files=["in.csv"])
    job.refresh_from_db()
    assert job.status == "failed" and len(job.message) == 300 and job.message.endswith("x")
    assert not (tmp_path / "in.csv").exists()


@task()
@job_task
def quiet(progress):
    return None


def test_a_job_returns_its_summary_and_a_task_without_a_result_is_done_with_an_empty_one(settings, tmp_path):
    settings.KOMPASS_PRIVATE_ROOT = tmp_path
    (tmp_path / "kept-until-the-end.csv").write_text("x")
    silent = Job.objects.create(kind="test", title="t", temp_files=["kept-until-the-end.csv"])
    assert quiet.call(str(silent.pk)) == ""
    silent.refresh_from_db()
    assert (silent.status, silent.result, silent.finished_at is not None) == ("done", {}, True)
    assert not (tmp_path / "kept-until-the-end.csv").exists()
    report = Job.objects.create(kind="test", title="t")
    assert write_report.call(str(report.pk), "a") == "1 Zeile"


def test_without_a_setting_the_heartbeat_beats_every_ten_seconds(settings):
    import threading

    from kompass.jobs import services

    asked = []

    class Stopped(threading.Event):
        def wait(self, timeout=None):
            asked.append(timeout)
            return True  # stopped before the first beat

    del settings.JOB_HEARTBEAT_SECONDS
    beat = services._Heartbeat(7)
    beat.stopped = Stopped()
    beat.start()
    beat.join(timeout=30)
    settings.JOB_HEARTBEAT_SECONDS = "0.5"
    second = services._Heartbeat(8)
    second.stopped = Stopped()
    second.start()
    second.join(timeout=30)
    assert asked == [10.0, 0.5]
    assert (beat.daemon, beat.name) == (True, "heartbeat-7")  # never keeps a worker process alive


def test_the_sweep_leaves_a_queued_job_whose_task_run_has_not_failed(make_user):
    from django_tasks_db.models import DBTaskResult

    from kompass.jobs.services import jobs_sweep

    def run(status):
        return DBTaskResult.objects.create(status=status, args_kwargs={"args": [], "kwargs": {}},
                                           task_path="tests.jobs.sample_tasks.count_to", backend_name="default",
                                           queue_name="default")

    waiting = Job.objects.create(kind="test", title="t", task_result_id=str(run("READY").pk))
    dead = Job.objects.create(kind="test", title="t", task_result_id=str(run("FAILED").pk))
    not_enqueued = Job.objects.create(kind="test", title="t")
    assert jobs_sweep() == [str(dead.pk)]
    assert [Job.objects.get(pk=j.pk).status for j in (waiting, dead, not_enqueued)] == ["queued", "failed", "queued"]


def test_a_failure_recorded_by_the_sweep_is_cut_to_the_300_characters_of_the_field():
    from kompass.jobs.services import _fail

    job = Job.objects.create(kind="test", title="t")
    _fail(job, "é" * 400, "test")
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "é" * 300)


def test_a_scheduled_job_waits_for_its_time_on_a_backend_that_can_defer(make_user, settings,
                                                                         django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from kompass.jobs.services import can_schedule
    from tests.jobs.sample_tasks import count_to

    assert can_schedule() is False  # the immediate backend of the tests runs everything at once
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert can_schedule() is True
    later = timezone.now() + timedelta(hours=2)
    office = make_user("office@example.org", office=True)
    with django_capture_on_commit_callbacks(execute=True):
        scheduled = job_start(actor=office, kind="test", title="später", task=count_to, args=[2], run_after=later)
        at_once = job_start(actor=office, kind="test", title="gleich", task=count_to, args=[2])
    runs = {j.title: DBTaskResult.objects.get(pk=Job.objects.get(pk=j.pk).task_result_id)
            for j in (scheduled, at_once)}
    assert runs["später"].task.run_after == later and runs["später"].args_kwargs["args"] == [str(scheduled.pk), 2]
    assert runs["gleich"].task.run_after is None
