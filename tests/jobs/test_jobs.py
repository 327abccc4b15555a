import pytest

from kompass.audit.models import AuditEvent
from kompass.jobs.models import Job
from kompass.jobs.services import job_start
from tests.jobs.sample_tasks import count_to

pytestmark = pytest.mark.django_db


def test_job_runs_reports_progress_and_result(make_user, django_capture_on_commit_callbacks, client):
    office = make_user("office@example.org", office=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=office, kind="test", title="Zählen", task=count_to, args=[5])
    job.refresh_from_db()
    assert job.status == "done" and job.progress_done == 5 and job.progress_total == 5
    assert job.result == {"counted": 5} and job.result_url == "/data/"
    assert AuditEvent.objects.filter(action="job.started", actor=office).exists()
    client.force_login(office)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and b'value="100"' in page.content and b'href="/data/"' in page.content


def test_failed_job_says_why(make_user, django_capture_on_commit_callbacks):
    office = make_user("office@example.org", office=True)
    with django_capture_on_commit_callbacks(execute=True):  # the task backend records the failure itself
        job_start(actor=office, kind="test", title="Scheitern", task=count_to, args=[2, True])
    job = Job.objects.get(title="Scheitern")
    assert job.status == "failed" and "planned failure" in job.message


def test_job_page_is_private_to_its_starter_and_the_office(make_user, client):
    starter = make_user("starter@example.org")
    job = Job.objects.create(kind="test", title="Privat", created_by=starter)
    url = f"/jobs/{job.pk}/"
    assert client.get(url).status_code == 302  # visitors must log in
    client.force_login(make_user("stranger@example.org"))
    assert client.get(url).status_code == 403
    client.force_login(starter)
    running = client.get(url)
    assert running.status_code == 200 and b'hx-trigger="every 2s"' in running.content
    assert b'http-equiv="refresh"' in running.content  # works without JavaScript too
    client.force_login(make_user("office2@example.org", office=True))
    assert client.get(url).status_code == 200


def test_job_whose_task_never_started_shows_as_failed(make_user, client):
    """A worker that cannot import the task records the failure only in its own table; the job page reads it."""
    from django_tasks_db.models import DBTaskResult

    office = make_user("office@example.org", office=True)
    run = DBTaskResult.objects.create(status="FAILED", args_kwargs={"args": [], "kwargs": {}},
                                      task_path="kompass.missing.task", backend_name="default",
                                      queue_name="default")
    job = Job.objects.create(kind="test", title="Nie gestartet", created_by=office, task_result_id=str(run.pk))
    client.force_login(office)
    client.get(f"/jobs/{job.pk}/")
    job.refresh_from_db()
    assert job.status == "queued"  # a GET writes nothing; the sweep (worker heartbeat, cron) does
    from kompass.jobs.services import jobs_sweep

    assert jobs_sweep() == [str(job.pk)]
    page = client.get(f"/jobs/{job.pk}/")
    job.refresh_from_db()
    assert job.status == "failed" and job.message
    assert b'hx-trigger="every 2s"' not in page.content  # the page stops polling
    assert AuditEvent.objects.filter(action="job.failed", object_id=str(job.pk)).exists()


def test_started_job_remembers_its_task_run(make_user, django_capture_on_commit_callbacks):
    office = make_user("office@example.org", office=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=office, kind="test", title="Zählen", task=count_to, args=[2])
    job.refresh_from_db()
    assert job.task_result_id and job.status == "done"


# --- found by mutation testing (docs/mutation/core.md) ---------------------------------------------------------

def test_progress_defaults_write_every_step_without_a_total(make_user):
    from kompass.jobs.services import Progress

    job = Job.objects.create(kind="test", title="t")
    progress = Progress(job.pk)
    progress.update(1)
    progress.update(2)  # every step is written by default (every=1)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (2, 0)


def test_progress_writes_at_most_every_n_steps_but_always_the_last(make_user):
    from kompass.jobs.services import Progress

    job = Job.objects.create(kind="test", title="t")
    progress = Progress(job.pk, total=10, every=5)
    written = []
    for step in range(1, 11):
        progress.update(step)
        written.append(Job.objects.get(pk=job.pk).progress_done)
    assert written == [1, 1, 1, 1, 1, 6, 6, 6, 6, 10]


def test_a_job_names_the_person_who_started_it_and_none_for_a_system_actor(make_user):
    from kompass.core.actors import system_actor

    user = make_user("starter@example.org")
    by_user = job_start(actor=user, kind="test", title="t", task=count_to, args=[1])
    by_system = job_start(actor=system_actor("test"), kind="test", title="t", task=count_to, args=[1])
    assert by_user.created_by == user and by_system.created_by is None


def test_the_starter_and_the_office_may_retry_a_job_no_one_else(make_user):
    starter, office, other = (make_user("s@example.org"), make_user("o@example.org", office=True),
                              make_user("x@example.org"))
    job = Job.objects.create(kind="test", title="t", created_by=starter)
    assert [u.has_perm("jobs.retry_job", job) for u in (starter, office, other)] == [True, True, False]
