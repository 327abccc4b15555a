"""Who acts: a person (a User) or a named system process.

Every service takes an explicit `actor`. Commands, jobs and loaders pass a `SystemActor` (for example
`SYSTEM` or `system_actor("lottery job")`), never `None`: a system actor holds every permission and audit
events record it by name, so "who did this" always has an answer.
"""

from __future__ import annotations

from dataclasses import dataclass


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
