"""Helpers the lifecycle services share: the per-measure lock, team notifications,
the audited change and deletion of an item of a measure (team member, mandate, milestone)."""

from __future__ import annotations

from typing import Any

from kompass.audit.services import diff_fields, record_event
from kompass.lifecycle.models import Notification, TeamMember


def lock_measure(measure) -> None:
    """Serialise concurrent writers of one measure's process (phase moves, description versions)."""
    from kompass.measures.models import Measure

    list(Measure.objects.select_for_update().filter(pk=measure.pk).values_list("pk", flat=True))


def notify_team(measure, kind: str, text: str, exclude=None) -> int:
    """Queue a notification for every active team member of `measure` except `exclude`; returns how many."""
    users = {m.user for m in TeamMember.objects.filter(measure=measure).select_related("user") if m.user.is_active}
    if exclude is not None:
        users.discard(exclude)
    Notification.objects.bulk_create([Notification(recipient=u, measure=measure, kind=kind, text=text)
                                      for u in sorted(users, key=lambda u: u.pk)])
    return len(users)


def free_slug(base: str, taken) -> str:
    """`base`, or `base-2`, `base-3`, … : the first for which `taken(slug)` is false."""
    slug, n = base, 2
    while taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


def change_recorded(*, actor, obj, values: dict[str, Any], action: str, prefix: str, measure=None,
                    clean: bool = True) -> dict[str, tuple[Any, Any]]:
    """Write those of `values` that differ into `obj`, validate it (`clean`), save it and record one `action`
    event on its measure (`measure`, else `obj.measure`) with the changes as `prefix:field`. Nothing changes and
    nothing is recorded when nothing differs. Returns the changes ({field: (old, new)})."""
    changes = diff_fields(obj, values)
    if not changes:
        return changes
    for key, (_old, new) in changes.items():
        setattr(obj, key, new)
    if clean:
        obj.full_clean()
    obj.save()
    record_event(actor=actor, action=action, obj=measure if measure is not None else obj.measure,
                 changes={f"{prefix}:{k}": v for k, v in changes.items()})
    return changes


def delete_recorded(*, actor, obj, action: str, key: str, text: str) -> None:
    """Record the deletion of `obj` (`key`: `text` → nothing) on its measure, then delete it."""
    record_event(actor=actor, action=action, obj=obj.measure, changes={key: (text, None)})
    obj.delete()
