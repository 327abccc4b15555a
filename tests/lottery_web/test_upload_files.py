"""The lottery's uploads (register extract for the invitation draw, respondents from the registry office) are read
by core.tabular: CSV or XLSX, bounded, and every problem is a German message naming the file, the row and the
problem — never a server path or a Python message — with nothing written."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from kompass.audit.models import AuditEvent
from kompass.lottery import services
from kompass.lottery.models import Invitation, Panel, PersonalData, Respondent

from .conftest import pool_csv, register_csv


def _xlsx(text: bytes, delimiter: str) -> bytes:
    book = Workbook()
    sheet = book.active
    for line in text.decode().splitlines():
        sheet.append(line.split(delimiter))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def test_an_xlsx_register_draws_the_same_invitations_as_the_csv(panel, officer):
    body = register_csv(40)
    other = services.panel_create(actor=officer, slug="zwei", title="Zwei", purpose=panel.purpose,
                                  retention_date=panel.retention_date, size=panel.size,
                                  categories=panel.categories, lottery_panels=200)
    from_csv = services.invitations_draw(actor=officer, panel=panel, content=body, filename="reg.csv", count=10,
                                         strata=["district"], seed="s")
    from_xlsx = services.invitations_draw(actor=officer, panel=other, content=_xlsx(body, ";"),
                                          filename="Register.XLSX", count=10, strata=["district"], seed="s")
    assert [i.register_id for i in from_csv] == [i.register_id for i in from_xlsx]
    person = PersonalData.objects.get(invitation=from_xlsx[0])
    assert person.name.startswith("Vor") and person.address.startswith("Weg ")


def test_an_xlsx_respondent_file_is_imported(panel, officer):
    body = pool_csv(12)
    assert services.respondents_import(actor=officer, panel=panel, content=_xlsx(body, ","),
                                       filename="pool.xlsx") == 12
    assert Respondent.objects.filter(panel=panel).count() == 12


@pytest.mark.parametrize("body, filename, expected", [
    (b"gender,district\nmale,Mitte\nfemale,Mitte,extra\n", "p.csv",
     "p.csv, Zeile 3: Diese Zeile hat mehr Zellen, als die Kopfzeile Spalten hat."),
    (b"gender,gender\nmale,male\n", "p.csv",
     "p.csv, Zeile 1, Spalte „gender“: Diese Spalte kommt zweimal vor (Spalten 1 und 2)."),
    (b"\xff\xfe\x00g\x00e\x00n", "C:\\Users\\amt\\p.csv",
     "p.csv: Die CSV-Datei ist nicht UTF-8-kodiert (speichern Sie sie als „CSV UTF-8“)."),
    (b"", "p.csv", "p.csv: Die Datei ist leer oder ihre erste Zeile (die Kopfzeile) ist leer."),
    (b"PK\x03\x04 kein Archiv", "p.xlsx", "p.xlsx: Die Datei ist keine lesbare XLSX-Arbeitsmappe."),
    (b"gender,district\n", "p.ods", "p.ods: Es können nur .xlsx- und .csv-Dateien gelesen werden."),
])
def test_a_bad_respondent_file_is_refused_in_german_and_nothing_is_written(panel, officer, body, filename,
                                                                           expected):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        services.respondents_import(actor=officer, panel=panel, content=body, filename=filename)
    assert _messages(err.value) == [expected]
    assert not Respondent.objects.exists() and AuditEvent.objects.count() == events
    panel.refresh_from_db()
    assert panel.stage == Panel.Stage.SETUP


def test_the_row_bound_applies_to_lottery_uploads(panel, officer, monkeypatch):
    from kompass.lottery import io as lio

    monkeypatch.setattr(lio, "MAX_ROWS", 5)
    with pytest.raises(ValidationError) as err:
        services.invitations_draw(actor=officer, panel=panel, content=register_csv(6), filename="reg.csv",
                                  count=2, strata=["district"], seed="s")
    assert _messages(err.value) == ["reg.csv, Zeile 7: Die Datei hat mehr als 5 Datenzeilen."]
    assert not Invitation.objects.exists()
    assert len(services.invitations_draw(actor=officer, panel=panel, content=register_csv(5), filename="reg.csv",
                                         count=2, strata=["district"], seed="s")) == 2


def test_the_import_page_shows_the_german_row_message(client, people, panel):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["officer"])
    bad = SimpleUploadedFile("meldebehoerde.csv", b"gender,district\nmale,Mitte\nunbekannt,Mitte\n",
                             content_type="text/csv")
    r = client.post(reverse("lottery:import", args=[panel.slug]), {"file": bad}, follow=True)
    page = r.content.decode()
    assert r.status_code == 200
    assert "Zeile 3, Spalte „gender“: „unbekannt“ ist keiner der Werte female, male" in page
    assert "/tmp" not in page and "is not one of" not in page
    assert not Respondent.objects.exists() and not PersonalData.objects.exists()
