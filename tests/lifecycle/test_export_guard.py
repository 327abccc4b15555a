"""The office's measure export (CSV and XLSX) neutralises a formula in a measure title: no cell starts with "=" and
every XLSX cell is a string."""

import io

import pytest
from openpyxl import load_workbook

from kompass.lifecycle.spreadsheets import export_csv, export_xlsx

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://evil.example/","Klick")'


def test_office_export_neutralises_a_formula_title(berlin):
    measure = berlin.measures.order_by("slug").first()
    measure.title = FORMULA
    measure.save(update_fields=["title"])
    text = export_csv(berlin).decode("utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in text
    assert not any(cell.startswith("=") for line in text.splitlines() for cell in line.split(","))
    sheet = load_workbook(io.BytesIO(export_xlsx(berlin))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "'" + FORMULA in [cell.value for cell in cells]
    assert all(cell.data_type == "s" for cell in cells)  # strings, never formulas
