from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from kompass.jobs.models import Job
from kompass.jobs.services import job_retry


@login_required
@require_GET
def job_detail(request, pk):
    job = get_object_or_404(Job, pk=pk)
    if not request.user.has_perm("jobs.view_job", job):
        raise PermissionDenied
    template = "jobs/_status.html" if request.headers.get("HX-Request") else "jobs/detail.html"
    return render(request, template, {"job": job})


@login_required
@require_GET
def job_download(request, pk):
    """Result files are served only to those who may see the job (never from a public media URL)."""
    from django.http import FileResponse, Http404

    job = get_object_or_404(Job, pk=pk)
    if not request.user.has_perm("jobs.view_job", job):
        raise PermissionDenied
    if not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), as_attachment=True,
                        filename=job.result_file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def job_retry_view(request, pk):
    """Start a failed job again (its owner or the office)."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    job = get_object_or_404(Job, pk=pk)
    if not request.user.has_perm("jobs.retry_job", job):
        raise PermissionDenied
    try:
        new = job_retry(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("jobs:detail", pk=job.pk)
    return redirect("jobs:detail", pk=new.pk)
