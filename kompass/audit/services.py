"""Recording audit events. Every service that writes calls `record_event` inside its transaction."""

from __future__ import annotations

import datetime
import decimal
import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kompass.audit.errors import MissingActor
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
    """How an audit event names its actor: a system process by name, a person by a pseudonymous id
    (`user:<pk>`) — never by email or display name, so the trail keeps no personal data once an account is gone."""
    if actor is None:
        return SYSTEM_LABEL
    if getattr(actor, "is_system", False):
        return actor.label
    if getattr(actor, "pk", None) is not None:
        return f"user:{actor.pk}"
    return str(actor)


def _object_repr(obj: models.Model) -> str:
    from django.contrib.auth import get_user_model

    if isinstance(obj, get_user_model()):
        return f"user:{obj.pk}"
    return str(obj)[:300]


def forget_person(user) -> int:
    """Before an account is deleted: events keep `user:<pk>` as actor, and its email and display name are
    replaced by that id wherever an event quoted them (object_repr, changes). Returns the events changed."""
    from django.db.models import Q, TextField
    from django.db.models.functions import Cast

    pseudonym = f"user:{user.pk}"
    needles = [n for n in {(user.email or "").strip(), (getattr(user, "display_name", "") or "").strip()}
               if len(n) >= 3]
    events = AuditEvent.objects.annotate(_changes=Cast("changes", TextField()))
    match = Q(actor=user) | Q(content_type__model=user._meta.model_name, content_type__app_label=user._meta.app_label,
                              object_id=str(user.pk))
    for needle in needles:
        match |= Q(object_repr__icontains=needle) | Q(_changes__icontains=needle) | Q(actor_label__icontains=needle)
    changed = 0
    for event in events.filter(match):
        event.actor_label = pseudonym if event.actor_id == user.pk else _scrub(event.actor_label, needles, pseudonym)
        event.object_repr = _scrub(event.object_repr, needles, pseudonym)
        event.changes = _scrub(event.changes, needles, pseudonym)
        event.save(update_fields=["actor_label", "object_repr", "changes"])
        changed += 1
    return changed


def _scrub(value, needles: list[str], pseudonym: str):
    if isinstance(value, str):
        for needle in needles:
            value = re.sub(re.escape(needle), pseudonym, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_scrub(v, needles, pseudonym) for v in value]
    if isinstance(value, dict):
        return {_scrub(k, needles, pseudonym): _scrub(v, needles, pseudonym) for k, v in value.items()}
    return value


def record_event(*, actor, action: str, obj: models.Model | None = None, changes: dict | None = None,
                 label: str | None = None) -> AuditEvent:
    """Record one audit event. `actor` is a user or a `core.actors.SystemActor`; None is refused (MissingActor), so
    every event names who acted. `label` overrides how the actor is named (for example "public form")."""
    if actor is None:
        raise MissingActor(f"{action}: record_event needs a user or a SystemActor, not None")
    clean = {key: [_jsonable(old), _jsonable(new)] for key, (old, new) in (changes or {}).items()}
    is_person = actor is not None and not getattr(actor, "is_system", False) and actor.pk
    return AuditEvent.objects.create(
        actor=actor if is_person else None,
        actor_label=label or actor_label(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_object_repr(obj) if obj is not None else "",
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
