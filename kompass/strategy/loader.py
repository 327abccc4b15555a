"""Reading and validating strategy files (YAML or JSON) against the published schema.

Validation finds every problem before anything is written: schema errors, references to unknown slugs,
duplicate slugs and a missing or unreadable map file. Each problem names its place in the document as a path
such as `measures[3].districts[1]`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_PATH = Path(__file__).parent / "schema" / "strategy-v1.schema.json"
MAX_ALIASES = 100  # YAML aliases (*name) per document
MAX_NODES = 1_000_000  # values in the document with every alias expanded ("billion laughs" has 10^9)
MAX_DEPTH = 40  # nesting of mappings and lists


class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with limits on aliases and nesting, checked while the document is composed, so an
    alias bomb or a deeply nested file is refused in milliseconds instead of exhausting time or the stack."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_document(self):
        node = super().compose_document()
        sizes: dict[int, int] = {}

        def size(n) -> int:
            if id(n) not in sizes:
                sizes[id(n)] = 0  # a recursive alias counts once
                children = n.value if isinstance(n.value, list) else []
                total = 1
                for child in children:
                    total += sum(size(c) for c in child) if isinstance(child, tuple) else size(child)
                    if total > MAX_NODES:
                        break
                sizes[id(n)] = total
            return sizes[id(n)]

        if node is not None and size(node) > MAX_NODES:
            raise yaml.composer.ComposerError(None, None, f"expands to more than {MAX_NODES:,} values through "
                                              "aliases (a YAML alias bomb?)", node.start_mark)
        return node

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise yaml.composer.ComposerError(
                    None, None, f"more than {MAX_ALIASES} aliases (a YAML alias bomb?)", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(document)'}: {self.message}"


class StrategyFileError(Exception):
    """Raised when a strategy file cannot be loaded; carries every problem found."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"{self.source}: {len(self.problems)} problem(s), nothing was written:"]
        lines += [f"  {self.source}: {problem}" for problem in self.problems]
        return "\n".join(lines)


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _format_path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_document(path: Path) -> dict[str, Any]:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise StrategyFileError(source, [Problem("", "file not found")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise StrategyFileError(source, [Problem("", f"cannot read file: {exc}")]) from exc
    try:
        if path.suffix.lower() == ".json":
            document = json.loads(text)
        else:
            document = yaml.load(text, Loader=BoundedLoader)  # noqa: S506 - a SafeLoader with limits
    except json.JSONDecodeError as exc:
        raise StrategyFileError(source, [Problem(f"line {exc.lineno}", f"invalid JSON: {exc.msg}")]) from exc
    except RecursionError as exc:
        raise StrategyFileError(source, [Problem("", "the document is nested too deeply")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise StrategyFileError(source, [Problem(where, f"invalid YAML: {reason}")]) from exc
    if not isinstance(document, dict):
        raise StrategyFileError(source, [Problem("", "the document must be a mapping with a 'strategy' key")])
    return _normalise_dates(document)


def _normalise_dates(value):
    """YAML turns 2024-01-31 into a date; the schema (shared with JSON) expects strings."""
    import datetime

    if isinstance(value, dict):
        return {key: _normalise_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise_dates(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _unique(document, key: str, problems: list[Problem], items=None, prefix=None) -> set[str]:
    seen: set[str] = set()
    items = document.get(key, []) if items is None else items
    for index, item in enumerate(items):
        slug = item.get("slug")
        if slug in seen:
            problems.append(Problem(f"{prefix or key}[{index}].slug", f"duplicate slug '{slug}'"))
        seen.add(slug)
    return seen


def validate_document(document: dict[str, Any], base_dir: Path) -> list[Problem]:
    validator = Draft202012Validator(schema(), format_checker=FormatChecker())
    problems = [
        Problem(_format_path(error.absolute_path), error.message)
        for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if problems:
        return problems  # references cannot be checked reliably in a malformed document

    values = _unique(document, "values", problems)
    perspectives = _unique(document, "perspectives", problems)
    spatial_levels = _unique(document, "spatial_levels", problems)
    districts = _unique(document, "districts", problems)
    organisations = _unique(document, "organisations", problems)
    _unique(document, "measures", problems)
    _unique(document, "principle_groups", problems)
    _unique(document, "action_field_clusters", problems)
    principles = [p for g in document.get("principle_groups", []) for p in g.get("principles", [])]
    _unique(document, "principles", problems, items=principles, prefix="principle_groups[*].principles")
    fields = [f for c in document.get("action_field_clusters", []) for f in c.get("action_fields", [])]
    action_fields = _unique(document, "action_fields", problems, items=fields,
                            prefix="action_field_clusters[*].action_fields")

    for index, org in enumerate(document.get("organisations", [])):
        if "district" in org and org["district"] not in districts:
            problems.append(Problem(f"organisations[{index}].district", f"unknown district '{org['district']}'"))
    for index, measure in enumerate(document.get("measures", [])):
        here = f"measures[{index}]"
        if measure["responsible"] not in organisations:
            problems.append(Problem(f"{here}.responsible", f"unknown organisation '{measure['responsible']}'"))
        for key, known, noun in (("involved", organisations, "organisation"), ("districts", districts, "district"),
                                 ("action_fields", action_fields, "action field")):
            for pos, slug in enumerate(measure.get(key, [])):
                if slug not in known:
                    problems.append(Problem(f"{here}.{key}[{pos}]", f"unknown {noun} '{slug}'"))
        for key, known, noun in (("values", values, "value"), ("perspectives", perspectives, "perspective")):
            for slug in measure.get(key, {}):
                if slug not in known:
                    problems.append(Problem(f"{here}.{key}.{slug}", f"unknown {noun} '{slug}'"))
        if "spatial_level" in measure and measure["spatial_level"] not in spatial_levels:
            problems.append(Problem(f"{here}.spatial_level", f"unknown spatial level '{measure['spatial_level']}'"))
        period = measure.get("period", {})
        if "start" in period and "end" in period and str(period["start"]) > str(period["end"]):
            problems.append(Problem(f"{here}.period", "the period ends before it starts"))

    problems += _check_process(document, values)

    map_spec = document.get("map")
    if map_spec:
        problems += _check_map(map_spec, document.get("districts", []), base_dir)
    return problems


def _check_process(document: dict[str, Any], values: set[str]) -> list[Problem]:
    """References inside the optional `process` and `selection_criteria` sections."""
    problems: list[Problem] = []
    process = document.get("process") or {}
    phases = _unique(process, "phases", problems, prefix="process.phases")
    _unique(process, "formats", problems, prefix="process.formats")
    _unique(document, "selection_criteria", problems)
    measures = {m["slug"] for m in document.get("measures", [])}
    for measure_slug, phase_slug in (process.get("measure_phases") or {}).items():
        if measure_slug not in measures:
            problems.append(Problem(f"process.measure_phases.{measure_slug}", f"unknown measure '{measure_slug}'"))
        if phase_slug not in phases:
            problems.append(Problem(f"process.measure_phases.{measure_slug}", f"unknown phase '{phase_slug}'"))
    for index, item in enumerate(document.get("selection_criteria", [])):
        if "value" in item and item["value"] not in values:
            problems.append(Problem(f"selection_criteria[{index}].value", f"unknown value '{item['value']}'"))
    return problems


def _check_map(map_spec: dict, districts: list[dict], base_dir: Path) -> list[Problem]:
    path = (base_dir / map_spec["file"]).resolve()
    try:
        geo = json.loads(path.read_text(encoding="utf-8"))
        features = geo["features"]
        keys = {str(f["properties"][map_spec["key_property"]]) for f in features}
    except FileNotFoundError:
        return [Problem("map.file", f"map file not found: {path}")]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [Problem("map.file", f"not a GeoJSON FeatureCollection with '{map_spec['key_property']}': {exc}")]
    return [
        Problem(f"districts[{i}].official_key", f"no map feature with {map_spec['key_property']} = {d['official_key']}")
        for i, d in enumerate(districts)
        if d.get("official_key") and d["official_key"] not in keys
    ]


def map_geometries(map_spec: dict | None, base_dir: Path) -> dict[str, dict]:
    if not map_spec:
        return {}
    geo = json.loads((base_dir / map_spec["file"]).resolve().read_text(encoding="utf-8"))
    return {str(f["properties"][map_spec["key_property"]]): f["geometry"] for f in geo["features"]}
