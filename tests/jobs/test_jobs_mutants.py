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
