"""Reading an uploaded CSV/XLSX file of measurements, with bounds: the reader stops early on too many rows and
refuses a workbook whose uncompressed size is too large (a "zip bomb"), before anything is parsed.

The shared tabular reader (`kompass.core.tabular`) was not on main yet when this was written; once it is,
`read_table` should delegate the file handling to it and keep only the column mapping."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kompass.monitoring.services.measurements import COLUMNS, REQUIRED_COLUMNS, ImportRejected, RowError

#: Defaults of the bounds (override with KOMPASS_MONITORING_UPLOAD_MAX_ROWS / _MAX_UNCOMPRESSED_BYTES).
MAX_ROWS = 100_000
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024


def max_rows() -> int:
    return int(getattr(settings, "KOMPASS_MONITORING_UPLOAD_MAX_ROWS", MAX_ROWS))


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "KOMPASS_MONITORING_UPLOAD_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES))


def _too_many_rows(limit: int) -> ImportRejected:
    return ImportRejected([RowError(limit + 2, "-", _("The file has more than %(limit)s rows; split it.")
                                    % {"limit": f"{limit:,}".replace(",", ".")})])


def _bounded(rows, limit: int) -> list[list]:
    """Non-empty rows (header included), at most `limit` data rows; stops reading at the first row too many."""
    kept = []
    for raw in rows:
        row = list(raw)
        if not any(c not in (None, "") for c in row):
            continue
        if len(kept) > limit:  # header + limit data rows are kept already
            raise _too_many_rows(limit)
        kept.append(row)
    return kept


def _xlsx_rows(content: bytes, limit: int) -> list[list]:
    unreadable = ImportRejected([RowError(0, "-", _("The file is not a readable XLSX workbook."))])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise unreadable from exc
    if unpacked > max_uncompressed_bytes():
        raise ImportRejected([RowError(0, "-", _("The workbook is too large when unpacked."))])
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            return _bounded(book.worksheets[0].iter_rows(values_only=True), limit)
        finally:
            book.close()
    except ImportRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a user error
        raise unreadable from exc


def _csv_rows(content: bytes, limit: int) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([RowError(0, "-", _("The file is not UTF-8 encoded CSV."))]) from exc
    first = text.split("\n", 1)[0]
    dialect = ";" if first.count(";") > first.count(",") else ","
    try:
        return _bounded(csv.reader(io.StringIO(text), delimiter=dialect), limit)
    except csv.Error as exc:
        raise ImportRejected([RowError(0, "-", _("The file is not readable CSV."))]) from exc


def read_table(name: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of an uploaded CSV (UTF-8, comma or semicolon) or XLSX file as dicts of the known columns.

    Raises ImportRejected for an unreadable or too large file or a missing required column."""
    limit = max_rows()
    raw_rows = _xlsx_rows(content, limit) if (name or "").lower().endswith(".xlsx") else _csv_rows(content, limit)
    if not raw_rows:
        raise ImportRejected([RowError(0, "-", _("The file is empty."))])
    header = [str(c or "").strip().lower() for c in raw_rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportRejected([RowError(1, c, _("This column is missing.")) for c in missing])
    rows = []
    for number, raw in enumerate(raw_rows[1:], start=2):
        row = {"_row": number}
        for index, column in enumerate(header):
            if column in COLUMNS:
                row[column] = raw[index] if index < len(raw) else None
        rows.append(row)
    return rows


def measurements_upload_start(*, actor, strategy, measure, upload):
    """Keep an uploaded file in private storage and start the job that checks and imports it
    (`monitoring.tasks.measurements_upload_task`; the import records its own audit event)."""
    import os
    import uuid

    from kompass.core.permissions import require
    from kompass.jobs.services import job_start
    from kompass.lifecycle.models import private_storage
    from kompass.monitoring.tasks import measurements_upload_task

    require(actor, "monitoring.change_monitoring", measure)
    ext = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    stored = private_storage().save(f"monitoring/uploads/{uuid.uuid4().hex}{ext}", upload)
    name = os.path.basename(upload.name)[:100]
    return job_start(actor=actor, kind=UPLOAD_JOB, title=_("Measurements from %(name)s") % {"name": name},
                     task=measurements_upload_task,
                     args=[strategy.pk, measure.pk, actor.pk, stored, name])


UPLOAD_JOB = "monitoring.upload"
#: At most this many row errors are kept in a job's result (the page says how many there were).
MAX_REPORTED_ERRORS = 200


def upload_import(*, actor, strategy, measure, name: str, content: bytes, progress=None) -> dict:
    """Read and import one uploaded file; the job's result: counts, or the row errors (nothing written)."""
    from kompass.monitoring.services.measurements import measurements_import

    try:
        rows = read_table(name, content)
        if progress:
            progress(0, len(rows))
        result = measurements_import(actor=actor, strategy=strategy, rows=rows, measure=measure,
                                     source=f"upload {name}"[:100])
    except ImportRejected as exc:
        return {"rows": 0, "n_errors": len(exc.errors),
                "errors": [e.as_dict() for e in exc.errors[:MAX_REPORTED_ERRORS]]}
    if progress:
        progress(len(rows), len(rows))
    return {"rows": len(rows), "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "n_errors": 0, "errors": []}
