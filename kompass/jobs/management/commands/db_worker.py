"""`kompass db_worker`: django-tasks-db's worker, surviving a lost database connection.

Found by `make cluster-test`: when PgBouncer (or PostgreSQL) restarts while a task runs, storing the task's result
raises OperationalError inside the upstream worker's error handler, which ends the whole process; every task
after it waits until someone restarts the worker. This worker closes its connections, waits one interval and
carries on. The task whose result could not be stored would stay "running" in the queue: once the database answers
again the worker ends that run itself (`settle_task_run`: successful when its Kompass job is done, else failed
with the reason); a run whose worker was killed is ended by the heartbeat sweep (`kompass jobs_sweep`, ADR 0016)."""

from __future__ import annotations

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker as upstream

logger = logging.getLogger("kompass.jobs.worker")


class ResilientWorker(upstream.Worker):
    unrecorded: str | None = None  # the run whose outcome could not be stored when the connection went

    def run_task(self, db_task_result) -> None:
        try:
            return super().run_task(db_task_result)
        except (OperationalError, InterfaceError):
            self.unrecorded = str(db_task_result.pk)
            raise

    def settle_unrecorded(self) -> None:
        from django.utils.translation import gettext

        from kompass.jobs.services import settle_task_run

        if self.unrecorded:
            settle_task_run(self.unrecorded, gettext("The task worker lost its database connection before it "
                                                     "recorded the end of this task."))
            self.unrecorded = None

    def run(self) -> None:
        while True:
            try:
                self.settle_unrecorded()
                return super().run()
            except (OperationalError, InterfaceError):
                if not self.running:
                    return None
                logger.exception("database connection lost; the worker reconnects")
                connections.close_all()
                time.sleep(max(self.interval, 1.0))


class Command(upstream.Command):
    help = upstream.Command.help

    def handle(self, *args, **options):
        # upstream's handle() builds its worker from the module's `Worker`; hand it ours for this call
        original, upstream.Worker = upstream.Worker, ResilientWorker
        try:
            return super().handle(*args, **options)
        finally:
            upstream.Worker = original
