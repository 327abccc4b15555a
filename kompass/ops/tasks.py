"""Probe tasks for the cluster test (`make cluster-test`).

`probe` records one audit event carrying its token, so that the test can count how often each enqueued task ran
(exactly once is the promise of the database worker's row locking). `slow_probe` is a Kompass job that runs for
a while, so that a worker can be killed (SIGKILL) in the middle of it: it records an audit event when it starts
(counting executions) and one when it ends."""

import time

from django_tasks import task

from kompass.audit.services import record_event
from kompass.core.actors import system_actor
from kompass.jobs.services import job_task


@task()
def probe(token: str) -> str:
    record_event(actor=system_actor("ops-probe"), action="ops.probe", changes={"token": (None, token)})
    return token


@task()
@job_task
def slow_probe(progress, token: str, seconds: float):
    record_event(actor=system_actor("ops-probe"), action="ops.slow_probe.start", changes={"token": (None, token)})
    progress.update(0, total=1)
    time.sleep(seconds)
    record_event(actor=system_actor("ops-probe"), action="ops.slow_probe.done", changes={"token": (None, token)})
    return {"slept": seconds}
