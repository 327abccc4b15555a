"""One reader and one writer for every CSV and XLSX file Kompass reads or writes.

Reading is bounded while it happens: the byte size of the upload, the declared *and* the actual uncompressed size
of every member of an XLSX archive (a zip bomb stops after `max_bytes`, not after decompressing it all), the number
of rows (openpyxl runs in read-only mode and the reader stops at the row limit) and the number of columns. Every
problem is a `TabularError` that names the file, the row, the column and the problem in the active language.

Writing has the formula guard built in: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
gets a leading apostrophe, so neither Excel nor LibreOffice evaluates it, and XLSX cells are written as strings,
never as formulas. Characters that XLSX cannot hold (control characters) are dropped instead of failing the export.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

MAX_ROWS = 10_000
MAX_COLUMNS = 200
MAX_BYTES = 20 * 1024 * 1024  # uncompressed, for CSV text as well as for all XLSX members together
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_READ_CHUNK = 1 << 16

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TabularError(ValueError):
    """A file that cannot be read as a table; `str()` names file, row, column and problem."""

    def __init__(self, problem: str, *, file: str = "", row: int | None = None, column: str = ""):
        self.problem, self.file, self.row, self.column = str(problem), file or "", row, column or ""
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(pgettext("tabular", "row %(row)s") % {"row": self.row})
        if self.column:
            where.append(pgettext("tabular", "column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.problem}" if where else self.problem


@dataclass
class Row:
    """One data row: `number` is its row number in the file (the header is row 1)."""

    number: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[Row] = field(default_factory=list)


def default_header_key(text: str) -> str:
    """How a header cell is compared: trimmed and lower-cased."""
    return text.strip().lower()


def unguard(value: str) -> str:
    """Undo the formula guard of our own exports ("'=x" -> "=x") so that an export can be imported again."""
    return value[1:] if len(value) > 1 and value[0] == GUARD and value[1] in "".join(FORMULA_PREFIXES) else value


def cell_text(value: Any) -> str:
    """A spreadsheet value as text: dates in ISO form, whole floats without ".0", None as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --------------------------------------------------------------------------------------------------------- reading


def read_table(name: str, content: bytes | IO[bytes], *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES,
               max_columns: int = MAX_COLUMNS, aliases: Mapping[str, Iterable[str]] | None = None,
               required: Iterable[str] = (), header_key: Callable[[str], str] = default_header_key,
               keep_blank: bool = False, strip_guard: bool = False,
               encodings: Iterable[str] = ("utf-8-sig",)) -> Table:
    """Read a CSV or XLSX upload (chosen by the file name's extension) into a Table of text cells.

    `aliases` maps a canonical column name to other header spellings; `required` columns must be present.
    Blank rows are skipped unless `keep_blank` (then they appear with empty values). `strip_guard` undoes our
    export's formula guard. Raises TabularError."""
    lower = (name or "").lower()
    data = _read_bounded(name, content, max_bytes)
    if lower.endswith(".xlsx"):
        raw_rows = _xlsx_rows(name, data, max_rows=max_rows, max_bytes=max_bytes, max_columns=max_columns)
    elif lower.endswith((".csv", ".txt", ".tsv")):
        raw_rows = _csv_rows(name, data, max_rows=max_rows, max_columns=max_columns, encodings=tuple(encodings))
    else:
        raise TabularError(_("Only .xlsx and .csv files can be read."), file=name)
    first = next(raw_rows, None)
    if first is None or not any(first):
        raise TabularError(_("The file is empty or its first row (the header) is blank."), file=name)
    header = _map_header(name, first, aliases or {}, header_key)
    for column in required:
        if column not in header:
            raise TabularError(_("This required column is missing."), file=name, row=1, column=column)
    table = Table(name=name, header=header)
    for number, raw in enumerate(raw_rows, start=2):
        if not any(raw) and not keep_blank:
            continue
        if len(raw) > len(header) and any(raw[len(header):]):
            raise TabularError(_("This row has more cells than the header has columns."), file=name, row=number)
        values = {}
        for index, column in enumerate(header):
            if column:
                text = raw[index] if index < len(raw) else ""
                values[column] = unguard(text) if strip_guard else text
        table.rows.append(Row(number, values))
    return table


def _read_bounded(name: str, content: bytes | IO[bytes], max_bytes: int) -> bytes:
    if isinstance(content, bytes | bytearray | memoryview):
        data = bytes(content)
    else:
        data = content.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TabularError(_("The file is larger than %(limit)s.") % {"limit": _size(max_bytes)}, file=name)
    return data


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _map_header(name: str, cells: list[str], aliases: Mapping[str, Iterable[str]],
                header_key: Callable[[str], str]) -> list[str]:
    lookup = {}
    for canonical, spellings in aliases.items():
        for spelling in (canonical, *spellings):
            lookup[header_key(spelling)] = canonical
    header, seen = [], {}
    for index, cell in enumerate(cells, start=1):
        key = header_key(cell)
        column = lookup.get(key, key)
        if column and column in seen:
            raise TabularError(_("This column appears twice (columns %(first)s and %(second)s).")
                               % {"first": seen[column], "second": index}, file=name, row=1, column=cell.strip())
        if column:
            seen[column] = index
        header.append(column)
    while header and not header[-1]:
        header.pop()
    return header


def _decode(name: str, data: bytes, encodings: tuple[str, ...]) -> str:
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TabularError(_("The CSV file is not UTF-8 encoded (save it as “CSV UTF-8”)."), file=name)


def _csv_rows(name: str, data: bytes, *, max_rows: int, max_columns: int, encodings: tuple[str, ...]):
    text = _decode(name, data, encodings)
    if "\x00" in text:
        raise TabularError(_("The file contains NUL bytes; it is not a text file."), file=name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), quotechar='"')
    return _bounded(name, _csv_iter(name, reader), max_rows=max_rows, max_columns=max_columns)


def _delimiter(text: str) -> str:
    """Comma, semicolon (German Excel) or tab: whichever the header line holds most of (a comma on a tie).

    Decided on the header alone, and quotes are always double quotes: csv.Sniffer guesses the quote character from
    the data and takes the apostrophe of our own formula guard ("'-r1") for one, which breaks a round trip."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _csv_iter(name: str, reader):
    number = 0
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TabularError(_("This row cannot be read as CSV: perhaps a quotation mark is not closed or a cell "
                                 "is too long."), file=name, row=number) from exc
        yield [c.strip() for c in record]


def _bounded(name: str, rows, *, max_rows: int, max_columns: int):
    for index, row in enumerate(rows):
        if index > max_rows:  # index 0 is the header
            limit = number_format(max_rows, force_grouping=True)
            raise TabularError(_("The file has more than %(limit)s data rows.") % {"limit": limit},
                               file=name, row=index + 1)
        if len(row) > max_columns:
            while row and not row[-1]:
                row.pop()
            if len(row) > max_columns:
                raise TabularError(_("The row has more than %(limit)s columns.") % {"limit": max_columns},
                                   file=name, row=index + 1)
        yield row


def _check_archive(name: str, data: bytes, max_bytes: int) -> None:
    """Refuse an XLSX whose members would decompress to more than `max_bytes`: first by their declared sizes, then
    by counting the bytes actually produced (a forged header cannot hide a bomb), stopping at the limit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TabularError(_("The file is not a readable XLSX workbook."), file=name) from exc
    too_big = TabularError(_("The workbook unpacks to more than %(limit)s; it is refused.")
                           % {"limit": _size(max_bytes)}, file=name)
    with archive:
        members = archive.infolist()
        if len(members) > 1000 or _declared_size(members) > max_bytes:
            raise too_big
        total = 0
        try:
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(_READ_CHUNK):
                        total += len(chunk)
                        if total > max_bytes:
                            raise too_big
        except TabularError:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise TabularError(_("The file is not a readable XLSX workbook."), file=name) from exc


def _declared_size(members: list[zipfile.ZipInfo]) -> int:
    return sum(m.file_size for m in members)


def _xlsx_rows(name: str, data: bytes, *, max_rows: int, max_bytes: int, max_columns: int):
    _check_archive(name, data, max_bytes)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # do not trust a declared sheet size (rows would be padded to it)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken workbook; all are user errors
        raise TabularError(_("The file is not a readable XLSX workbook."), file=name) from exc

    def cells():
        try:
            for row in sheet.iter_rows(values_only=True, max_col=max_columns + 50):
                yield [cell_text(v) for v in row]
        except TabularError:
            raise
        except Exception as exc:  # noqa: BLE001 - see above
            raise TabularError(_("The file is not a readable XLSX workbook."), file=name) from exc
        finally:
            book.close()

    return _bounded(name, cells(), max_rows=max_rows, max_columns=max_columns)


# --------------------------------------------------------------------------------------------------------- writing


def safe_cell(value: Any) -> Any:
    """The formula guard: text that a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers, dates and None pass unchanged (they are never formulas); everything else becomes text."""
    if value is None or isinstance(value, bool | int | float | decimal.Decimal | datetime.date):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return GUARD + text
    return text


def write_csv(header: Iterable[Any] | None, rows: Iterable[Iterable[Any]], *, bom: bool = True,
              delimiter: str = ",") -> bytes:
    """CSV bytes (UTF-8, with a byte-order mark by default so Excel detects the encoding) with the formula guard."""
    out = io.StringIO()
    write_csv_to(out, header, rows, delimiter=delimiter)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def write_csv_to(stream, header: Iterable[Any] | None, rows: Iterable[Iterable[Any]], *,
                 delimiter: str = ",", lineterminator: str = "\r\n") -> None:
    """Write guarded CSV text into a text stream (for example a Django HttpResponse or an open file)."""
    writer = csv.writer(stream, delimiter=delimiter, lineterminator=lineterminator)
    if header is not None:
        writer.writerow([_csv_value(v) for v in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])


def write_machine_csv(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """CSV bytes for a program that must read the exact values back (the lottery's verification bundle, whose
    SHA-256 sums are published): UTF-8 without a byte-order mark, LF line ends and no formula guard. Only for
    values Kompass made or an officer configured (pseudonyms, labels, categories, quotas), never for text that
    people typed: those go through `write_csv`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(header))
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _csv_value(value: Any) -> Any:
    value = safe_cell(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def write_xlsx(header: Iterable[Any] | None, rows: Iterable[Iterable[Any]], *, sheet: str = "data") -> bytes:
    """XLSX bytes with one sheet; text cells are strings (never formulas) with the formula guard applied."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    ws = book.create_sheet(_sheet_title(sheet))

    def line(values):
        cells = []
        for value in values:
            value = safe_cell(value)
            if isinstance(value, str):
                cell = WriteOnlyCell(ws, value=None)
                cell._value = _ILLEGAL_XLSX.sub("", value)
                cell.data_type = "s"  # a string cell: Excel and LibreOffice never evaluate it
            else:
                cell = WriteOnlyCell(ws, value=value)
            cells.append(cell)
        return cells

    if header is not None:
        ws.append(line(header))
    for row in rows:
        ws.append(line(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    return (re.sub(r"[\\/*?:\[\]]", "_", title) or "data")[:31]


def write_table(fmt: str, header: Iterable[Any] | None, rows: Iterable[Iterable[Any]], *,
                sheet: str = "data") -> tuple[bytes, str]:
    """(body, content type) for `fmt` "csv" or "xlsx"."""
    if fmt == "xlsx":
        return write_xlsx(header, rows, sheet=sheet), XLSX_CONTENT_TYPE
    if fmt == "csv":
        return write_csv(header, rows), CSV_CONTENT_TYPE
    raise ValueError(f"unknown tabular format {fmt!r}")
