"""Lifecycle views: office. Thin: forms in, services for writes, selectors for reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompass.core.permissions import require
from kompass.lifecycle import charts, selectors, services, spreadsheets
from kompass.lifecycle import forms as lf
from kompass.lifecycle.uploads import attachment_max_bytes
from kompass.strategy.selectors import current_strategy


@require_GET
def collaboration(request):
    strategy = current_strategy()
    data = selectors.collaboration(strategy)
    return render(request, "lifecycle/collaboration.html", {
        **data, "svg": charts.network_svg(data["nodes"], data["edges"], data["degree"]),
        "trees": selectors.replication_trees(strategy)})


@login_required
@require_GET
def overview(request):
    require(request.user, "lifecycle.view_overview")
    return render(request, "lifecycle/overview.html", selectors.office_overview(current_strategy()))


def _import_job(request, job_id):
    """The import job named in the request, visible to the user (404 for a bad id or someone else's job)."""
    from kompass.jobs.models import Job

    try:
        job = Job.objects.filter(pk=job_id, kind="lifecycle.import").first()
    except (ValueError, ValidationError):
        job = None
    if job is None or not request.user.has_perm("jobs.view_job", job):
        raise Http404
    return job


@login_required
@require_http_methods(["GET", "POST"])
def spreadsheet(request):
    """Upload a spreadsheet: a background job checks it and lists, row by row, what would change (a preview);
    "Import now" (`spreadsheet_confirm`) then imports the same file."""
    strategy = current_strategy()
    require(request.user, "lifecycle.import_measures")
    form = lf.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > spreadsheets_max_bytes():
            form.add_error("file", _("The file is too large."))
        elif not upload.name.lower().endswith((".xlsx", ".csv")):
            form.add_error("file", _("Only XLSX and CSV files can be imported."))
        else:
            job = services.spreadsheet_import_start(actor=request.user, strategy=strategy, upload=upload,
                                                    dry_run=True)
            return redirect("jobs:detail", pk=job.pk)
    report = job = None
    if request.GET.get("job"):
        job = _import_job(request, request.GET["job"])
        report = spreadsheets.ImportReport.from_dict(job.result.get("report", {}))
    status = 400 if (request.method == "POST" and form.errors) else 200
    return render(request, "lifecycle/spreadsheet.html", {
        "form": form, "report": report, "job": job,
        "can_confirm": job is not None and services.confirmable(job, request.user)}, status=status)


@login_required
@require_POST
def spreadsheet_confirm(request, pk):
    """Import the file a passed preview checked."""
    strategy = current_strategy()
    require(request.user, "lifecycle.import_measures")
    preview = _import_job(request, pk)
    try:
        job = services.spreadsheet_import_confirm(actor=request.user, strategy=strategy, job=preview)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("lifecycle:spreadsheet") + f"?job={preview.pk}")
    return redirect("jobs:detail", pk=job.pk)


def spreadsheets_max_bytes() -> int:
    return attachment_max_bytes()


@login_required
@require_GET
def export(request, fmt):
    strategy = current_strategy()
    require(request.user, "lifecycle.import_measures")
    if fmt == "xlsx":
        body = spreadsheets.export_xlsx(strategy)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = spreadsheets.export_csv(strategy)
        ctype = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{strategy.slug}-measures.{fmt}"'
    return response
