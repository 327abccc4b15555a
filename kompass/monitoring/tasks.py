"""Background tasks of the monitoring app (run by the django-tasks worker, see kompass.jobs)."""

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
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
