"""A job whose worker is killed (SIGKILL) mid-run is marked failed within the lease, its temporary files are
removed, and its owner can start it again. Uses a real `kompass db_worker` process."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings

from kompass.jobs.models import Job
from kompass.jobs.services import job_start, jobs_sweep

ROOT = Path(__file__).resolve().parents[2]
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _private(name: str) -> Path:
    from django.conf import settings

    return Path(getattr(settings, "KOMPASS_PRIVATE_ROOT", Path(settings.VAR_DIR) / "private")) / name


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killed_worker_job_fails_within_the_lease_and_can_be_retried(berlin_committed, make_user, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a second process needs a database server")
    from tests.jobs.sample_tasks import sleepy

    owner = make_user("owner@example.org")
    marker = f"jobs/tmp/{os.getpid()}-marker.txt"
    with override_settings(TASKS=DB_BACKEND):
        job = job_start(actor=owner, kind="test", title="Schlafen", task=sleepy, args=[120, marker],
                        temp_files=[marker])
    db = connection.settings_dict
    env = {**os.environ, "KOMPASS_TESTING": "1", "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "JOB_HEARTBEAT_SECONDS": "0.5"}
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "0.2"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == "running" and job.heartbeat_at and _private(marker).exists():
                break
            time.sleep(0.2)
        assert job.status == "running", "the worker did not start the job"
        time.sleep(1.5)
        beat = Job.objects.get(pk=job.pk).heartbeat_at
        assert beat > job.heartbeat_at  # the heartbeat moves while the task runs
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = time.monotonic()
        with override_settings(JOB_LEASE_SECONDS=3):
            assert jobs_sweep() == []  # within the lease the job still counts as alive
            while jobs_sweep() != [str(job.pk)]:
                assert time.monotonic() - killed_at < 3 + 2, "not marked failed within the lease"
                time.sleep(0.25)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at and job.message
    assert not _private(marker).exists()  # its temporary file is gone

    stranger = Client()
    stranger.force_login(make_user("stranger@example.org"))
    assert stranger.post(f"/jobs/{job.pk}/retry/").status_code == 403
    assert not Job.objects.filter(retry_of=job).exists()
    client = Client()
    client.force_login(owner)
    with override_settings(TASKS=DB_BACKEND):
        response = client.post(f"/jobs/{job.pk}/retry/")
    again = Job.objects.get(retry_of=job)
    assert response.status_code == 302 and response.url.endswith(f"/jobs/{again.pk}/")
    assert again.status == "queued" and again.task_args == [120, marker] and again.created_by == owner
