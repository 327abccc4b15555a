"""Helpers the lifecycle services share: the person behind an actor, the per-measure lock, team notifications."""

from __future__ import annotations

from kompass.core.actors import is_system
from kompass.lifecycle.models import Notification, TeamMember


def person(actor):
    """The User behind `actor` for a foreign key (`None` for a system actor)."""
    if actor is None or is_system(actor) or not getattr(actor, "pk", None):
        return None
    return actor


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
