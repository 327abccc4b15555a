"""Starting background jobs and reporting their progress.

A job is started with `job_start(actor=…, kind=…, title=…, task=some_task, args=[…])`: it records the Job and an
audit event, then enqueues `some_task(job_id, *args)` on the configured django-tasks backend (the database
worker `kompass db_worker` in production, immediate execution in tests). Tasks are written with the
`job_task` decorator, which marks the job running/done/failed and hands the task a `Progress` reporter.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompass.audit.services import record_event
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
        fields: dict[str, Any] = {"progress_done": done, "progress_total": self.total}
        if message:
            fields["message"] = message[:300]
        Job.objects.filter(pk=self.job_id).update(**fields)


def job_start(*, actor, kind: str, title: str, task, args: list | None = None, result_url: str = "") -> Job:
    with transaction.atomic():
        job = Job.objects.create(kind=kind, title=title[:250], created_by=actor if actor and actor.pk else None,
                                 result_url=result_url)
        record_event(actor=actor, action="job.started", obj=job, changes={"kind": (None, kind)})
    def enqueue():
        result = task.enqueue(str(job.pk), *(args or []))
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    # Enqueue after the commit so that a worker never sees a job that does not exist yet.
    transaction.on_commit(enqueue)
    return job


def job_reconcile(job: Job) -> Job:
    """Mark a job failed when the task backend failed its run before the task body started (e.g. the task's
    module could not be imported): the worker then records the failure only in its own table."""
    from django.apps import apps

    if job.finished or not job.task_result_id or not apps.is_installed("django_tasks_db"):
        return job
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(pk=job.task_result_id).failed().exists():
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED, finished_at=timezone.now(),
                message=gettext("The task worker could not run this job; the worker log says why."))
            record_event(actor=None, action="job.failed", obj=job, label="task worker")
        job.refresh_from_db()
    return job


def job_task(function):
    """Wrap a task body `function(progress, *args) -> dict` with job status handling."""

    @functools.wraps(function)
    def run(job_id: str, *args):
        Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now())
        try:
            result = function(Progress(job_id), *args) or {}
        except Exception as exc:  # noqa: BLE001 - the job records any failure for the person waiting on it
            log.exception("job %s failed", job_id)
            Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, finished_at=timezone.now(),
                                                 message=f"{type(exc).__name__}: {exc}"[:300])
            raise
        updates: dict[str, Any] = {"status": Job.Status.DONE, "finished_at": timezone.now(),
                                   "result": {k: v for k, v in result.items()
                                              if k not in ("result_file", "result_url", "summary")}}
        if result.get("result_url"):
            updates["result_url"] = result["result_url"]
        Job.objects.filter(pk=job_id).update(**updates)
        if result.get("result_file"):
            job = Job.objects.get(pk=job_id)
            name, content = result["result_file"]
            job.result_file.save(name, content, save=True)
        return result.get("summary", "")

    return run
