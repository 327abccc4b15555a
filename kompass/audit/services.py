"""Recording audit events. Every service that writes calls `record_event` inside its transaction."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kompass.audit.models import AuditEvent

SYSTEM_LABEL = "system"


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(_jsonable(v) for v in value) if isinstance(value, set) else [_jsonable(v) for v in value]
    return value


def actor_label(actor) -> str:
    """How an audit event names its actor: a system process by name, a person by email."""
    if actor is None:
        return SYSTEM_LABEL
    if getattr(actor, "is_system", False):
        return actor.label
    return getattr(actor, "email", None) or str(actor)


def record_event(*, actor, action: str, obj: models.Model | None = None, changes: dict | None = None,
                 label: str | None = None) -> AuditEvent:
    """Record one audit event. `actor` is a user or a `core.actors.SystemActor` (legacy: None with a `label`)."""
    clean = {key: [_jsonable(old), _jsonable(new)] for key, (old, new) in (changes or {}).items()}
    is_person = actor is not None and not getattr(actor, "is_system", False) and actor.pk
    return AuditEvent.objects.create(
        actor=actor if is_person else None,
        actor_label=label or actor_label(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=clean,
    )


def diff_fields(instance: models.Model, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Return {field: (old, new)} for the entries of `data` that differ from the instance's current values."""
    changes = {}
    for key, new in data.items():
        old = getattr(instance, key)
        if old != new:
            changes[key] = (old, new)
    return changes
