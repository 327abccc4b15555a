"""One lookup per account and request for the role facts that permission predicates ask again and again
(ADR 0044): the organisations an account belongs to (with the role) and, registered by lifecycle, the measure teams
it is on. A page asks several permissions on the same measure (edit, workspace, monitoring, replication, the
"My tasks" link); each used to be its own query.

The facts are kept on the user object, which lives for one request (AuthenticationMiddleware loads it for each).
Any save or delete of a Membership or TeamMember in this process starts a new version, so a check after a write
in the same process sees the write; the version is per process, which is enough for objects that live one request.
"""

from __future__ import annotations

from collections.abc import Callable

_version = [0]
_ATTR = "_kompass_role_facts"


def changed(**kwargs) -> None:
    """Signal receiver: a membership or team membership changed."""
    _version[0] += 1


def fact(user, name: str, load: Callable[[], object]):
    """The memoised `load()` for `user` (loaded again after any role change in this process)."""
    memo = getattr(user, _ATTR, None)
    if memo is None or memo[0] != _version[0]:
        memo = (_version[0], {})
        try:
            setattr(user, _ATTR, memo)
        except AttributeError:  # an object that takes no attributes: no memo
            return load()
    facts = memo[1]
    if name not in facts:
        facts[name] = load()
    return facts[name]


def memberships(user) -> dict[int, str]:
    """organisation id -> role of every membership of `user` (one query per request)."""
    from kompass.accounts.models import Membership

    return fact(user, "memberships", lambda: dict(
        Membership.objects.filter(user=user).values_list("organisation_id", "role")))


_team_loader: list[Callable] = []


def register_team_loader(load: Callable, model) -> None:
    """lifecycle provides the measure teams: `load(user)` -> {measure id: {roles}}; writes of `model` start a new
    version of the facts."""
    _team_loader[:] = [load]
    watch(model)


def teams(user) -> dict[int, set[str]]:
    """measure id -> roles of `user` on that measure's team (one query per request; empty without lifecycle)."""
    if not _team_loader:
        return {}
    return fact(user, "teams", lambda: _team_loader[0](user))


def watch(model) -> None:
    from django.db.models.signals import post_delete, post_save

    label = model._meta.label
    post_save.connect(changed, sender=model, dispatch_uid=f"kompass.accounts.roles.save.{label}")
    post_delete.connect(changed, sender=model, dispatch_uid=f"kompass.accounts.roles.delete.{label}")


def connect() -> None:
    from kompass.accounts.models import Membership

    watch(Membership)


def forget(user) -> None:
    """Drop every memoised role fact and Django's permission caches of `user`, so that the next check reads the
    database again (before computing a value that is cached under a newer generation, ADR 0044)."""
    for attr in (_ATTR, "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        try:
            delattr(user, attr)
        except AttributeError:
            pass
