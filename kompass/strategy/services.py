"""Writes to the strategy framework. `strategy_load` loads a whole strategy file in one transaction.

The framework sections (values, perspectives, principles, action fields, spatial levels, districts) are written
here; organisations, measures and the apps above them write their sections through loaders registered in
`kompass.strategy.sections` (strategy imports none of them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from kompass.audit.services import record_event
from kompass.core.actors import is_system, system_actor
from kompass.core.permissions import require
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
from kompass.strategy.sections import parse_date, run_section_loaders, texts, upsert

# The actor of the `load-strategy` command and of every other system load (tests, benchmarks, `make run`).
STRATEGY_LOADER = system_actor("load-strategy")


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


def strategy_load(*, actor, path: Path, dry_run: bool = False, audit_label: str | None = None) -> LoadReport:
    """Validate a strategy file completely, then create or update everything it names (matched by slug).

    Raises `loader.StrategyFileError` with every problem when the file is invalid; then nothing is written.
    Loading the same file twice changes nothing. Records not named in the file are left as they are.
    `actor` is a user holding `strategy.edit_framework` or a SystemActor (the `load-strategy` command);
    `None` raises MissingActor.
    """
    require(actor, "strategy.edit_framework")
    path = Path(path)
    document = loader.read_document(path)
    problems = loader.validate_document(document, path.parent)
    if problems:
        raise loader.StrategyFileError(str(path), problems)
    # A system load names the file it read: "system:load-strategy berlin-gdb.yaml".
    label = audit_label or (f"{actor.label} {path.name}" if is_system(actor) else None)
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
        **texts(spec, ("name", "name_en", "summary", "summary_en", "description", "description_en")),
        "short_name": spec.get("short_name", ""), "city": spec["city"], "version": spec["version"],
        "adopted_on": parse_date(spec.get("adopted_on")), "source_url": spec.get("source_url", ""),
        "data_licence": spec.get("data_licence", ""), "data_licence_url": spec.get("data_licence_url", ""),
        "map_attribution": map_spec.get("attribution", ""),
        "legal": spec.get("legal", {}), "theme_colour": spec.get("theme_colour", ""),
    }
    existing = Strategy.objects.filter(slug=spec["slug"]).first()
    if make_current or existing is None:
        strategy_data["is_current"] = make_current or not Strategy.objects.filter(is_current=True).exists()
    strategy = upsert(report, "strategy", Strategy, {"slug": spec["slug"]}, strategy_data, actor, label)
    scope = {"strategy": strategy}

    def item_upsert(record_kind, model, pos, item, **extra):
        return upsert(report, record_kind, model, {**scope, "slug": item["slug"]},
                      {**texts(item), "position": pos, **extra}, actor, label)

    for n, item in enumerate(document.get("values", [])):
        item_upsert("value", Value, n, item, summary=item.get("summary", ""), summary_en=item.get("summary_en", ""))
    for n, item in enumerate(document.get("perspectives", [])):
        item_upsert("perspective", FuturePerspective, n, item, kind=item["kind"])
    for n, group_spec in enumerate(document.get("principle_groups", [])):
        group = item_upsert("principle_group", PrincipleGroup, n, group_spec)
        for m, item in enumerate(group_spec.get("principles", [])):
            item_upsert("principle", Principle, m, item, group=group)
    for n, cluster_spec in enumerate(document.get("action_field_clusters", [])):
        cluster = item_upsert("cluster", ActionFieldCluster, n, cluster_spec)
        for m, item in enumerate(cluster_spec.get("action_fields", [])):
            item_upsert("action_field", ActionField, n * 100 + m, item, cluster=cluster)
    for n, item in enumerate(document.get("spatial_levels", [])):
        item_upsert("spatial_level", SpatialLevel, n, item)
    geometries = loader.map_geometries(map_spec or None, base_dir)
    for n, item in enumerate(document.get("districts", [])):
        item_upsert("district", District, n, item, kind=item.get("kind", "district"),
                    official_key=item.get("official_key", ""), geometry=geometries.get(item.get("official_key", "")))
    run_section_loaders(strategy, document, actor, label, report)

