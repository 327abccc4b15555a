"""Measurements by form, CSV/XLSX upload and API: row-level errors, all or nothing, idempotent."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from kompass.monitoring import services
from kompass.monitoring.models import IndicatorStatus, Measurement
from kompass.monitoring.values import parse_number

pytestmark = pytest.mark.django_db
MEASURE = "open-source-baukasten-fachverfahren"


@pytest.fixture
def team(seeded, make_user):
    from kompass.measures.models import Measure

    measure = Measure.objects.select_related("responsible_organisation").get(slug=MEASURE)
    return make_user("team@example.org", member_of=[measure.responsible_organisation]), measure


def _upload(client, name, content):
    """Upload through the page: the POST starts a job (run at commit, immediately in tests) and leads to the
    job page; the job's result link shows the outcome on the upload page. Returns that page (or the refused
    POST when the form itself rejects the file)."""
    from django.test import TestCase

    from kompass.jobs.models import Job
    from kompass.lifecycle.models import private_root

    uploads = private_root() / "monitoring" / "uploads"
    kept = set(uploads.glob("*"))  # files an interrupted earlier run may have left behind
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/en/monitoring/measures/{MEASURE}/upload/",
                               {"file": SimpleUploadedFile(name, content)})
    if response.status_code != 302:
        return response
    job = Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert (job.kind, job.status) == ("monitoring.upload", "done")
    assert job.result_url == f"/en/monitoring/measures/{MEASURE}/upload/?job={job.pk}"
    assert set(uploads.glob("*")) == kept  # the upload is deleted afterwards
    return client.get(job.result_url)


def test_bad_rows_are_reported_per_row_and_nothing_is_written(team, client):
    user, _measure = team
    client.force_login(user)
    before = Measurement.objects.count()
    csv = ("indicator;period;value;district;unit\n"
           "bsp-nachnutzungen;2026;8;;\n"                       # fine on its own
           "bsp-nachnutzungen;2026-Q1;acht;;\n"                 # not a number
           "bsp-nachnutzungen;1999;3;;\n"                       # before the baseline
           "bsp-gibt-es-nicht;2025;3;;\n"                       # unknown indicator
           "bsp-sensoren-installiert;2025;3;;\n"                # indicator of another measure
           "bsp-einzelloesungen;2025-06;3;;Stück\n"             # unit disagrees
           "bsp-einzelloesungen;2025-07;3;pankow;\n"            # no district breakdown
           "bsp-nachnutzungen;2025-07;3;atlantis;\n"            # unknown district
           "bsp-nachnutzungen;2099;3;;\n")                      # in the future
    response = _upload(client, "werte.csv", csv.encode())
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was saved" in text
    for fragment in ["Row 3", "is not a number", "Row 4", "outside the indicator", "Row 5", "Unknown indicator",
                     "Row 6", "Row 7", "disagrees", "Row 8", "no breakdown by district", "Row 9",
                     "Unknown district", "Row 10"]:
        assert fragment in text, fragment
    assert Measurement.objects.count() == before


def test_csv_upload_is_idempotent_and_refreshes_statuses(team, client):
    user, _measure = team
    client.force_login(user)
    before = Measurement.objects.count()
    old_status = IndicatorStatus.objects.get(indicator__slug="bsp-nachnutzungen")
    csv = ("indicator,period,value,district,provisional,source_note\n"
           "bsp-nachnutzungen,2026,30,,yes,Schätzung\n"
           "bsp-nachnutzungen,2025-01-01,3,pankow,no,\n")
    first = _upload(client, "werte.csv", csv.encode())
    assert first.status_code == 200 and "1 new, 1 changed" in first.content.decode()
    assert Measurement.objects.count() == before + 1
    again = _upload(client, "werte.csv", csv.encode())
    assert again.status_code == 200 and "0 new, 0 changed, 2 unchanged" in again.content.decode()
    assert Measurement.objects.count() == before + 1
    new_status = IndicatorStatus.objects.get(indicator__slug="bsp-nachnutzungen")
    assert new_status.latest_value == 30 and new_status.status != old_status.status
    assert Measurement.objects.get(indicator__slug="bsp-nachnutzungen", period="2026-01-01").is_provisional


def test_xlsx_upload(team, client):
    user, _measure = team
    client.force_login(user)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["indicator", "period", "value", "provisional"])
    sheet.append(["bsp-einzelloesungen", 2026, 100, "no"])
    sheet.append(["bsp-komponenten-veroeffentlicht", "2026", "12,5", "ja"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(client, "werte.xlsx", buffer.getvalue())
    assert response.status_code == 200
    assert Measurement.objects.get(indicator__slug="bsp-komponenten-veroeffentlicht", period="2026-01-01").value == 12.5


def test_unreadable_files_are_rejected(team, client):
    user, _measure = team
    client.force_login(user)
    before = Measurement.objects.count()
    for name, content, message in [
            ("werte.xlsx", b"not a workbook", "not a readable XLSX workbook"),
            ("werte.csv", b"\xff\xfe\x00", "UTF-8"),
            ("werte.csv", b"period,value\n2024,1\n", "Row 1, column “indicator”: This required column is missing."),
            ("werte.csv", b"\n\n", "The file is empty or its first row (the header) is blank.")]:
        page = _upload(client, name, content).content.decode()
        assert message in page and "Nothing was saved" in page, name
    refused = _upload(client, "werte.txt", b"indicator,period,value\n")
    assert refused.status_code == 400 and "Upload a .csv or .xlsx file." in refused.content.decode()
    assert Measurement.objects.count() == before


def test_api_reports_row_errors_without_writing(team, client):
    from kompass.accounts.services import api_token_create

    user, _measure = team
    _t, secret = api_token_create(actor=user, user=user, name="t")
    before = Measurement.objects.count()
    response = client.post("/api/v1/monitoring/indicators/bsp-nachnutzungen/measurements", {"measurements": [
        {"period": "2026", "value": 1}, {"period": "2026-13", "value": 2}, {"period": "2026-02", "value": "x"},
        {"period": "2026-03", "value": 3, "unit": "kg"}]}, content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 400
    locs = [d["loc"] for d in response.json()["detail"]]
    assert ["body", "measurements", "1", "period"] in locs and ["body", "measurements", "2", "value"] in locs
    assert ["body", "measurements", "3", "unit"] in locs
    assert Measurement.objects.count() == before
    assert client.post("/api/v1/monitoring/indicators/nope/measurements", {"measurements": []},
                       content_type="application/json",
                       headers={"Authorization": f"Bearer {secret}"}).status_code == 404


def test_api_get_indicator_publishes_method_and_components(seeded, client):
    data = client.get("/api/v1/monitoring/indicators/bsp-gebaeude-erfasst").json()
    assert data["method"] == "linear" and data["status"]["method"] == "linear"
    assert {"ratio", "achievement", "time_share", "base_value", "current_value"} <= set(data["status"]["components"])
    assert [t["version"] for t in data["targets"]] == [1, 2] and data["targets"][1]["cycle"] == "zyklus-2024"
    assert client.get("/api/v1/monitoring/indicators/nope").status_code == 404


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=__import__("datetime").date(1900, 1, 1), max_value=__import__("datetime").date(2200, 12, 31)),
       st.sampled_from(["yearly", "quarterly", "monthly", "irregular"]))
def test_period_labels_parse_back(day, cadence):
    label = services.period_label(day, cadence)
    parsed = services.parse_period(label)
    assert parsed == day  # a label names the period that starts on `day` (else the ISO date itself)
    later = day + __import__("datetime").timedelta(days=1)
    assert services.year_fraction(day) < services.year_fraction(later) <= later.year + 1


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda f: round(f, 2)))
def test_german_and_english_number_notation(value):
    assert parse_number(str(value)) == value
    german = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert parse_number(german) == pytest.approx(round(value, 2))


def test_ambiguous_number_notation():
    assert parse_number("1.234") == 1.234
    assert parse_number("1.234,5") == 1234.5
    assert parse_number("1.234.567") == 1234567
    assert parse_number("-0,75") == -0.75
    for bad in ["", "abc", "1,234.5", "nan", "inf", "1 2 3x"]:
        with pytest.raises((TypeError, ValueError)):
            parse_number(bad)


def test_reading_stops_at_the_row_limit(settings):
    settings.KOMPASS_MONITORING_UPLOAD_MAX_ROWS = 3
    ok = "indicator,period,value\n" + "".join(f"x,{2020 + i},1\n" for i in range(3))
    assert [r["_row"] for r in services.read_table("a.csv", ok.encode())] == [2, 3, 4]
    too_many = ok + "x,2030,1\n" + "not even read\"\n" * 10
    from django.utils import translation

    with translation.override("en"), pytest.raises(services.ImportRejected) as error:
        services.read_table("a.csv", too_many.encode())
    assert [(e.row, e.column) for e in error.value.errors] == [(5, "-")]
    assert error.value.errors[0].message == "The file has more than 3 data rows."
    book = openpyxl.Workbook()
    for i in range(6):
        book.active.append(["indicator", "period", "value"] if i == 0 else ["x", 2020 + i, i])
    buffer = io.BytesIO()
    book.save(buffer)
    with translation.override("en"), pytest.raises(services.ImportRejected, match="more than 3 data rows"):
        services.read_table("a.xlsx", buffer.getvalue())


def test_a_workbook_too_large_when_unpacked_is_refused_before_parsing(settings, monkeypatch):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<a/>" + " " * 2_000_000)  # 2 MB unpacked, a few KB packed
    settings.KOMPASS_MONITORING_UPLOAD_MAX_UNCOMPRESSED_BYTES = 1_000_000
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("parsed although too large"))
    from django.utils import translation

    with translation.override("en"), pytest.raises(services.ImportRejected) as error:
        services.read_table("bomb.xlsx", buffer.getvalue())
    assert len(buffer.getvalue()) < 20_000
    assert [e.message for e in error.value.errors] == ["The workbook unpacks to more than 976 KB; it is refused."]


@pytest.mark.parametrize(("day", "cadence", "label"), [
    (datetime.date(2024, 1, 1), "yearly", "2024"), (datetime.date(2024, 2, 1), "yearly", "2024-02-01"),
    (datetime.date(2024, 1, 2), "yearly", "2024-01-02"), (datetime.date(2024, 4, 1), "quarterly", "2024-Q2"),
    (datetime.date(2024, 5, 1), "quarterly", "2024-05-01"), (datetime.date(2024, 10, 1), "quarterly", "2024-Q4"),
    (datetime.date(2024, 5, 1), "monthly", "2024-05"), (datetime.date(2024, 5, 2), "monthly", "2024-05-02"),
    (datetime.date(2024, 1, 1), "irregular", "2024-01-01"),
])
def test_period_labels(day, cadence, label):
    assert services.period_label(day, cadence) == label


def test_default_upload_bounds():
    from kompass.core import tabular
    from kompass.monitoring.services import uploads

    assert (uploads.max_rows(), uploads.max_uncompressed_bytes()) == (100_000, tabular.MAX_BYTES)
