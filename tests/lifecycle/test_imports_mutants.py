"""Spreadsheet imports of the lifecycle services, pinned where mutation testing found them loose
(docs/mutation/flow.md): kept preview files, who may confirm a checked file, slugs of imported measures and
errors while writing. Split from test_services_mutants.py."""

import datetime

import pytest

from kompass.lifecycle import services

pytestmark = pytest.mark.django_db


def test_only_previews_older_than_a_day_lose_their_kept_file():
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from kompass.jobs.models import Job
    from kompass.lifecycle.models import private_storage
    from kompass.lifecycle.services.imports import _forget_old_previews

    storage = private_storage()
    jobs = {}
    for name, age in (("alt", datetime.timedelta(days=2)), ("neu", datetime.timedelta(hours=2))):
        kept = storage.save(f"imports/{name}.xlsx", ContentFile(b"xlsx"))
        job = Job.objects.create(kind="lifecycle.import", title=name, task_args=[1, "upload.xlsx", kept],
                                 result={"report": {"dry_run": True}})
        Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - age)
        jobs[name] = (job.pk, kept)
    no_file = Job.objects.create(kind="lifecycle.import", title="ohne Datei", task_args=[1, "upload.xlsx"],
                                 result={"report": {"dry_run": True}})  # a preview that kept no file
    Job.objects.filter(pk=no_file.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    try:
        _forget_old_previews()
        assert Job.objects.get(pk=no_file.pk).result["forgotten"] is True
        old_pk, old_file = jobs["alt"]
        new_pk, new_file = jobs["neu"]
        assert not storage.exists(old_file) and Job.objects.get(pk=old_pk).result["forgotten"] is True
        assert storage.exists(new_file) and "forgotten" not in Job.objects.get(pk=new_pk).result
    finally:
        for _pk, kept in jobs.values():
            if storage.exists(kept):
                storage.delete(kept)


def test_a_validation_error_while_writing_becomes_one_file_level_problem_and_nothing_is_counted(
        berlin, make_user, monkeypatch, settings, tmp_path):
    from django.core.exceptions import ValidationError

    from kompass.lifecycle.services import imports
    from kompass.lifecycle.spreadsheets import COLUMNS
    from kompass.measures.models import Measure
    from tests.lifecycle.test_spreadsheets import _row, _xlsx

    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"
    real_write = imports._write

    def write_then_refuse(*args):
        real_write(*args)
        raise ValidationError("Der Titel ist schon vergeben.")

    monkeypatch.setattr(imports, "_write", write_then_refuse)
    before = Measure.objects.count()
    report = imports.measures_import(actor=make_user("o@example.org", office=True), strategy=berlin, name="m.xlsx",
                                     content=_xlsx([COLUMNS, _row()]))
    assert [(p.row, p.column, p.reason) for p in report.problems] == [(0, "", "Der Titel ist schon vergeben.")]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0) and not report.ok
    assert Measure.objects.count() == before


def _preview(storage, user, name="massnahmen.xlsx"):
    from django.core.files.base import ContentFile

    from kompass.jobs.models import Job

    kept = storage.save("lifecycle/imports/vorschau.xlsx", ContentFile(b"xlsx"))
    return Job.objects.create(kind="lifecycle.import", title="Check", status="done", created_by=user,
                              task_args=[0, user.pk, kept, name, True],
                              result={"report": {"dry_run": True, "problems": []}})


def test_only_the_person_who_checked_a_file_may_import_it(settings, tmp_path, make_user):
    from kompass.lifecycle.models import private_storage
    from kompass.lifecycle.services.imports import confirmable

    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"
    older, checker, younger = (make_user(f"{n}@example.org", office=True) for n in ("a", "b", "c"))
    job = _preview(private_storage(), checker)
    assert confirmable(job, checker)
    assert not confirmable(job, older) and not confirmable(job, younger) and not confirmable(job, None)


def test_a_confirmed_import_runs_on_the_checked_file_under_its_name(settings, tmp_path, berlin, make_user):
    from kompass.lifecycle.models import private_storage

    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"
    office = make_user("o@example.org", office=True)
    job = _preview(private_storage(), office)
    job.task_args[0] = berlin.pk
    job.save()
    started = services.spreadsheet_import_confirm(actor=office, strategy=berlin, job=job)
    assert started.task_args == [berlin.pk, office.pk, job.task_args[2], "massnahmen.xlsx", False]
    assert "massnahmen.xlsx" in started.title and started.temp_files == [job.task_args[2]]


def test_an_imported_measure_whose_slug_is_taken_gets_the_next_free_one(berlin, fresh, make_user):
    from kompass.lifecycle.services import imports
    from kompass.lifecycle.spreadsheets import COLUMNS
    from kompass.measures.models import Measure
    from tests.lifecycle.test_spreadsheets import _row, _xlsx

    title = fresh.slug.replace("-", " ").title()  # a new measure (no slug given) whose title gives fresh's slug
    assert title != fresh.title
    report = imports.measures_import(actor=make_user("o@example.org", office=True), strategy=berlin, name="m.xlsx",
                                     content=_xlsx([COLUMNS, _row(external_id="X-9", title=title)]))
    assert report.ok and (report.created, report.updated) == (1, 0)
    assert Measure.objects.get(pk=fresh.pk).title == fresh.title  # the measure holding the slug is left alone
    assert Measure.objects.get(strategy=berlin, slug=f"{fresh.slug}-2").title == title


@pytest.mark.parametrize("offset", [-1, 1])  # the checked file belongs to a strategy with a smaller / larger id
def test_a_check_of_another_strategy_cannot_be_confirmed(settings, tmp_path, berlin, make_user, offset):
    from django.core.exceptions import ValidationError

    from kompass.jobs.models import Job
    from kompass.lifecycle.models import private_storage

    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"
    office = make_user("o@example.org", office=True)
    job = _preview(private_storage(), office)
    job.task_args[0] = berlin.pk + offset
    job.save()
    with pytest.raises(ValidationError):
        services.spreadsheet_import_confirm(actor=office, strategy=berlin, job=job)
    assert Job.objects.filter(kind="lifecycle.import").count() == 1  # no import was started
    assert not Job.objects.get(pk=job.pk).result.get("confirmed_by")
