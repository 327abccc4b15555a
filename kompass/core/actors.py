"""Who acts: a person (a User) or a named system process.

Every service takes an explicit `actor`. Commands, jobs and loaders pass a `SystemActor` (for example
`SYSTEM` or `system_actor("lottery job")`), never `None`: a system actor holds every permission and audit
events record it by name, so "who did this" always has an answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from kompass.audit.errors import MissingActor


@dataclass(frozen=True)
class SystemActor:
    """A named system process (a command, a background job, a loader). Holds every permission."""

    name: str = "system"

    # The attributes django-rules predicates and services read from a user.
    pk = None
    id = None
    is_active = True
    is_authenticated = True
    is_anonymous = False
    is_system = True

    def has_perm(self, perm: str, obj=None) -> bool:  # noqa: ARG002 - same signature as User.has_perm
        return True

    @property
    def label(self) -> str:
        return f"system:{self.name}"

    def __str__(self) -> str:
        return self.label


SYSTEM = SystemActor("system")


def system_actor(name: str) -> SystemActor:
    """A system actor with a name that says which process acted (shown in audit events)."""
    return SystemActor(name)


def is_system(actor) -> bool:
    return isinstance(actor, SystemActor)


def person(actor):
    """The User behind `actor` for a `created_by`-style foreign key: None for a system actor or no actor."""
    return None if actor is None or is_system(actor) or not getattr(actor, "pk", None) else actor


SYSTEM_PREFIX = "system:"


def actor_ref(actor) -> int | str:
    """How a background job's arguments (JSON) name who started it: a person by primary key, a system actor by
    its label (`system:<name>`). None, an anonymous or an unsaved user cannot start a job (MissingActor)."""
    if actor is None:
        raise MissingActor("a job needs a user or a SystemActor, not None")
    if is_system(actor):
        return actor.label
    if getattr(actor, "pk", None) is None:
        raise MissingActor("a job needs a saved user or a SystemActor")
    return actor.pk


def actor_from_ref(ref):
    """The actor `actor_ref` named, for the job that runs later: the system actor of that name, or the person,
    who must still have an active account. A deleted or deactivated account's job stops (PermissionDenied)
    rather than run with other rights; None (no actor named) is refused (MissingActor)."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    if isinstance(ref, str) and ref.startswith(SYSTEM_PREFIX) and len(ref) > len(SYSTEM_PREFIX):
        return SystemActor(ref[len(SYSTEM_PREFIX):])
    if isinstance(ref, bool) or not isinstance(ref, int):
        raise MissingActor(f"a job names no actor ({ref!r}): pass actor_ref(actor)")
    user = get_user_model().objects.filter(pk=ref, is_active=True).first()
    if user is None:
        raise PermissionDenied("the account that started this job no longer exists or is deactivated")
    return user
