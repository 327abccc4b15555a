"""`kompass purge_jobs`: delete finished background jobs and task runs older than KOMPASS_JOB_RETENTION_DAYS."""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kompass.core.actors import system_actor
from kompass.jobs.services import job_retention, jobs_purge


def _database_backend() -> bool:
    """Whether tasks run on django-tasks-db (production; the tests run them at once, without rows)."""
    if not apps.is_installed("django_tasks_db"):
        return False
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


class Command(BaseCommand):
    help = ("Delete finished background jobs (with their result files) and the task backend's finished runs that "
            "ended more than KOMPASS_JOB_RETENTION_DAYS (default 30) days ago. Queued and running jobs stay.")

    def handle(self, *args, **options):
        counts = jobs_purge(actor=system_actor("job purge"))
        self.stdout.write(f"{counts['jobs']} finished job(s) older than {job_retention().days} days deleted, "
                          f"{counts['result_files']} result file(s) removed.")
        if _database_backend():
            # django-tasks-db's own pruning of its run rows (arguments and results of every task), same age
            call_command("prune_db_task_results", queue_name="*", min_age_days=job_retention().days,
                         verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr)
