"""Background tasks of the open-data app: the recurring harvest of each followed source (run by the task worker)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from kompass.core.actors import system_actor
from kompass.jobs.services import job_task

HARVESTER = system_actor("harvest")


@task()
@job_task
def harvest_task(progress, source_id: int) -> dict:
    """Harvest one followed source, then queue its next harvest `interval_hours` later. A failed fetch is
    recorded on the source (and in the job's result) and does not break the schedule."""
    from kompass.opendata import services
    from kompass.opendata.models import Source

    source = Source.objects.filter(pk=source_id).first()
    if source is None or not source.is_active:
        return {"summary": "not followed any more", "harvested": False}
    progress.update(0, total=1, message=source.name)
    report = services.harvest(actor=HARVESTER, source=source)
    following = services.harvest_schedule(actor=HARVESTER, source=source,
                                          run_after=timezone.now() + timedelta(hours=source.interval_hours))
    progress.update(1)
    return {"harvested": True, "error": report.error, "created": report.created, "updated": report.updated,
            "withdrawn": report.withdrawn, "next_job": str(following.pk) if following else None,
            "summary": report.error or source.last_message}
