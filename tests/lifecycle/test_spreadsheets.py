"""Measures as XLSX/CSV: all rows validated first, problems by row and column, idempotent re-import."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kompass.audit.models import AuditEvent
from kompass.lifecycle.models import MeasureExternalId, MeasureLifecycle, private_root
from kompass.lifecycle.services import measures_import as import_measures
from kompass.lifecycle.spreadsheets import COLUMNS, export_csv, export_xlsx
from kompass.measures.models import Measure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(**values):
    base = {"external_id": "X-1", "title": "Neue Maßnahme", "type": "decentral", "status": "planned",
            "responsible_organisation": "skzl", "districts": "mitte;pankow", "start": "2025", "pilot": "no",
            "phase": "exploration"}
    base.update(values)
    return [base.get(c, "") for c in COLUMNS]


def test_import_creates_then_reimport_changes_nothing(berlin, make_user):
    office = make_user("o@example.org", office=True)
    content = _xlsx([COLUMNS, _row(), _row(external_id="X-2", title="Zweite", districts="")])
    report = import_measures(actor=office, strategy=berlin, name="m.xlsx", content=content)
    assert report.ok and (report.created, report.updated, report.unchanged) == (2, 0, 0)
    measure = MeasureExternalId.objects.get(strategy=berlin, external_id="X-1").measure
    assert sorted(d.slug for d in measure.districts.all()) == ["mitte", "pankow"]
    assert MeasureLifecycle.objects.get(measure=measure).phase.slug == "exploration"
    events = AuditEvent.objects.count()
    again = import_measures(actor=office, strategy=berlin, name="m.xlsx", content=content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEvent.objects.count() == events
    changed = _xlsx([COLUMNS, _row(title="Umbenannt"), _row(external_id="X-2", title="Zweite", districts="")])
    third = import_measures(actor=office, strategy=berlin, name="m.xlsx", content=changed)
    assert (third.updated, third.unchanged) == (1, 1)
    measure.refresh_from_db()
    assert measure.title == "Umbenannt"


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_written(berlin, make_user):
    office = make_user("o@example.org", office=True)
    before = Measure.objects.count()
    content = _xlsx([COLUMNS, _row(), _row(external_id="X-1"), _row(external_id="X-3", type="zentral",
                                                                    districts="atlantis", start="gestern"),
                     _row(external_id="", responsible_organisation="nobody")])
    report = import_measures(actor=office, strategy=berlin, name="m.xlsx", content=content)
    found = {(p.row, p.column) for p in report.problems}
    assert {(3, "external_id"), (4, "type"), (4, "districts"), (4, "start"), (5, "external_id"),
            (5, "responsible_organisation")} <= found
    assert Measure.objects.count() == before and not MeasureExternalId.objects.exists()


def test_dry_run_reports_but_writes_nothing(berlin, make_user):
    office = make_user("o@example.org", office=True)
    report = import_measures(actor=office, strategy=berlin, name="m.xlsx", content=_xlsx([COLUMNS, _row()]),
                             dry_run=True)
    assert report.ok and report.created == 1
    assert not MeasureExternalId.objects.exists()


def test_export_then_import_is_a_no_op(berlin, make_user):
    office = make_user("o@example.org", office=True)
    for name, body in (("all.xlsx", export_xlsx(berlin)), ("all.csv", export_csv(berlin))):
        report = import_measures(actor=office, strategy=berlin, name=name, content=body)
        assert report.ok, report.problems[:3]
        assert (report.created, report.updated, report.unchanged) == (0, 0, berlin.measures.count())
    # The first import only linked the external ids (adopting measures by slug): bookkeeping, not a change.
    book = load_workbook(io.BytesIO(export_xlsx(berlin)))
    assert [c.value for c in book.active[1]] == COLUMNS


def test_bad_files_and_missing_columns(berlin, make_user):
    office = make_user("o@example.org", office=True)
    assert import_measures(actor=office, strategy=berlin, name="m.xlsx", content=b"nonsense").problems
    assert import_measures(actor=office, strategy=berlin, name="m.txt", content=b"a").problems
    report = import_measures(actor=office, strategy=berlin, name="m.csv", content=b"title,foo\nx,y\n")
    assert {(1, "external_id"), (1, "foo")} <= {(p.row, p.column) for p in report.problems}


def test_cli_import_and_export(berlin, tmp_path, make_user):
    make_user("o@example.org", office=True)
    path = tmp_path / "m.xlsx"
    path.write_bytes(_xlsx([COLUMNS, _row(external_id="CLI-1")]))
    call_command("lifecycle_import", str(path), "--dry-run")
    assert not MeasureExternalId.objects.exists()
    call_command("lifecycle_import", str(path), "--as", "o@example.org")
    assert MeasureExternalId.objects.filter(external_id="CLI-1").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("external_id,title,type,status,responsible_organisation\nB-1,T,zentral,planned,skzl\n")
    with pytest.raises(CommandError) as info:
        call_command("lifecycle_import", str(bad))
    assert "Zeile 2, Spalte type: muss einer dieser Werte sein" in str(info.value)
    out = tmp_path / "out.csv"
    call_command("lifecycle_export", str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbfexternal_id")


def test_office_page_runs_the_import_as_a_background_job(client, berlin, make_user,
                                                          django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kompass.jobs.models import Job

    office = make_user("o@example.org", office=True)
    client.force_login(office)
    upload = SimpleUploadedFile("m.xlsx", _xlsx([COLUMNS, _row(type="bad")]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lifecycle:spreadsheet"), {"file": upload})
    job = Job.objects.get(kind="lifecycle.import")
    assert response.status_code == 302 and response["Location"].endswith(f"/jobs/{job.pk}/")
    assert job.status == "done" and job.result["report"]["problems"][0]["column"] == "type"
    assert client.get(reverse("lifecycle:spreadsheet"), {"job": "not-a-uuid"}).status_code == 404
    result = client.get(job.result_url)
    assert result.status_code == 200 and "muss einer dieser Werte sein" in result.content.decode()
    upload = SimpleUploadedFile("m.csv", "\n".join([",".join(COLUMNS), ",".join(_row())]).encode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lifecycle:spreadsheet"), {"file": upload})  # a preview: nothing written
    assert not MeasureExternalId.objects.filter(external_id="X-1").exists()
    preview = Job.objects.filter(kind="lifecycle.import").order_by("-created_at").first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lifecycle:spreadsheet_confirm", args=[preview.pk]))
    assert MeasureExternalId.objects.filter(external_id="X-1").exists()
    assert not list((private_root() / "lifecycle" / "imports").glob("*"))  # the upload is deleted afterwards
    assert client.get(reverse("lifecycle:export", args=["xlsx"])).status_code == 200
    other = make_user("c@example.org")
    client.force_login(other)
    assert client.get(reverse("lifecycle:spreadsheet")).status_code == 403
    assert client.get(reverse("lifecycle:export", args=["csv"])).status_code == 403
    assert client.get(reverse("lifecycle:spreadsheet"), {"job": str(job.pk)}).status_code == 403


def _problems(report):
    return [(p.row, p.column, p.reason) for p in report.problems]


def test_the_slug_guard_refuses_bad_taken_and_duplicate_slugs(berlin, make_user):
    office = make_user("o@example.org", office=True)
    taken = berlin.measures.order_by("slug").first()
    MeasureExternalId.objects.create(measure=taken, strategy=berlin, external_id="OLD-1")
    before = Measure.objects.count()
    content = _xlsx([COLUMNS, _row(external_id="A", slug="Neue-Massnahme"), _row(external_id="B", slug="x" * 121),
                     _row(external_id="C", slug=taken.slug), _row(external_id="D", slug="frei"),
                     _row(external_id="E", slug="frei")])
    report = import_measures(actor=office, strategy=berlin, name="m.xlsx", content=content)
    assert _problems(report) == [
        (2, "slug", "nur Kleinbuchstaben, Ziffern und Bindestriche verwenden"),
        (3, "slug", "nur Kleinbuchstaben, Ziffern und Bindestriche verwenden"),
        (4, "slug", f"„{taken.slug}“ gehört zu einer anderen Maßnahme"),
        (6, "slug", "schon in Zeile 5 verwendet"),
    ]
    assert Measure.objects.count() == before


def test_a_given_slug_names_a_new_measure_and_adopts_an_unlinked_one(berlin, make_user):
    office = make_user("o@example.org", office=True)
    unlinked = berlin.measures.order_by("slug").first()
    content = _xlsx([COLUMNS, _row(external_id="N-1", slug="kiez-sensoren"),
                     _row(external_id="N-2", slug=unlinked.slug, title=unlinked.title, phase="")])
    report = import_measures(actor=office, strategy=berlin, name="m.xlsx", content=content)
    assert report.ok, _problems(report)
    assert report.created == 1
    assert Measure.objects.get(strategy=berlin, slug="kiez-sensoren").external_id.external_id == "N-1"
    assert MeasureExternalId.objects.get(external_id="N-2").measure == unlinked


def test_an_import_never_moves_a_measure_that_has_a_phase(berlin, make_user, phases):
    office = make_user("o@example.org", office=True)
    import_measures(actor=office, strategy=berlin, name="m.xlsx", content=_xlsx([COLUMNS, _row()]))
    measure = MeasureExternalId.objects.get(external_id="X-1").measure
    again = import_measures(actor=office, strategy=berlin, name="m.xlsx",
                            content=_xlsx([COLUMNS, _row(phase="skalierung")]))
    assert again.ok and MeasureLifecycle.objects.get(measure=measure).phase == phases["exploration"]
    assert measure.phase_transitions.count() == 1


def test_the_command_without_as_acts_as_a_named_system_process(berlin, tmp_path):
    path = tmp_path / "m.xlsx"
    path.write_bytes(_xlsx([COLUMNS, _row(external_id="CLI-1", title="Per Kommando")]))
    call_command("lifecycle_import", str(path))
    measure = Measure.objects.get(title="Per Kommando")
    labels = set(AuditEvent.objects.filter(object_id=str(measure.pk), action__startswith="measure.")
                 .values_list("actor_label", flat=True))
    assert labels == {"system:lifecycle-import command"}


def test_an_import_needs_the_import_right(berlin, make_user):
    from django.core.exceptions import PermissionDenied

    coordinator = make_user("c@example.org", coordinator_of=[berlin.organisations.get(slug="skzl")])
    with pytest.raises(PermissionDenied):
        import_measures(actor=coordinator, strategy=berlin, name="m.xlsx", content=_xlsx([COLUMNS, _row()]))
    assert not MeasureExternalId.objects.exists()


def test_the_import_reports_progress_every_25_rows(berlin, make_user):
    office = make_user("o@example.org", office=True)
    rows = [_row(external_id=f"P-{i}", title=f"Maßnahme {i}", districts="", phase="") for i in range(30)]
    calls = []
    report = import_measures(actor=office, strategy=berlin, name="m.xlsx", content=_xlsx([COLUMNS, *rows]),
                             progress=lambda done, total: calls.append((done, total)))
    assert report.ok and report.created == 30
    assert calls == [(0, 30), (25, 30)]
