"""Where candidates come from: a registry of typed source references.

A candidate may stem from an object of an app in a higher layer (a citizen idea of participation). Lifecycle
does not import that app; it stores the reference as `(source_kind, source_id)` and asks this registry how to
link it. The higher app registers its kind from its `AppConfig.ready()`:

    register_source_kind("participation.idea", url=lambda pk: ...)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceKind:
    name: str
    url: Callable[[int], str]


_KINDS: dict[str, SourceKind] = {}


def register_source_kind(name: str, *, url: Callable[[int], str]) -> None:
    """Register (or replace, so `ready()` may run twice) how to link a source of kind `name`."""
    _KINDS[name] = SourceKind(name, url)


def source_url(kind: str, pk: int | None) -> str:
    """The absolute URL of a source, or "" when the kind is unknown or no id is stored."""
    registered = _KINDS.get(kind or "")
    if registered is None or pk is None:
        return ""
    return registered.url(pk)
