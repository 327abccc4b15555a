"""The task worker keeps running when the database connection drops (found by make cluster-test: a PgBouncer
restart ended both workers)."""

from django.core.management import get_commands
from django.db import OperationalError

from kompass.jobs.management.commands import db_worker
from kompass.jobs.management.commands.db_worker import ResilientWorker


def test_kompass_db_worker_is_the_command_that_runs():
    assert get_commands()["db_worker"] == "kompass.jobs"


def test_worker_reconnects_and_goes_on_after_a_lost_connection(monkeypatch):
    calls = []

    def upstream_run(self):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("the connection is closed")
        self.running = False

    monkeypatch.setattr(db_worker.upstream.Worker, "run", upstream_run)
    monkeypatch.setattr(db_worker.time, "sleep", lambda s: None)
    closed = []
    monkeypatch.setattr(db_worker.connections, "close_all", lambda: closed.append(1))
    worker = ResilientWorker(queue_names=["default"], interval=0.1, batch=False, backend_name="default",
                             startup_delay=False, max_tasks=None, worker_id="w", excluded_queue_names=[])
    worker.run()
    assert len(calls) == 3
    assert len(closed) == 2


def test_a_stopped_worker_does_not_retry(monkeypatch):
    def upstream_run(self):
        self.running = False
        raise OperationalError("gone while stopping")

    monkeypatch.setattr(db_worker.upstream.Worker, "run", upstream_run)
    worker = ResilientWorker(queue_names=["default"], interval=0.1, batch=False, backend_name="default",
                             startup_delay=False, max_tasks=None, worker_id="w", excluded_queue_names=[])
    assert worker.run() is None
