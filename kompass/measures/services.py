"""Writes to measures. Each public function runs in one transaction, takes the actor explicitly (a user, or a
SystemActor for commands, loaders and jobs; `None` raises MissingActor), checks its permission with
`kompass.core.permissions.require` and records an audit event for every change.

`measures_load_section` writes the `measures` section of a strategy file (registered with the strategy loader
in `MeasuresConfig.ready()`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from kompass.audit.services import diff_fields, record_event
from kompass.core.permissions import require
from kompass.core.text import fold
from kompass.measures.models import Measure, MeasurePerspective, MeasureValue
from kompass.organisations.models import Organisation
from kompass.strategy.models import ActionField, District, FuturePerspective, SpatialLevel, Value
from kompass.strategy.sections import by_slug, parse_date

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


def build_search_document(measure: Measure) -> str:
    """All searchable text of a measure, umlaut-folded (`core.text.fold`: SQLite's LIKE only folds ASCII, and
    PostgreSQL's german stemmer then sees "buerger" for both "Bürger" and "buerger")."""
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
    return fold("\n".join(p for p in parts if p))


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
    require(actor, "measures.change_measure", measure)
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
    require(actor, "measures.change_measure", measure)
    changes = diff_fields(measure, data)
    if "responsible_organisation" in changes:
        # Moving a measure to another organisation needs the right to edit it there as well.
        probe = Measure(strategy=measure.strategy, responsible_organisation=data["responsible_organisation"])
        require(actor, "measures.change_measure", probe)
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
    require(actor, "measures.delete_measure", measure)
    record_event(actor=actor, action="measure.deleted", obj=measure)
    measure.delete()


TEXT_FIELDS = ("title", "title_en", "title_ls", "summary", "summary_en", "summary_ls", "description",
               "description_en", "description_ls", "participation", "participation_en", "impact", "impact_en")


def measures_load_section(strategy, document: dict, actor, label: str | None, report) -> None:
    """Create or update the measures named in `document` (matched by slug) through `measure_create` /
    `measure_update`; runs inside `strategy_load`'s transaction, after the organisations section."""
    organisations = by_slug(Organisation.objects.filter(strategy=strategy))
    spatial_levels = by_slug(SpatialLevel.objects.filter(strategy=strategy))
    districts = by_slug(District.objects.filter(strategy=strategy))
    action_fields = by_slug(ActionField.objects.filter(strategy=strategy))
    values = by_slug(Value.objects.filter(strategy=strategy))
    perspectives = by_slug(FuturePerspective.objects.filter(strategy=strategy))
    for item in document.get("measures", []):
        contact = item.get("contact", {})
        period = item.get("period", {})
        data = {
            "measure_type": item["type"],
            **{key: item.get(key, "") for key in TEXT_FIELDS},
            "responsible_organisation": organisations[item["responsible"]],
            "spatial_level": spatial_levels.get(item.get("spatial_level")),
            "status": item["status"], "start_date": parse_date(period.get("start")),
            "end_date": parse_date(period.get("end"), end=True), "is_pilot": item.get("pilot", False),
            "contact_role": contact.get("role", ""), "contact_email": contact.get("email", ""),
            "contact_url": contact.get("url", ""), "is_example": item.get("example", False),
        }
        relations = MeasureRelations(
            involved_organisations=[organisations[s] for s in item.get("involved", [])],
            districts=[districts[s] for s in item.get("districts", [])],
            action_fields=[action_fields[s] for s in item.get("action_fields", [])],
            values={values[s]: v for s, v in item.get("values", {}).items()}, set_values=True,
            perspectives={perspectives[s]: v for s, v in item.get("perspectives", {}).items()},
            set_perspectives=True,
        )
        measure = Measure.objects.filter(strategy=strategy, slug=item["slug"]).first()
        if measure is None:
            measure_create(actor=actor, strategy=strategy, slug=item["slug"], data=data, relations=relations,
                           audit_label=label)
            report.count("measure", "created")
        elif measure_update(actor=actor, measure=measure, data=data, relations=relations, audit_label=label):
            report.count("measure", "updated")
        else:
            report.count("measure", "unchanged")
