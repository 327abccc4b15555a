"""Structured logging: JSON lines (python-json-logger) with a fixed set of field names.

Every record has `time`, `level`, `logger`, `message` and `request_id`; the request log (`kompass.request`)
adds `method`, `path`, `view`, `status` and `duration_ms`. docs/operations.md lists the names. `time` is ISO 8601
in UTC with its offset (`2026-12-02T02:19:37.292+00:00`): the process runs in the portal's time zone, and a local
time without an offset cannot be lined up with the logs of nginx, PgBouncer or another host."""

from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", False)
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s", *args, **kwargs)

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging.Formatter's name
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
