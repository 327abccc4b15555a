"""Extension points of the strategy loader for apps in higher layers.

The strategy file has sections that belong to other apps (for example `process` and `selection_criteria`,
owned by lifecycle). The strategy app must not import those apps, so they plug in here from their
`AppConfig.ready()`:

    register_section_loader("process", load_process, sections=("process", "selection_criteria"))

`strategy_load` calls every registered loader whose sections appear in the document, in registration order,
inside its own transaction, after the framework and measures are written. A loader has the signature
`loader(strategy, document, actor, label, report)`; it writes through `upsert` (or its app's services), so every
change is counted in the report and audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models

from kompass.audit.services import diff_fields, record_event

SectionLoader = Callable[..., None]


@dataclass(frozen=True)
class _Registration:
    name: str
    loader: SectionLoader
    sections: tuple[str, ...]


_LOADERS: dict[str, _Registration] = {}


def register_section_loader(name: str, loader: SectionLoader, *, sections: Iterable[str] | None = None) -> None:
    """Register `loader` for the document sections `sections` (default: just `name`). Re-registering a name
    replaces the earlier loader, so `ready()` running twice is harmless."""
    _LOADERS[name] = _Registration(name, loader, tuple(sections or (name,)))


def section_loaders() -> list[_Registration]:
    return list(_LOADERS.values())


def run_section_loaders(strategy, document: dict, actor, label: str | None, report) -> None:
    for registration in section_loaders():
        if any(document.get(section) for section in registration.sections):
            registration.loader(strategy, document, actor, label, report)


def upsert(report, kind: str, model: type[models.Model], lookup: dict, data: dict, actor,
           label: str | None) -> models.Model:
    """Create the object matching `lookup` with `data`, or update the fields of `data` that differ; count the
    outcome in `report` under `kind` and record an audit event for every change."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **data)
        record_event(actor=actor, action=f"{kind}.created", obj=obj,
                     changes={k: (None, v) for k, v in data.items()}, label=label)
        report.count(kind, "created")
        return obj
    changes = diff_fields(obj, data)
    if changes:
        for key, (_old, new) in changes.items():
            setattr(obj, key, new)
        obj.save(update_fields=list(changes))
        record_event(actor=actor, action=f"{kind}.updated", obj=obj, changes=changes, label=label)
        report.count(kind, "updated")
    else:
        report.count(kind, "unchanged")
    return obj
