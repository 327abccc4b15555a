"""Helpers shared by the monitoring service modules (not part of the public service API)."""

from __future__ import annotations

from kompass.core.actors import is_system

#: Rows per bulk_create / bulk_update statement.
BATCH = 2000
#: Ids per `__in` filter (below SQLite's parameter limit).
IN_CHUNK = 900


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def person(actor):
    """The user behind `actor` for `created_by`/`entered_by` columns; None for a system actor."""
    return None if is_system(actor) or not getattr(actor, "pk", None) else actor
