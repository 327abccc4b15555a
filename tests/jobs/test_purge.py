"""Finished background jobs do not stay for ever (issue 12, privacy by default): `kompass purge_jobs` deletes
the jobs that ended more than KOMPASS_JOB_RETENTION_DAYS ago with their files, and django-tasks-db's finished
runs of the same age; queued and running jobs stay whatever their age."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from kompass.audit.models import AuditEvent
from kompass.core.actors import system_actor
from kompass.jobs.models import Job
from kompass.jobs.services import jobs_purge

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def _job(title, status, ended_days_ago=None, created_days_ago=40, **fields):
    now = timezone.now()
    job = Job.objects.create(kind="test", title=title, status=status, **fields)
    Job.objects.filter(pk=job.pk).update(
        created_at=now - created_days_ago * DAY,
        finished_at=None if ended_days_ago is None else now - ended_days_ago * DAY)
    return Job.objects.get(pk=job.pk)


def test_finished_jobs_past_the_retention_go_with_their_files_the_rest_stays(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "vorschau.xlsx").write_bytes(b"xlsx")
    old_done = _job("Bericht", Job.Status.DONE, ended_days_ago=31, temp_files=["vorschau.xlsx"])
    old_done.result_file.save("bericht.pdf", ContentFile(b"%PDF"))
    result_path = tmp_path / "media" / old_done.result_file.name
    assert result_path.exists()
    old_failed = _job("Import", Job.Status.FAILED, ended_days_ago=45)
    recent = _job("Neuer Bericht", Job.Status.DONE, ended_days_ago=29)
    queued = _job("Wartet", Job.Status.QUEUED, created_days_ago=90)
    running = _job("Läuft", Job.Status.RUNNING, created_days_ago=90)

    counts = jobs_purge(actor=system_actor("job purge"))

    assert counts == {"jobs": 2, "result_files": 1}
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, queued.pk, running.pk}
    assert not result_path.exists() and not (tmp_path / "private" / "vorschau.xlsx").exists()
    event = AuditEvent.objects.get(action="jobs.purged")
    assert event.changes == {"jobs": [2, 0]} and event.actor_label == "system:job purge"
    assert old_failed.pk not in set(Job.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(("days", "kept"), [(10, {"0.5", "9"}), (0, {"0.5"}), (-5, {"0.5"}), (60, {"0.5", "9", "31"}),
                                           (10**12, {"0.5", "9", "31"})])
def test_the_retention_comes_from_the_setting_and_is_at_least_a_day(settings, days, kept):
    """0 or fewer days would delete the jobs that ended today, whose runs the sweep still looks at: one day is the
    least. A number beyond any date (10**12 days) keeps everything instead of overflowing."""
    settings.KOMPASS_JOB_RETENTION_DAYS = days
    for age in ("0.5", "9", "31"):
        _job(age, Job.Status.DONE, ended_days_ago=float(age))
    jobs_purge(actor=system_actor("job purge"))
    assert set(Job.objects.values_list("title", flat=True)) == kept


def test_nothing_to_purge_writes_no_audit_event():
    _job("Neu", Job.Status.DONE, ended_days_ago=1)
    assert jobs_purge(actor=system_actor("job purge")) == {"jobs": 0, "result_files": 0}
    assert not AuditEvent.objects.filter(action="jobs.purged").exists()
    out = StringIO()
    call_command("purge_jobs", stdout=out)  # the tests' immediate task backend keeps no runs to prune
    assert out.getvalue().strip() == "0 finished job(s) older than 30 days deleted, 0 result file(s) removed."
    assert Job.objects.count() == 1


def test_only_an_admin_or_the_system_may_purge(make_user):
    _job("Alt", Job.Status.DONE, ended_days_ago=40)
    for user in (make_user("office@example.org", office=True), make_user("buerger@example.org")):
        with pytest.raises(PermissionDenied):
            jobs_purge(actor=user)
    assert Job.objects.count() == 1
    admin = make_user("admin@example.org")
    admin.is_superuser = True
    admin.save()
    assert jobs_purge(actor=admin)["jobs"] == 1


def test_the_command_also_prunes_the_task_backends_finished_runs(django_capture_on_commit_callbacks, make_user):
    from django_tasks_db.models import DBTaskResult

    from kompass.jobs.services import job_start
    from tests.jobs.sample_tasks import count_to

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with django_capture_on_commit_callbacks(execute=True):
            old = job_start(actor=make_user("o@example.org"), kind="test", title="Alt", task=count_to, args=[1])
            young = job_start(actor=make_user("y@example.org"), kind="test", title="Jung", task=count_to, args=[1])
            waiting = job_start(actor=make_user("w@example.org"), kind="test", title="Wartet", task=count_to,
                                args=[1])
        old.refresh_from_db(), young.refresh_from_db(), waiting.refresh_from_db()
        now = timezone.now()
        for job, age in ((old, 40), (young, 3)):
            run = DBTaskResult.objects.get(pk=job.task_result_id)
            run.set_successful(None)
            DBTaskResult.objects.filter(pk=run.pk).update(finished_at=now - age * DAY)
            Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, finished_at=now - age * DAY)
        out = StringIO()
        call_command("purge_jobs", stdout=out)
    assert "1 finished job(s) older than 30 days deleted" in out.getvalue()
    assert {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)} == {young.task_result_id,
                                                                                   waiting.task_result_id}
    assert set(Job.objects.values_list("title", flat=True)) == {"Jung", "Wartet"}


def test_without_the_setting_finished_jobs_are_kept_30_days(settings):
    from kompass.jobs.services import job_retention

    del settings.KOMPASS_JOB_RETENTION_DAYS
    assert job_retention() == timedelta(days=30)
    settings.KOMPASS_JOB_RETENTION_DAYS = 10**9  # beyond any date: kept for 100 years, no overflow
    assert job_retention() == timedelta(days=36_500)
