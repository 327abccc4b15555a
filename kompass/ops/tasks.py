"""A probe task: records one audit event carrying its token, so that a cluster test can count how often each
enqueued task ran (exactly once is the promise of the database worker's row locking)."""

from django_tasks import task

from kompass.audit.services import record_event
from kompass.core.actors import system_actor


@task()
def probe(token: str) -> str:
    record_event(actor=system_actor("ops-probe"), action="ops.probe", changes={"token": (None, token)})
    return token
