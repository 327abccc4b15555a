"""What makes the measure page personal (ADR 0044).

The page's content is the same for every account that holds none of the permissions its sections look at (edit
links, the team workspace, monitoring forms, replication forms with a CSRF token): for those the content is read
from the shared fragment cache (kompass.core.fragments). Each app whose `<app>/_measure_section.html` shows
something only to some accounts registers the permission it checks there, from its AppConfig.ready():

    register_page_permission("lifecycle.view_workspace")

A section that depends on the account in any other way must not be added without registering such a permission
(tests/perf/test_logged_in_paths.py compares the cached content with a fresh render for every role)."""

from __future__ import annotations

_PERMISSIONS: list[str] = ["measures.change_measure"]


def register_page_permission(name: str) -> None:
    if name not in _PERMISSIONS:
        _PERMISSIONS.append(name)


def page_permissions() -> tuple[str, ...]:
    return tuple(_PERMISSIONS)


def personal_flags(user, measure) -> dict[str, bool]:
    """Each registered permission of `user` on `measure` (the rules share one role lookup per request)."""
    return {name: bool(user.has_perm(name, measure)) for name in _PERMISSIONS}
