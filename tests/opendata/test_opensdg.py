"""Open SDG exchange: the export has Open SDG's layout, reads back to the same values, and an Open SDG repository
imports into a measure's impact chain through the monitoring services."""

import io
import zipfile

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from kompass.core.actors import system_actor
from kompass.monitoring.models import Indicator, Measurement
from kompass.opendata import opensdg, services

pytestmark = pytest.mark.django_db


def test_export_has_open_sdg_layout_and_round_trips(client, seeded):
    response = client.get("/opendata/open-sdg.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(response.content))
    names = zf.namelist()
    data = [n for n in names if n.startswith("data/indicator_")]
    meta = [n for n in names if n.startswith("meta/")]
    assert len(data) == len(meta) == Indicator.objects.filter(measure__strategy=seeded).count()
    front = zf.read(meta[0]).decode().split("---")[1]
    fields = yaml.safe_load(front)
    assert {"indicator_number", "indicator_name", "reporting_status", "graph_type", "computation_units"} <= set(fields)
    assert zf.read(data[0]).decode().splitlines()[0] == "Year,Units,Bezirk,GeoCode,Value"
    parsed = {i.slug: i for i in opensdg.parse(opensdg.read_files(response.content))}
    sensors = parsed["bsp-sensoren-installiert"]
    assert sensors.headline == {2021: 0, 2022: 90, 2023: 180, 2024: 260, 2025: 330}
    assert sensors.targets == [(400.0, 2026)]


def _repo(tmp_path, csv_text, meta_text, number="3-1-1"):
    (tmp_path / "data").mkdir()
    (tmp_path / "meta").mkdir()
    (tmp_path / "data" / f"indicator_{number}.csv").write_text(csv_text, encoding="utf-8")
    (tmp_path / "meta" / f"{number}.md").write_text(meta_text, encoding="utf-8")
    return tmp_path


META = """---
indicator_number: 3.1.1
indicator_name: Anteil öffentlicher WLAN-Hotspots mit Barrierefreiheit
computation_units: "%"
source_organisation_1: Amt für Statistik
progress_calculation_options:
  - direction: positive
    target: 80
    target_year: 2030
---
Definition.
"""
CSV = ("Year,Units,Bezirk,GeoCode,Geschlecht,Value\n2020,%,,,,10\n2021,%,,,,20\n2022,%,,,,35\n"
       "2022,%,Mitte,11000001,,40\n2022,%,,,weiblich,33\n")


def test_import_creates_an_indicator_with_targets_and_district_values(seeded, tmp_path):
    measure = seeded.measures.get(slug="bodenfeuchte-sensoren-strassenbaeume")
    files = opensdg.read_files(_repo(tmp_path, CSV, META))
    report = services.opensdg_import(actor=system_actor("test"), strategy=seeded, measure=measure,
                                     indicators=opensdg.parse(files), goal_title="Aus Open SDG")
    ind = Indicator.objects.get(slug="sdg-3-1-1")
    assert ind.measure == measure and ind.goal.level == "impact" and ind.unit == "%" and ind.by_district
    assert (ind.goal.title, ind.goal.position) == ("Aus Open SDG", 99)  # a new goal goes after the measure's own
    assert [t.value for t in ind.target_versions.all()] == [80]
    values = sorted((m.period.year, m.district.slug if m.district else "", m.value)
                    for m in Measurement.objects.filter(indicator=ind))
    assert values == [(2020, "", 10), (2021, "", 20), (2022, "", 35), (2022, "mitte", 40)]
    assert report.skipped_rows == 1  # the breakdown by sex has no place in Kompass
    assert (report.indicators_created, report.targets, report.measurements) == (1, 1, 4)
    assert ind.computed.status  # statuses were refreshed
    again = services.opensdg_import(actor=system_actor("test"), strategy=seeded, measure=measure,
                                    indicators=opensdg.parse(files), goal_title="Aus Open SDG")
    assert again.indicators_created == 1 and again.measurements == 0 and again.targets == 0


def test_import_is_refused_to_people_without_the_monitoring_right(seeded, tmp_path, make_user):
    from django.core.exceptions import PermissionDenied

    measure = seeded.measures.get(slug="bodenfeuchte-sensoren-strassenbaeume")
    stranger = make_user("stranger-sdg@example.org")
    with pytest.raises(PermissionDenied):
        services.opensdg_import(actor=stranger, strategy=seeded, measure=measure,
                                indicators=opensdg.parse(opensdg.read_files(_repo(tmp_path, CSV, META))))
    assert not Indicator.objects.filter(slug="sdg-3-1-1").exists()


@pytest.mark.parametrize("csv_text,problem", [
    ("Year,Value\n2020,viel\n", "not a number"),
    ("Jahr,Wert\n2020,1\n", "Year and Value"),
    ("Year,Value\nzwanzig,1\n", "not a year"),
    ("Year,Value\n2020,nan\n", "not finite"),
])
def test_bad_repositories_exit_2_and_write_nothing(seeded, tmp_path, csv_text, problem):
    before = Indicator.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("opensdg_import", str(_repo(tmp_path, csv_text, META)), "--measure",
                     "bodenfeuchte-sensoren-strassenbaeume")
    assert exc.value.returncode == 2 and problem in str(exc.value) and "indicator_3-1-1.csv" in str(exc.value)
    assert Indicator.objects.count() == before


def test_command_round_trip(seeded, tmp_path):
    call_command("opensdg_export", str(tmp_path / "out.zip"))
    assert zipfile.is_zipfile(tmp_path / "out.zip")
    out = io.StringIO()
    call_command("opensdg_import", str(tmp_path / "out.zip"), "--measure", "bodenfeuchte-sensoren-strassenbaeume",
                 stdout=out)
    assert "0 indicators created" in out.getvalue() and "0 measurements" in out.getvalue()
