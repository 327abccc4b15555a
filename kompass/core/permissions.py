"""The one permission check every service uses: `require(actor, "app.verb_model", obj)`.

Permissions are django-rules rules, each registered in the `rules.py` of the app that owns the model
(adhocracy4 style: `measures.change_measure`, `participation.moderate_idea`, …). A `SystemActor` holds every
permission; `None` is not an actor and is refused loudly, so no code path can silently mean "all rights".
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from kompass.audit.errors import MissingActor

__all__ = ["MissingActor", "allowed", "require"]


def require(actor, perm: str, obj=None) -> None:
    """Raise PermissionDenied unless `actor` holds `perm` (on `obj`, when given)."""
    if actor is None:
        raise MissingActor(f"{perm}: pass a user or a SystemActor, not None")
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def allowed(actor, perm: str, obj=None) -> bool:
    """True when `actor` holds `perm`; for templates and views that only decide what to show."""
    return actor is not None and bool(actor.has_perm(perm, obj))
