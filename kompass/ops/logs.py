"""Structured logging: JSON lines (python-json-logger) with a fixed set of field names.

Every record has `time`, `level`, `logger`, `message` and `request_id`; the request log (`kompass.request`)
adds `method`, `path`, `view`, `status` and `duration_ms`. docs/operations.md lists the names."""

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", False)
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s", *args, **kwargs)
