"""Open-data CSVs go through the shared guarded writer: a measure title or a unit that a spreadsheet would run as a
formula is neutralised, numbers stay numbers, and our own Open SDG export still reads back."""

import csv
import io
import zipfile

import pytest

from kompass.measures.models import Measure
from kompass.monitoring.models import Indicator
from kompass.opendata import opensdg

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://x")'


def test_catalogue_csv_neutralises_a_formula_in_a_measure_title(client, berlin):
    measure = Measure.objects.filter(strategy=berlin).order_by("pk").first()
    Measure.objects.filter(pk=measure.pk).update(title=EVIL)
    response = client.get(f"/opendata/{berlin.slug}-massnahmen/measures.csv")
    assert response.status_code == 200
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8")))}
    assert rows[measure.slug]["title"] == "'" + EVIL


def test_open_sdg_csv_guards_the_unit_keeps_values_numeric_and_reads_back(client, seeded):
    ind = Indicator.objects.get(slug="bsp-sensoren-installiert")
    Indicator.objects.filter(pk=ind.pk).update(unit="-" + EVIL)
    ind.measurements.filter(district__isnull=True).update(value=-1.5)
    zf = zipfile.ZipFile(io.BytesIO(client.get("/opendata/open-sdg.zip").content))
    texts = [zf.read(n).decode() for n in zf.namelist() if n.startswith("data/indicator_")]
    ours = next(t for t in texts if "-" + EVIL.replace('"', '""') in t)
    rows = list(csv.DictReader(io.StringIO(ours)))
    assert all(r["Units"] == "'-" + EVIL for r in rows)
    assert any(r["Value"] == "-1.5" for r in rows)
    parsed = {i.slug: i for i in opensdg.parse(opensdg.read_files(zf.fp.getvalue()))}
    assert -1.5 in parsed["bsp-sensoren-installiert"].headline.values()
