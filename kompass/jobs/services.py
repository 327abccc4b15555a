"""Starting background jobs and reporting their progress.

A job is started with `job_start(actor=…, kind=…, title=…, task=some_task, args=[…])`: it records the Job and an
audit event, then enqueues `some_task(job_id, *args)` on the configured django-tasks backend (the database
worker `kompass db_worker` in production, immediate execution in tests). Tasks are written with the
`job_task` decorator, which marks the job running/done/failed and hands the task a `Progress` reporter.
"""

from __future__ import annotations

import functools
import logging
import threading
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompass.audit.services import record_event
from kompass.core.actors import person
from kompass.jobs.models import Job

log = logging.getLogger(__name__)


class Progress:
    """Reports progress of one job; writes at most every `every` steps to keep the database calm."""

    def __init__(self, job_id, total: int = 0, every: int = 1):
        self.job_id = job_id
        self.total = total
        self.every = max(1, every)
        self._last = -1

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        if total is not None:
            self.total = total
        if done != self.total and self._last >= 0 and done - self._last < self.every and not message:
            return
        self._last = done
        fields: dict[str, Any] = {"progress_done": done, "progress_total": self.total,
                                  "heartbeat_at": timezone.now()}
        if message:
            fields["message"] = message[:300]
        Job.objects.filter(pk=self.job_id).update(**fields)


def failure_message(exc: Exception) -> str:
    """What the person waiting on a failed job reads: a refusal's own (translated) messages, else a sentence in
    their language with the technical detail in brackets (never the exception's class name alone)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return gettext("The job stopped because of an error (%(error)s). You can start it again.") % {
        "error": str(exc) or type(exc).__name__}


def job_start(*, actor, kind: str, title: str, task, args: list | None = None, result_url: str = "",
              temp_files: list[str] | None = None, retry_of: Job | None = None, run_after=None) -> Job:
    """`temp_files`: names in private storage that belong to this job only; removed when it ends or dies.
    `run_after`: the earliest moment the worker runs it (a scheduled job; needs a backend that can defer)."""
    with transaction.atomic():
        job = Job.objects.create(kind=kind, title=title[:250], created_by=person(actor),
                                 result_url=result_url, task_path=getattr(task, "module_path", ""),
                                 task_args=list(args or []), temp_files=list(temp_files or []), retry_of=retry_of)
        record_event(actor=actor, action="job.started", obj=job, changes={"kind": (None, kind)})
    def enqueue():
        result = (task.using(run_after=run_after) if run_after else task).enqueue(str(job.pk), *(args or []))
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    # Enqueue after the commit so that a worker never sees a job that does not exist yet.
    transaction.on_commit(enqueue)
    return job


def can_schedule() -> bool:
    """Whether the task backend runs jobs later (`run_after`); the immediate backend of the tests cannot."""
    from django_tasks import default_task_backend

    return bool(default_task_backend.supports_defer)


def _lease() -> int:
    return int(getattr(settings, "JOB_LEASE_SECONDS", 120))


def _remove_temp_files(job: Job) -> None:
    from pathlib import Path

    from django.core.files.storage import FileSystemStorage

    root = Path(getattr(settings, "KOMPASS_PRIVATE_ROOT", Path(settings.VAR_DIR) / "private"))
    storage = FileSystemStorage(location=str(root))  # the private files (var/private), never served directly
    for name in job.temp_files or []:
        try:
            storage.delete(name)
        except OSError:
            log.warning("job %s: could not remove %s", job.pk, name)


def _fail(job: Job, message: str, label: str) -> None:
    from kompass.core.actors import system_actor

    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=message[:300])
        if updated:
            record_event(actor=system_actor(label), action="job.failed", obj=job)
    if updated:
        _remove_temp_files(job)


class WorkerLost(Exception):  # noqa: N818 - the name people read in the task admin's "exception class"
    """Recorded on a django-tasks run whose worker stopped before it could record the outcome."""


def _running_task_runs(task_result_ids) -> set[str]:
    """Which of these django-tasks runs are still RUNNING (looked up by primary key: the status has no index)."""
    from django.apps import apps

    ids = [i for i in task_result_ids if i]
    if not ids or not apps.is_installed("django_tasks_db"):
        return set()
    from django_tasks_db.models import DBTaskResult

    return {str(pk) for pk in DBTaskResult.objects.running().filter(pk__in=ids).values_list("pk", flat=True)}


def settle_task_run(task_result_id: str, reason: str) -> bool:
    """End a django-tasks run (DBTaskResult) still RUNNING although no worker runs it any more: SUCCESSFUL when
    its Kompass job is done (the task body finished, only recording the outcome was lost), otherwise FAILED with
    `reason` (exception class `WorkerLost`). Never run again: a Kompass job is started again by its owner
    (`job_retry`, a new run), and an import, a lottery draw or a mail digest must not run twice unasked.
    Returns whether the run was ended here; a run that has meanwhile ended keeps its own outcome."""
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        run = DBTaskResult.objects.select_for_update().running().filter(pk=task_result_id).first()
        if run is None:
            return False
        if Job.objects.filter(task_result_id=task_result_id, status=Job.Status.DONE).exists():
            run.set_successful(None)
        else:
            run.set_failed(WorkerLost(reason))
    log.warning("task run %s ended by the sweep: %s", task_result_id, reason)
    return True


def jobs_sweep(now=None) -> list[str]:
    """Mark failed the jobs whose worker died: running without a heartbeat for `JOB_LEASE_SECONDS`, or queued
    while the task backend already failed their run (e.g. the task's module could not be imported). Their
    temporary files are removed, and their django-tasks runs still RUNNING end too (`settle_task_run`), as do
    runs whose job ended a lease ago (the worker died, or lost its database, before recording the outcome).
    Called by every worker's heartbeat, at the start of each job and by `kompass jobs_sweep`; never by a GET.
    Returns the ids of the jobs it failed."""
    from django.apps import apps
    from django.db.models import Q

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=_lease())
    failed = []
    stale = list(Job.objects.filter(status=Job.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)))
    # Runs to look at: those of dead jobs, and of jobs that ended a lease ago within the last day (the sweep runs
    # every minute, so an older job's run was settled long ago).
    ended_ids = Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED], finished_at__lt=cutoff,
                                   finished_at__gte=now - timedelta(days=1)).values_list("task_result_id", flat=True)
    running_runs = _running_task_runs([job.task_result_id for job in stale] + list(ended_ids))
    for job in stale:
        reason = gettext("The worker stopped while running this job (no sign of life for %(s)s seconds). "
                         "You can start it again.") % {"s": _lease()}
        _fail(job, reason, "job-sweep")
        failed.append(str(job.pk))
        if job.task_result_id in running_runs:
            settle_task_run(job.task_result_id, reason)
    if running_runs:
        ended = Job.objects.filter(task_result_id__in=running_runs, finished_at__lt=cutoff,
                                   status__in=[Job.Status.DONE, Job.Status.FAILED])
        for task_result_id in ended.values_list("task_result_id", flat=True):
            settle_task_run(task_result_id, gettext("The worker stopped before it recorded the end of this job."))
    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        queued = Job.objects.filter(status=Job.Status.QUEUED).exclude(task_result_id="")
        dead = set(DBTaskResult.objects.filter(pk__in=[j.task_result_id for j in queued]).failed()
                   .values_list("pk", flat=True))
        for job in queued:
            if job.task_result_id in {str(d) for d in dead}:
                _fail(job, gettext("The task worker could not run this job; the worker log says why."),
                      "task worker")
                failed.append(str(job.pk))
    return failed


DEFAULT_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 36_500


def job_retention() -> timedelta:
    """How long finished jobs are kept: the setting `KOMPASS_JOB_RETENTION_DAYS` (default 30), at least 1 day, so
    the sweep still finds the runs of jobs that ended within the last day, and at most 100 years (a larger number
    keeps everything as well and would overflow the date arithmetic)."""
    days = int(getattr(settings, "KOMPASS_JOB_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    return timedelta(days=min(max(1, days), MAX_RETENTION_DAYS))


def jobs_purge(*, actor, now=None) -> dict[str, int]:
    """Delete the finished jobs (done or failed) that ended more than `job_retention()` ago, with their result
    files and any temporary files left. A job row keeps who started it, the task's arguments and its result (an
    import's file name and report, an export), so it does not stay for ever; queued and running jobs are never
    touched. The task backend's own finished runs are pruned by its command `prune_db_task_results` (called by
    `kompass purge_jobs` with the same age). One audit event with the count. Returns the counts."""
    from kompass.core.permissions import require

    require(actor, "jobs.purge_jobs")
    cutoff = (now or timezone.now()) - job_retention()
    # A finished job never changes again and the cutoff is fixed, so the set read here is the set deleted; it is
    # deleted by the same filter, not by a list of ids (no limit on the number of query parameters).
    expired = Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED], finished_at__lt=cutoff)
    with transaction.atomic():
        old = list(expired.only("pk", "result_file", "temp_files"))
        expired.delete()
        if old:
            record_event(actor=actor, action="jobs.purged", changes={"jobs": (len(old), 0)})
    files = 0
    for job in old:  # after the commit: a failed delete must not bring the rows back, a stray file is logged
        _remove_temp_files(job)
        if job.result_file:
            try:
                job.result_file.storage.delete(job.result_file.name)
                files += 1
            except OSError:
                log.warning("job %s: could not remove %s", job.pk, job.result_file.name)
    return {"jobs": len(old), "result_files": files}


def job_retry(*, actor, job: Job) -> Job:
    """Start a failed job again with the same task and arguments (its owner or the office)."""
    from django.core.exceptions import ValidationError
    from django.utils.module_loading import import_string

    from kompass.core.permissions import require

    require(actor, "jobs.retry_job", job)
    if job.status != Job.Status.FAILED or not job.task_path:
        raise ValidationError(gettext("Only a failed job can be started again."))
    task = import_string(job.task_path)
    return job_start(actor=actor, kind=job.kind, title=job.title, task=task, args=job.task_args,
                     result_url=job.result_url, temp_files=job.temp_files, retry_of=job)


class _Heartbeat(threading.Thread):
    """Touches the job's heartbeat every `JOB_HEARTBEAT_SECONDS` while its task runs (and sweeps dead jobs)."""

    def __init__(self, job_id):
        super().__init__(daemon=True, name=f"heartbeat-{job_id}")
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self):
        from django.db import connection

        interval = float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 10))
        try:
            while not self.stopped.wait(interval):
                Job.objects.filter(pk=self.job_id).update(heartbeat_at=timezone.now())
                jobs_sweep()
        except Exception:  # noqa: BLE001 - a failed beat must never break the task itself
            log.exception("heartbeat of job %s", self.job_id)
        finally:
            connection.close()


def job_task(function):
    """Wrap a task body `function(progress, *args) -> dict` with job status handling."""

    @functools.wraps(function)
    def run(job_id: str, *args):
        jobs_sweep()
        now = timezone.now()
        Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=now, heartbeat_at=now)
        heartbeat = _Heartbeat(job_id)
        heartbeat.start()
        try:
            result = function(Progress(job_id), *args) or {}
        except Exception as exc:  # noqa: BLE001 - the job records any failure for the person waiting on it
            log.exception("job %s failed", job_id)
            Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, finished_at=timezone.now(),
                                                 message=failure_message(exc)[:300])
            _remove_temp_files(Job.objects.get(pk=job_id))
            raise
        finally:
            heartbeat.stopped.set()
        updates: dict[str, Any] = {"status": Job.Status.DONE, "finished_at": timezone.now(),
                                   "result": {k: v for k, v in result.items()
                                              if k not in ("result_file", "result_url", "summary")}}
        if result.get("result_url"):
            updates["result_url"] = result["result_url"]
        Job.objects.filter(pk=job_id).update(**updates)
        job = Job.objects.get(pk=job_id)
        if result.get("result_file"):
            name, content = result["result_file"]
            job.result_file.save(name, content, save=True)
        _remove_temp_files(job)
        return result.get("summary", "")

    return run
