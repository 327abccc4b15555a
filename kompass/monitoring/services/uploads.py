"""Reading an uploaded CSV/XLSX file of measurements through the shared bounded reader `kompass.core.tabular`
(row limit while reading, unpacked-size check of a workbook before it is parsed, errors naming row and column),
and the background job that checks and imports it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kompass.core import tabular
from kompass.monitoring.services.measurements import COLUMNS, REQUIRED_COLUMNS, ImportRejected, RowError

#: Defaults of the bounds (override with KOMPASS_MONITORING_UPLOAD_MAX_ROWS / _MAX_UNCOMPRESSED_BYTES).
MAX_ROWS = 100_000
MAX_UNCOMPRESSED_BYTES = tabular.MAX_BYTES


def max_rows() -> int:
    return int(getattr(settings, "KOMPASS_MONITORING_UPLOAD_MAX_ROWS", MAX_ROWS))


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "KOMPASS_MONITORING_UPLOAD_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES))


def read_table(name: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of an uploaded CSV (UTF-8, comma or semicolon) or XLSX file as dicts of the known columns (text
    cells), each with its row number in the file as `_row`.

    Raises ImportRejected for an unreadable or too large file or a missing required column."""
    try:
        table = tabular.read_table(name, content, max_rows=max_rows(), max_bytes=max_uncompressed_bytes(),
                                   required=REQUIRED_COLUMNS)
    except tabular.TabularError as exc:
        raise ImportRejected([RowError(exc.row or 0, exc.column or "-", exc.problem)]) from exc
    return [{"_row": row.number, **{c: v for c, v in row.values.items() if c in COLUMNS}} for row in table.rows]


def measurements_upload_start(*, actor, strategy, measure, upload):
    """Keep an uploaded file in private storage and start the job that checks and imports it
    (`monitoring.tasks.measurements_upload_task`; the import records its own audit event)."""
    import os
    import uuid

    from kompass.core.actors import actor_ref
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
                     args=[strategy.pk, measure.pk, actor_ref(actor), stored, name])


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
