"""Readable names for the rows of a cycle diff (`selectors.snapshot_diff`).

Snapshots are keyed by slugs (stable across renames, and older snapshots hold nothing else). People read titles:
this resolves each row's key to the current title in the active language, falling back to a title stored in the
snapshot and only then to the key (an item deleted since)."""

from __future__ import annotations

from kompass.core.i18n import localized
from kompass.measures.models import Measure
from kompass.monitoring.models import Goal, Indicator


def label_diff(diff: dict, strategy, before: dict, after: dict) -> dict:
    """`diff` with a `label` on every row (in place; returned for convenience)."""
    measures = {m.slug: localized(m, "title") for m in Measure.objects.filter(strategy=strategy).only(
        "slug", "title", "title_en")}
    indicators = {i.slug: localized(i, "name") for i in Indicator.objects.filter(
        measure__strategy=strategy).only("slug", "name", "name_en")}
    goals = {f"{g.measure.slug}/{g.slug}": localized(g, "title") for g in Goal.objects.filter(
        measure__strategy=strategy).select_related("measure").only("slug", "title", "title_en", "measure__slug")}
    stored_goals = {**before.get("goals", {}), **after.get("goals", {})}
    for row in diff.get("goals", []):
        measure_slug = row["key"].split("/", 1)[0]
        goal = goals.get(row["key"]) or (stored_goals.get(row["key"]) or {}).get("title") or row["key"]
        row["label"] = f"{measures.get(measure_slug, measure_slug)}: {goal}"
    for kind in ("targets", "methods", "statuses"):
        for row in diff.get(kind, []):
            row["label"] = indicators.get(row["key"], row["key"])
    for row in diff.get("measures", []):
        row["label"] = measures.get(row["key"], row["key"])
    return diff
