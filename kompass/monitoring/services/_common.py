"""Helpers shared by the monitoring service modules (not part of the public service API)."""

from __future__ import annotations

#: Rows per bulk_create / bulk_update statement.
BATCH = 2000
#: Ids per `__in` filter (below SQLite's parameter limit).
IN_CHUNK = 900


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]
