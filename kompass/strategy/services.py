"""Writes to the strategy framework. `strategy_load` loads a whole strategy file in one transaction."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kompass.audit.services import record_event
from kompass.measures.models import Measure
from kompass.measures.services import MeasureRelations, measure_create, measure_update
from kompass.organisations.models import FormerName, Organisation
from kompass.strategy import loader
from kompass.strategy.models import (
    ActionField,
    ActionFieldCluster,
    District,
    FuturePerspective,
    Principle,
    PrincipleGroup,
    SpatialLevel,
    Strategy,
    Value,
)
from kompass.strategy.sections import run_section_loaders, upsert

TEXT_KEYS = ("name", "name_en", "description", "description_en")


@dataclass
class LoadReport:
    strategy: str
    dry_run: bool
    counts: dict[str, Counter] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def summary_lines(self) -> list[str]:
        return [
            f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for kind, c in self.counts.items()
        ]


class _DryRunRollback(Exception):
    pass


def _texts(item: dict, keys=TEXT_KEYS) -> dict[str, Any]:
    return {key: item.get(key, "") for key in keys}


def _date(value, end: bool = False) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, int):
        return datetime.date(value, 12, 31) if end else datetime.date(value, 1, 1)
    text = str(value)
    if len(text) == 4:
        return _date(int(text), end)
    return datetime.date.fromisoformat(text)


_upsert = upsert  # the framework sections below use the shared helper


def strategy_load(*, actor, path: Path, dry_run: bool = False, audit_label: str | None = None) -> LoadReport:
    """Validate a strategy file completely, then create or update everything it names (matched by slug).

    Raises `loader.StrategyFileError` with every problem when the file is invalid; then nothing is written.
    Loading the same file twice changes nothing. Records not named in the file are left as they are.
    """
    if actor is not None and not actor.has_perm("strategy.edit_framework"):
        raise PermissionDenied
    path = Path(path)
    document = loader.read_document(path)
    problems = loader.validate_document(document, path.parent)
    if problems:
        raise loader.StrategyFileError(str(path), problems)
    label = audit_label or (None if actor is not None else f"load-strategy {path.name}")
    report = LoadReport(strategy=document["strategy"]["slug"], dry_run=dry_run)
    try:
        with transaction.atomic():
            _write(document, path.parent, actor, label, report)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report


def _write(document: dict, base_dir: Path, actor, label: str | None, report: LoadReport) -> None:
    spec = document["strategy"]
    make_current = spec.get("current", False)
    if make_current:
        for other in Strategy.objects.filter(is_current=True).exclude(slug=spec["slug"]):
            other.is_current = False
            other.save(update_fields=["is_current"])
            record_event(actor=actor, action="strategy.updated", obj=other,
                         changes={"is_current": (True, False)}, label=label)
    map_spec = document.get("map") or {}
    strategy_data = {
        **_texts(spec, ("name", "name_en", "summary", "summary_en", "description", "description_en")),
        "short_name": spec.get("short_name", ""), "city": spec["city"], "version": spec["version"],
        "adopted_on": _date(spec.get("adopted_on")), "source_url": spec.get("source_url", ""),
        "data_licence": spec.get("data_licence", ""), "data_licence_url": spec.get("data_licence_url", ""),
        "map_attribution": map_spec.get("attribution", ""),
        "legal": spec.get("legal", {}), "theme_colour": spec.get("theme_colour", ""),
    }
    existing = Strategy.objects.filter(slug=spec["slug"]).first()
    if make_current or existing is None:
        strategy_data["is_current"] = make_current or not Strategy.objects.filter(is_current=True).exists()
    strategy = _upsert(report, "strategy", Strategy, {"slug": spec["slug"]}, strategy_data, actor, label)
    scope = {"strategy": strategy}

    def upsert(record_kind, model, pos, item, **extra):
        return _upsert(report, record_kind, model, {**scope, "slug": item["slug"]},
                       {**_texts(item), "position": pos, **extra}, actor, label)

    values = {i["slug"]: upsert("value", Value, n, i, summary=i.get("summary", ""),
                                summary_en=i.get("summary_en", ""))
              for n, i in enumerate(document.get("values", []))}
    perspectives = {i["slug"]: upsert("perspective", FuturePerspective, n, i, kind=i["kind"])
                    for n, i in enumerate(document.get("perspectives", []))}
    for n, group_spec in enumerate(document.get("principle_groups", [])):
        group = upsert("principle_group", PrincipleGroup, n, group_spec)
        for m, item in enumerate(group_spec.get("principles", [])):
            upsert("principle", Principle, m, item, group=group)
    action_fields = {}
    for n, cluster_spec in enumerate(document.get("action_field_clusters", [])):
        cluster = upsert("cluster", ActionFieldCluster, n, cluster_spec)
        for m, item in enumerate(cluster_spec.get("action_fields", [])):
            action_fields[item["slug"]] = upsert("action_field", ActionField, n * 100 + m, item, cluster=cluster)
    spatial_levels = {i["slug"]: upsert("spatial_level", SpatialLevel, n, i)
                      for n, i in enumerate(document.get("spatial_levels", []))}
    geometries = loader.map_geometries(map_spec or None, base_dir)
    districts = {
        i["slug"]: upsert("district", District, n, i, kind=i.get("kind", "district"),
                          official_key=i.get("official_key", ""),
                          geometry=geometries.get(i.get("official_key", "")))
        for n, i in enumerate(document.get("districts", []))
    }
    organisations = {}
    for item in document.get("organisations", []):
        org = _upsert(report, "organisation", Organisation, {**scope, "slug": item["slug"]}, {
            **_texts(item), "abbreviation": item.get("abbreviation", ""), "kind": item["kind"],
            "district": districts.get(item.get("district")), "website": item.get("website", ""),
            "valid_from": _date(item.get("valid_from")), "valid_until": _date(item.get("valid_until")),
        }, actor, label)
        organisations[item["slug"]] = org
        _sync_former_names(org, item.get("former_names", []), actor, label, report)

    for item in document.get("measures", []):
        contact = item.get("contact", {})
        period = item.get("period", {})
        data = {
            "measure_type": item["type"],
            **{key: item.get(key, "") for key in (
                "title", "title_en", "title_ls", "summary", "summary_en", "summary_ls", "description",
                "description_en", "description_ls", "participation", "participation_en", "impact", "impact_en")},
            "responsible_organisation": organisations[item["responsible"]],
            "spatial_level": spatial_levels.get(item.get("spatial_level")),
            "status": item["status"], "start_date": _date(period.get("start")),
            "end_date": _date(period.get("end"), end=True), "is_pilot": item.get("pilot", False),
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

    run_section_loaders(strategy, document, actor, label, report)


def _sync_former_names(org: Organisation, names: list[dict], actor, label, report: LoadReport) -> None:
    wanted = [(n["name"], n.get("abbreviation", ""), _date(n.get("valid_from")), _date(n.get("valid_until")))
              for n in names]
    current = [(f.name, f.abbreviation, f.valid_from, f.valid_until)
               for f in org.former_names.order_by("id")]
    if current == wanted:
        return
    org.former_names.all().delete()
    FormerName.objects.bulk_create([
        FormerName(organisation=org, name=a, abbreviation=b, valid_from=c, valid_until=d) for a, b, c, d in wanted
    ])
    record_event(actor=actor, action="organisation.former_names_changed", obj=org,
                 changes={"former_names": ([c[0] for c in current], [w[0] for w in wanted])}, label=label)
    report.count("former_names", "updated")
