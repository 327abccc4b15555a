"""Extension points of the strategy loader for apps in higher layers.

The strategy file has sections that belong to other apps (for example `process` and `selection_criteria`,
owned by lifecycle). The strategy app must not import those apps, so they plug in here from their
`AppConfig.ready()`:

    register_section_loader("process", load_process, sections=("process", "selection_criteria"))

The apps that sit directly above strategy use the same mechanism: organisations registers the
`organisations` section (position 10), measures the `measures` section (position 20).

`strategy_load` calls every registered loader whose sections appear in the document, ordered by `position` and
then by registration order, inside its own transaction, after the framework sections (values, perspectives,
principles, action fields, spatial levels, districts) are written. A loader has the signature
`loader(strategy, document, actor, label, report)`; it writes through `upsert` (or its app's services), so every
change is counted in the report and audited.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from kompass.audit.services import diff_fields, record_event

SectionLoader = Callable[..., None]


@dataclass(frozen=True)
class _Registration:
    name: str
    loader: SectionLoader
    sections: tuple[str, ...]
    position: int


DEFAULT_POSITION = 100
TEXT_KEYS = ("name", "name_en", "description", "description_en")

_LOADERS: dict[str, _Registration] = {}


def register_section_loader(name: str, loader: SectionLoader, *, sections: Iterable[str] | None = None,
                            position: int = DEFAULT_POSITION) -> None:
    """Register `loader` for the document sections `sections` (default: just `name`). Loaders run by ascending
    `position` (then in registration order). Re-registering a name replaces the earlier loader, so `ready()`
    running twice is harmless."""
    _LOADERS[name] = _Registration(name, loader, tuple(sections or (name,)), position)


def section_loaders() -> list[_Registration]:
    return sorted(_LOADERS.values(), key=lambda registration: registration.position)  # sort is stable


def texts(item: dict, keys: Iterable[str] = TEXT_KEYS) -> dict[str, Any]:
    """The text fields of a document item, missing ones as empty strings."""
    return {key: item.get(key, "") for key in keys}


def parse_date(value, end: bool = False) -> datetime.date | None:
    """A date of the strategy file: ISO `YYYY-MM-DD`, or a bare year (1 January, or 31 December with `end`)."""
    if value is None:
        return None
    if isinstance(value, int):
        return datetime.date(value, 12, 31) if end else datetime.date(value, 1, 1)
    text = str(value)
    if len(text) == 4:
        return parse_date(int(text), end)
    return datetime.date.fromisoformat(text)


def by_slug(queryset) -> dict:
    """The objects of `queryset` keyed by slug (section loaders resolve the file's references with it)."""
    return {obj.slug: obj for obj in queryset}


def run_section_loaders(strategy, document: dict, actor, label: str | None, report) -> None:
    for registration in section_loaders():
        if any(document.get(section) for section in registration.sections):
            registration.loader(strategy, document, actor, label, report)


def _modified_stamp(model: type[models.Model]) -> dict:
    """`{"modified_at": now}` for models that keep their own time of last change (for `modified_since`)."""
    names = {f.name for f in model._meta.concrete_fields}
    return {"modified_at": timezone.now()} if "modified_at" in names else {}


def touch(obj: models.Model) -> None:
    """Mark `obj` changed now (its `modified_at`), e.g. when only rows that belong to it changed."""
    type(obj).objects.filter(pk=obj.pk).update(modified_at=timezone.now())


def upsert(report, kind: str, model: type[models.Model], lookup: dict, data: dict, actor,
           label: str | None) -> models.Model:
    """Create the object matching `lookup` with `data`, or update the fields of `data` that differ; count the
    outcome in `report` under `kind` and record an audit event for every change."""
    obj = model.objects.filter(**lookup).first()
    stamp = _modified_stamp(model)
    if obj is None:
        obj = model.objects.create(**lookup, **data, **stamp)
        record_event(actor=actor, action=f"{kind}.created", obj=obj,
                     changes={k: (None, v) for k, v in data.items()}, label=label)
        report.count(kind, "created")
        return obj
    changes = diff_fields(obj, data)
    if changes:
        for key, (_old, new) in changes.items():
            setattr(obj, key, new)
        for key, value in stamp.items():
            setattr(obj, key, value)
        obj.save(update_fields=[*changes, *stamp])
        record_event(actor=actor, action=f"{kind}.updated", obj=obj, changes=changes, label=label)
        report.count(kind, "updated")
    else:
        report.count(kind, "unchanged")
    return obj
