"""Background tasks of the monitoring app (run by the django-tasks worker, see kompass.jobs)."""

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext
from django_tasks import task

from kompass.jobs.services import job_task
from kompass.monitoring.models import EvaluationCycle
from kompass.monitoring.reports import report_html, report_pdf


@task()
@job_task
def cycle_report_task(progress, cycle_id: int, language: str = "de"):
    cycle = EvaluationCycle.objects.select_related("strategy").get(pk=cycle_id)
    with translation.override(language):
        def report_progress(done, total, message):
            progress.update(done, total=total + 1, message=message)

        html = report_html(cycle, for_pdf=True, progress=report_progress)
        progress.update(progress.total - 1 if progress.total else 0, message="PDF")
        pdf = report_pdf(html)
        url = reverse("monitoring:cycle", args=[cycle.slug])
    return {"result_url": url, "result_file": (f"monitoring-{cycle.slug}.pdf", ContentFile(pdf)),
            "pages_bytes": len(pdf)}


@task()
@job_task
def measurements_upload_task(progress, strategy_id: int, measure_id: int, actor: int | str, stored_name: str,
                             name: str) -> dict:
    """Check and import an uploaded measurements file kept in private storage; the file is deleted afterwards."""
    from kompass.core.actors import actor_from_ref
    from kompass.lifecycle.models import private_storage
    from kompass.measures.models import Measure
    from kompass.monitoring.services.uploads import upload_import
    from kompass.strategy.models import Strategy

    storage = private_storage()
    try:
        with storage.open(stored_name, "rb") as handle:
            content = handle.read()
        measure = Measure.objects.get(pk=measure_id)
        report = upload_import(actor=actor_from_ref(actor),
                               strategy=Strategy.objects.get(pk=strategy_id), measure=measure, name=name,
                               content=content, progress=lambda done, total: progress.update(done, total=total))
    finally:
        storage.delete(stored_name)
    progress.update(report["rows"], total=report["rows"],
                    message=ngettext("%(created)s new, %(updated)s changed, %(unchanged)s unchanged, %(n)s problem",
                                     "%(created)s new, %(updated)s changed, %(unchanged)s unchanged, %(n)s problems",
                                     report["n_errors"]) % {
                        "created": report.get("created", 0), "updated": report.get("updated", 0),
                        "unchanged": report.get("unchanged", 0), "n": report["n_errors"]})
    url = reverse("monitoring:upload", args=[measure.slug])
    return {"report": report, "result_url": f"{url}?job={progress.job_id}"}


@task()
@job_task
def indicator_reminders_task(progress) -> dict:
    """The daily indicator reminders (once per due date, services.indicator_reminders_send), then the next run
    queued for the following day: a recurring job on the database queue (ADR 0081)."""
    from kompass.core.actors import system_actor
    from kompass.monitoring.services.reminders import indicator_reminders_schedule, indicator_reminders_send

    actor = system_actor("indicator reminders")
    progress.update(0, total=1)
    sent = indicator_reminders_send(actor=actor)
    following = indicator_reminders_schedule(actor=actor)
    progress.update(1, message=ngettext("%(n)s reminder sent", "%(n)s reminders sent", sent) % {"n": sent})
    return {"sent": sent, "next_job": str(following.pk) if following else None}
