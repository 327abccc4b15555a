"""Writes to measures. Each public function runs in one transaction, takes the acting user explicitly
(None for a system process such as the strategy loader) and records an audit event for every change."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kompass.audit.services import diff_fields, record_event
from kompass.measures.models import Measure, MeasurePerspective, MeasureValue

SCALAR_FIELDS = [
    "measure_type", "title", "title_en", "title_ls", "summary", "summary_en", "summary_ls", "description",
    "description_en", "description_ls", "responsible_organisation", "spatial_level", "status", "start_date",
    "end_date", "is_pilot", "participation", "participation_en", "impact", "impact_en", "contact_role",
    "contact_email", "contact_url", "is_example",
]


@dataclass
class MeasureRelations:
    """The many-to-many side of a measure. `None` for a part means: leave it as it is."""

    involved_organisations: list | None = None
    districts: list | None = None
    action_fields: list | None = None
    values: dict = field(default_factory=dict)  # Value -> strength 1..3
    perspectives: dict = field(default_factory=dict)  # FuturePerspective -> strength 1..3
    set_values: bool = False
    set_perspectives: bool = False


def _check(actor, perm: str, obj=None) -> None:
    if actor is None:  # a system process (CLI loader, migrations) acts with full rights
        return
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def build_search_document(measure: Measure) -> str:
    """All searchable text of a measure, lower-cased (SQLite's LIKE only folds ASCII; Python folds umlauts)."""
    parts: list[str] = [
        measure.title, measure.title_en, measure.title_ls, measure.summary, measure.summary_en, measure.summary_ls,
        measure.description, measure.description_en, measure.participation, measure.participation_en,
        measure.impact, measure.impact_en,
    ]
    org = measure.responsible_organisation
    parts += [org.name, org.abbreviation]
    parts += [o.name for o in measure.involved_organisations.all()]
    parts += [d.name for d in measure.districts.all()]
    parts += [f"{a.name} {a.name_en}" for a in measure.action_fields.all()]
    return "\n".join(p for p in parts if p).lower()


def _apply_relations(measure: Measure, relations: MeasureRelations) -> dict[str, tuple[Any, Any]]:
    changes: dict[str, tuple[Any, Any]] = {}
    for name in ("involved_organisations", "districts", "action_fields"):
        wanted = getattr(relations, name)
        if wanted is None:
            continue
        manager = getattr(measure, name)
        current = {obj.pk for obj in manager.all()}
        target = {obj.pk for obj in wanted}
        if current != target:
            manager.set(list(wanted))
            changes[name] = (sorted(current), sorted(target))
    for flag, link_model, attr, mapping in (
        ("set_values", MeasureValue, "value", relations.values),
        ("set_perspectives", MeasurePerspective, "perspective", relations.perspectives),
    ):
        if not getattr(relations, flag):
            continue
        current = {getattr(link, f"{attr}_id"): link.strength
                   for link in link_model.objects.filter(measure=measure)}
        target = {obj.pk: int(strength) for obj, strength in mapping.items()}
        if current != target:
            link_model.objects.filter(measure=measure).delete()
            link_model.objects.bulk_create(
                [link_model(measure=measure, strength=strength, **{f"{attr}_id": pk})
                 for pk, strength in sorted(target.items())]
            )
            changes[attr + "s"] = (current, target)
    return changes


def _refresh_search(measure: Measure) -> None:
    document = build_search_document(measure)
    if document != measure.search_document:
        measure.search_document = document
        Measure.objects.filter(pk=measure.pk).update(search_document=document)


@transaction.atomic
def measure_create(*, actor, strategy, slug: str, data: dict[str, Any],
                   relations: MeasureRelations | None = None, audit_label: str | None = None) -> Measure:
    measure = Measure(strategy=strategy, slug=slug, **data)
    _check(actor, "measures.change_measure", measure)
    measure.full_clean(exclude=["search_document"])
    measure.save()
    _apply_relations(measure, relations or MeasureRelations())
    _refresh_search(measure)
    record_event(actor=actor, action="measure.created", obj=measure,
                 changes={key: (None, value) for key, value in data.items()}, label=audit_label)
    return measure


@transaction.atomic
def measure_update(*, actor, measure: Measure, data: dict[str, Any],
                   relations: MeasureRelations | None = None, audit_label: str | None = None) -> dict:
    """Update a measure; returns the changes ({} when nothing changed, and then nothing is written)."""
    _check(actor, "measures.change_measure", measure)
    changes = diff_fields(measure, data)
    if "responsible_organisation" in changes:
        # Moving a measure to another organisation needs the right to edit it there as well.
        probe = Measure(strategy=measure.strategy, responsible_organisation=data["responsible_organisation"])
        _check(actor, "measures.change_measure", probe)
    if changes:
        for key, (_old, new) in changes.items():
            setattr(measure, key, new)
        measure.full_clean(exclude=["search_document"], validate_unique=False)
        measure.save(update_fields=[*changes.keys(), "updated_at"])
    changes.update(_apply_relations(measure, relations or MeasureRelations()))
    if changes:
        _refresh_search(measure)
        record_event(actor=actor, action="measure.updated", obj=measure, changes=changes, label=audit_label)
    return changes


@transaction.atomic
def measure_delete(*, actor, measure: Measure) -> None:
    _check(actor, "measures.delete_measure", measure)
    record_event(actor=actor, action="measure.deleted", obj=measure)
    measure.delete()
