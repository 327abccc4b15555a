"""The spreadsheet round trip (issue 13): an unchanged export re-imports as 0 changed with no timeline entries;
the preview shows which fields change in which row before anything is written, then "Import now" imports the
same file; a refused import reads "abgelehnt", not "erledigt"."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kompass.audit.models import AuditEvent
from kompass.core.actors import system_actor
from kompass.jobs.models import Job
from kompass.lifecycle import services
from kompass.lifecycle.models import MeasureLifecycle, PhaseTransition, private_root
from kompass.lifecycle.spreadsheets import export_csv, export_xlsx, read_rows
from kompass.measures.models import Measure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def office(make_user):
    return make_user("sheet-office@example.org", office=True)


def _csv(header, rows) -> bytes:
    lines = [",".join(header)] + [",".join(f'"{row[c]}"' for c in header) for row in rows]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_unchanged_export_changes_nothing_and_writes_no_timeline(berlin, office, fmt):
    assert Measure.objects.filter(strategy=berlin).exclude(lifecycle__isnull=False).exists()  # some without phase
    body = export_csv(berlin) if fmt == "csv" else export_xlsx(berlin)
    transitions, lifecycles = PhaseTransition.objects.count(), MeasureLifecycle.objects.count()
    events = AuditEvent.objects.filter(action__in=["measure.updated", "measure.phase_changed"]).count()
    report = services.measures_import(actor=office, strategy=berlin, name=f"all.{fmt}", content=body)
    assert report.ok and (report.created, report.updated) == (0, 0) and report.changes == []
    assert report.unchanged == Measure.objects.filter(strategy=berlin).count()
    assert (PhaseTransition.objects.count(), MeasureLifecycle.objects.count()) == (transitions, lifecycles)
    assert AuditEvent.objects.filter(action__in=["measure.updated", "measure.phase_changed"]).count() == events


def _changed_export(berlin):
    header, rows = read_rows("all.csv", export_csv(berlin))
    rows = [r for r in rows if r]
    unphased = [r for r in rows if not MeasureLifecycle.objects.filter(measure__slug=r["slug"]).exists()]
    rows[0]["title"] = rows[0]["title"] + " (neu)"
    rows[1]["status"] = "completed" if rows[1]["status"] != "completed" else "planned"
    unphased[0]["phase"] = "exploration"
    return header, rows, unphased[0]


def test_the_preview_lists_changed_fields_by_row_and_writes_nothing(berlin, office):
    header, rows, unphased = _changed_export(berlin)
    old_title = rows[0]["title"].removesuffix(" (neu)")
    report = services.measures_import(actor=office, strategy=berlin, name="m.csv", content=_csv(header, rows),
                                      dry_run=True)
    by_row = {c["row"]: c for c in report.changes}
    assert by_row[2]["fields"] == [{"column": "title", "old": old_title, "new": old_title + " (neu)"}]
    assert [f["column"] for f in by_row[3]["fields"]] == ["status"]
    phase_row = rows.index(unphased) + 2
    assert {"column": "phase", "old": "vorprozess", "new": "exploration"} in by_row[phase_row]["fields"]
    assert report.updated == len(report.changes) >= 3 and report.created == 0
    assert Measure.objects.get(slug=rows[0]["slug"]).title == old_title
    assert not MeasureLifecycle.objects.filter(measure__slug=unphased["slug"]).exists()


def test_preview_then_import_now_through_the_pages(client, berlin, office, make_user,
                                                   django_capture_on_commit_callbacks):
    header, rows, _unphased = _changed_export(berlin)
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lifecycle:spreadsheet"), {"file": SimpleUploadedFile("m.csv", _csv(header, rows))})
    preview = Job.objects.get(kind="lifecycle.import")
    page = client.get(reverse("lifecycle:spreadsheet"), {"job": str(preview.pk)}, HTTP_ACCEPT_LANGUAGE="de")
    html = page.content.decode()
    assert "Was sich beim Importieren ändert, nach Zeilen" in html and rows[0]["title"] in html
    assert reverse("lifecycle:spreadsheet_confirm", args=[preview.pk]) in html
    assert Measure.objects.get(slug=rows[0]["slug"]).title != rows[0]["title"]
    # Someone else with the import right cannot import another person's preview.
    other = make_user("sheet-other@example.org", office=True)
    client.force_login(other)
    assert client.post(reverse("lifecycle:spreadsheet_confirm", args=[preview.pk])).status_code == 302
    assert Job.objects.filter(kind="lifecycle.import").count() == 1
    citizen = make_user("sheet-citizen@example.org")
    client.force_login(citizen)
    assert client.post(reverse("lifecycle:spreadsheet_confirm", args=[preview.pk])).status_code == 403
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lifecycle:spreadsheet_confirm", args=[preview.pk]))
    imported = Job.objects.filter(kind="lifecycle.import").exclude(pk=preview.pk).get()
    assert response.status_code == 302 and response["Location"].endswith(f"/jobs/{imported.pk}/")
    assert imported.status == "done" and imported.result["report"]["dry_run"] is False
    assert Measure.objects.get(slug=rows[0]["slug"]).title == rows[0]["title"]
    assert not list((private_root() / "lifecycle" / "imports").glob("*"))  # the kept file is gone after import
    with django_capture_on_commit_callbacks(execute=True):  # a preview imports once
        client.post(reverse("lifecycle:spreadsheet_confirm", args=[preview.pk]))
    assert Job.objects.filter(kind="lifecycle.import").count() == 2
    assert AuditEvent.objects.filter(action="measures.import_confirmed", actor=office).count() == 1


def test_a_refused_import_reads_refused_not_done(client, berlin, office, django_capture_on_commit_callbacks):
    header, rows = read_rows("all.csv", export_csv(berlin))
    rows = [r for r in rows if r]
    rows[0]["type"] = "zentral"
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lifecycle:spreadsheet"), {"file": SimpleUploadedFile("m.csv", _csv(header, rows))})
    job = Job.objects.get(kind="lifecycle.import")
    assert job.refused and job.status_label == "abgelehnt"
    html = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<strong>abgelehnt</strong>" in html and "<strong>erledigt</strong>" not in html
    page = client.get(reverse("lifecycle:spreadsheet"), {"job": str(job.pk)}, HTTP_ACCEPT_LANGUAGE="de")
    assert "Datei abgelehnt: Es wurde nichts gespeichert" in page.content.decode()
    assert reverse("lifecycle:spreadsheet_confirm", args=[job.pk]) not in page.content.decode()
    assert not list((private_root() / "lifecycle" / "imports").glob("*"))


def test_a_system_actor_import_runs_under_its_own_name(berlin, office, django_capture_on_commit_callbacks):
    """The job's arguments name the system actor (not None), and the import's events carry that name."""
    header, rows, _unphased = _changed_export(berlin)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.spreadsheet_import_start(actor=system_actor("nightly import"), strategy=berlin,
                                                upload=SimpleUploadedFile("m.csv", _csv(header, rows)), dry_run=False)
    job.refresh_from_db()
    assert job.task_args[1] == "system:nightly import" and job.status == "done", job.message
    assert Measure.objects.get(slug=rows[0]["slug"]).title.endswith(" (neu)")
    assert PhaseTransition.objects.filter(actor_label="system:nightly import").exists()


def test_an_import_whose_starter_was_deactivated_does_not_run(berlin, office, django_capture_on_commit_callbacks):
    header, rows, _unphased = _changed_export(berlin)
    old_title = rows[0]["title"].removesuffix(" (neu)")
    with django_capture_on_commit_callbacks(execute=False) as enqueue:
        job = services.spreadsheet_import_start(actor=office, strategy=berlin, dry_run=False,
                                                upload=SimpleUploadedFile("m.csv", _csv(header, rows)))
    assert job.task_args[1] == office.pk
    office.is_active = False
    office.save(update_fields=["is_active"])
    for callback in enqueue:
        callback()
    job.refresh_from_db()
    assert job.status == "failed"
    assert Measure.objects.get(slug=rows[0]["slug"]).title == old_title
