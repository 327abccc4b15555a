"""The shared tabular reader/writer: bounds while reading, clear errors, the formula guard on writing."""

import io
import time
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from kompass.core import tabular
from kompass.core.tabular import TabularError, read_table, safe_cell, write_csv, write_xlsx


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"klick\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=1+1"]


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(target_uncompressed: int = 70 * 1024 * 1024) -> bytes:
    """A valid workbook whose sheet XML unpacks to ~70 MB but compresses to about 70 KB."""
    base = zipfile.ZipFile(io.BytesIO(_xlsx([["a", "b"]])))
    row = '<row><c t="inlineStr"><is><t>' + "x" * 30000 + "</t></is></c></row>"
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet '
            'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    body = head + row * (target_uncompressed // len(row)) + "</sheetData></worksheet>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for item in base.infolist():
            data = body.encode() if item.filename == "xl/worksheets/sheet1.xml" else base.read(item.filename)
            bomb.writestr(item.filename, data)
    return out.getvalue()


def test_csv_reads_header_mapping_and_row_numbers():
    body = "\ufeffTitel;Wert\nA;1\n\n B ; 2 \n".encode()
    table = read_table("werte.csv", body, aliases={"title": ["Titel"], "value": ["wert"]}, required=["title"])
    assert table.header == ["title", "value"]
    assert [(r.number, r["title"], r["value"]) for r in table.rows] == [(2, "A", "1"), (4, "B", "2")]


def test_xlsx_values_become_text_and_keep_row_numbers():
    import datetime

    body = _xlsx([["name", "count", "day"], ["x", 3.0, datetime.datetime(2026, 5, 1)], [None, None, None],
                  ["y", 2.5, None]])
    table = read_table("t.xlsx", body)
    assert [(r.number, r.values) for r in table.rows] == [
        (2, {"name": "x", "count": "3", "day": "2026-05-01"}), (4, {"name": "y", "count": "2.5", "day": ""})]
    assert [r.number for r in read_table("t.xlsx", body, keep_blank=True).rows] == [2, 3, 4]


def test_missing_column_error_names_file_row_and_column():
    with pytest.raises(TabularError) as exc:
        read_table("data.csv", b"a,b\n1,2\n", required=["value"])
    assert (exc.value.file, exc.value.row, exc.value.column) == ("data.csv", 1, "value")
    assert str(exc.value).startswith("data.csv, ") and "value" in str(exc.value)


@pytest.mark.parametrize("body, problem", [
    (b"", "empty"), (b"a,b\n1,\x002\n", "NUL"), (b"a\n\xff\xfe\xfa\n", "UTF-8"), (b"a,a\n1,2\n", "twice"),
    (b"a,b\n1,2,3\n", "more cells"),
])
def test_broken_csv_gives_a_tabular_error(body, problem):
    with pytest.raises(TabularError, match=problem):
        read_table("x.csv", body)


def test_german_error_message(settings):
    from django.utils import translation

    with translation.override("de"), pytest.raises(TabularError) as exc:
        read_table("x.csv", b"a,b\n1,2,3\n")
    assert "Zeile 2" in str(exc.value)


def test_unknown_extension_and_garbage_xlsx():
    with pytest.raises(TabularError, match=r"\.xlsx"):
        read_table("x.ods", b"whatever")
    with pytest.raises(TabularError, match="XLSX"):
        read_table("x.xlsx", b"PK\x03\x04 not really a zip")


def test_row_limit_stops_reading_early():
    csv_body = ("n\n" + "1\n" * 50).encode()
    with pytest.raises(TabularError, match="more than 10 data rows") as exc:
        read_table("x.csv", csv_body, max_rows=10)
    assert exc.value.row == 12
    assert len(read_table("x.csv", csv_body, max_rows=50).rows) == 50
    with pytest.raises(TabularError, match="more than 10 data rows"):
        read_table("x.xlsx", _xlsx([["n"]] + [[i] for i in range(50)]), max_rows=10)


def test_byte_and_column_limits():
    with pytest.raises(TabularError, match="larger than"):
        read_table("x.csv", b"a\n" + b"x" * 2000, max_bytes=1000)
    with pytest.raises(TabularError, match="larger than"):
        read_table("x.csv", io.BytesIO(b"a\n" + b"x" * 2000), max_bytes=1000)
    with pytest.raises(TabularError, match="columns"):
        read_table("x.csv", (",".join(["c"] * 30) + "\n").encode(), max_columns=20)


def test_zip_bomb_is_refused_within_a_second():
    bomb = zip_bomb()
    assert len(bomb) < 90 * 1024
    started = time.monotonic()
    with pytest.raises(TabularError, match="unpacks to more than"):
        read_table("bomb.xlsx", bomb)
    assert time.monotonic() - started < 1.0


def test_zip_bomb_with_forged_sizes_is_refused_while_decompressing(monkeypatch):
    # Declared sizes are not trusted alone: when they claim little, the bytes actually produced still stop it.
    bomb = zip_bomb(4 * 1024 * 1024)
    monkeypatch.setattr(tabular, "_declared_size", lambda members: 0)
    with pytest.raises(TabularError, match="unpacks to more than"):
        read_table("bomb.xlsx", bomb, max_bytes=1024 * 1024)
    # A forged header is no way round it: zipfile stops at the declared size and the checksum fails.
    forged = bytearray(bomb)
    name = b"xl/worksheets/sheet1.xml"
    start = forged.rindex(b"PK\x01\x02", 0, forged.rindex(name))  # its central directory entry
    forged[start + 24:start + 28] = (100).to_bytes(4, "little")
    with pytest.raises(TabularError):
        read_table("forged.xlsx", bytes(forged))


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_guard(value):
    assert safe_cell(value) == "'" + value
    assert tabular.unguard(safe_cell(value)) == value


def test_guard_leaves_plain_values():
    assert [safe_cell(v) for v in ("Wasser", "a=b", 5, -3, 2.5, None)] == ["Wasser", "a=b", 5, -3, 2.5, None]


def test_csv_writer_neutralises_formulas_and_round_trips():
    body = write_csv(["title"], [[v] for v in HOSTILE])
    assert body.startswith("\ufeff".encode())
    import csv

    cells = [row[0] for row in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))][1:]
    assert cells == ["'" + v for v in HOSTILE]
    table = read_table("x.csv", body, strip_guard=True)
    assert [r["title"] for r in table.rows] == HOSTILE


def test_xlsx_writer_writes_strings_never_formulas():
    body = write_xlsx(["title", "n"], [[v, 1] for v in HOSTILE] + [["bad\x0bchar\x00", 2]], sheet="a/b:c")
    sheet = load_workbook(io.BytesIO(body)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == ["'" + v.replace("\r", "\n") for v in HOSTILE] + ["badchar"]
    assert sheet.cell(2, 2).data_type == "n" and sheet.title == "a_b_c"


def test_guarded_cells_and_semicolons_are_read_back_as_written():
    # Our own export guards "-r1" as "'-r1": the apostrophe must not be taken for a quote character.
    body = write_csv(["id", "gender"], [["-r1", "f"], ["-r2", "m"], ["=1+1", "f"]], bom=False)
    table = read_table("panel.csv", body, strip_guard=True)
    assert [(r["id"], r["gender"]) for r in table.rows] == [("-r1", "f"), ("-r2", "m"), ("=1+1", "f")]
    german = read_table("x.csv", "Name;Wert\n„Mitte, Nord“;1,5\n".encode())
    assert german.header == ["name", "wert"] and german.rows[0].values == {"name": "„Mitte, Nord“", "wert": "1,5"}
    tabs = read_table("x.tsv", b"a\tb\n1\t2\n")
    assert tabs.rows[0].values == {"a": "1", "b": "2"}


def test_an_unreadable_csv_row_is_named_without_a_python_message():
    import csv as _csv

    old = _csv.field_size_limit(100)
    try:
        with pytest.raises(TabularError) as err:
            read_table("x.csv", b"a,b\n1,2\n3," + b"y" * 500 + b"\n")
    finally:
        _csv.field_size_limit(old)
    assert err.value.row == 3 and "field larger" not in str(err.value) and "cannot be read as CSV" in str(err.value)


def test_machine_csv_keeps_values_byte_for_byte_for_a_verifier():
    """The verification bundle's CSV: no byte-order mark, LF line ends, quoting only where CSV needs it and no
    formula guard, so that a verifier reads back exactly the values whose hash was published."""
    data = tabular.write_machine_csv(["id", "feature"], [["p-1", "=A1"], ["p-2", 'a,"b"']])
    assert data == b'id,feature\np-1,=A1\np-2,"a,""b"""\n'
    table = read_table("pool.csv", data)
    assert [row.values["feature"] for row in table.rows] == ["=A1", 'a,"b"']
