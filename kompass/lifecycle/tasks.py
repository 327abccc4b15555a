"""Background tasks of the lifecycle app (run by the kompass.jobs worker)."""

from django.urls import reverse
from django.utils.translation import ngettext
from django_tasks import task

from kompass.core.actors import actor_from_ref
from kompass.jobs.services import job_task
from kompass.lifecycle.models import private_storage
from kompass.lifecycle.services import measures_import
from kompass.strategy.models import Strategy


@task()
@job_task
def import_spreadsheet(progress, strategy_id: int, actor: int | str, stored_name: str, name: str,
                       dry_run: bool) -> dict:
    """Import (or check) an uploaded spreadsheet kept in private storage; the file is deleted afterwards."""
    storage = private_storage()
    keep = False
    try:
        with storage.open(stored_name, "rb") as handle:
            content = handle.read()
        report = measures_import(actor=actor_from_ref(actor), strategy=Strategy.objects.get(pk=strategy_id), name=name,
                                 content=content, dry_run=dry_run,
                                 progress=lambda done, total: progress.update(done, total=total))
        keep = dry_run and report.ok  # a passed preview keeps the file for "import now"
    finally:
        if not keep:
            storage.delete(stored_name)
    progress.update(report.rows, total=report.rows,
                    message=ngettext("%(rows)s row: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, "
                                     "%(problems)s problems",
                                     "%(rows)s rows: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, "
                                     "%(problems)s problems", report.rows)
                    % {"rows": report.rows, "created": report.created, "updated": report.updated,
                       "unchanged": report.unchanged, "problems": len(report.problems)})
    return {"report": report.as_dict(), "outcome": "done" if report.ok else "refused",
            "result_url": reverse("lifecycle:spreadsheet") + f"?job={progress.job_id}"}
