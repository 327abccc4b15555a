"""Loading monitoring seed files (YAML/JSON, format `kompass-monitoring-v1`, see data/monitoring/).

Everything is written through the services with the given actor (a user, or `system_actor(LABEL)` from the
command). Loading the same file twice
changes nothing: goals and indicators are matched by slug, target versions by (value, date), measurements by
(indicator, period, district), cycles by slug (an existing cycle is left alone)."""

from __future__ import annotations

import copy
import datetime
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from kompass.measures.models import Measure
from kompass.monitoring import dated, services
from kompass.monitoring.models import EvaluationCycle, Goal, Indicator, TargetVersion
from kompass.strategy.models import Strategy

LABEL = "monitoring seed loader"


class MonitoringFileError(Exception):
    def __init__(self, path: str, where: str, problem: str):
        self.path, self.where, self.problem = path, where, problem
        super().__init__(f"{path}: {where}: {problem}")


@dataclass
class LoadReport:
    strategy: str = ""
    counts: dict = field(default_factory=lambda: {"goals": 0, "indicators": 0, "targets": 0, "measurements": 0,
                                                  "cycles": 0})

    def lines(self) -> list[str]:
        return [f"{key}: {value} new or changed" for key, value in self.counts.items()]


def _date(value: Any, where: str, path: str) -> datetime.date:
    """A target or baseline date as written in the file, with its precision (monitoring.dated): 2027 is a year,
    "2027-12" or "12/2027" a month, 2027-12-31 or "31.12.2027" a day; a quarter ("2027-Q2") its first day."""
    try:
        return dated.parse_dated(value)
    except ValueError as exc:
        try:
            return dated.parse_dated(services.parse_period(value))
        except ValueError:
            raise MonitoringFileError(path, where, str(exc)) from exc


def read_file(path: str | Path) -> dict:
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = copy.deepcopy(_parse(text, str(path).endswith(".json")))
    except (ValueError, yaml.YAMLError) as exc:
        raise MonitoringFileError(str(path), "-", f"not valid YAML/JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("schema") != "kompass-monitoring-v1":
        raise MonitoringFileError(str(path), "schema", "expected `schema: kompass-monitoring-v1`")
    return data


@functools.lru_cache(maxsize=4)
def _parse(text: str, is_json: bool) -> Any:
    if is_json:
        return json.loads(text)
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


@transaction.atomic
def monitoring_load(*, actor, path: str | Path) -> LoadReport:
    """Load a monitoring file; raises MonitoringFileError (nothing written) for a bad file."""
    path = str(path)
    data = read_file(path)
    strategy = Strategy.objects.filter(slug=data.get("strategy")).first()
    if strategy is None:
        raise MonitoringFileError(path, "strategy", f"unknown strategy {data.get('strategy')!r}")
    report = LoadReport(strategy=strategy.slug)
    label = None  # audit events name the actor (a user, or the system actor "monitoring seed loader")
    for board in data.get("boards") or []:
        services.board_ensure(actor=actor, slug=board["slug"], name=board["name"], name_en=board.get("name_en", ""),
                              kind=board.get("kind", "board"), audit_label=label)
    rows: list[dict] = []
    for mi, entry in enumerate(data.get("measures") or []):
        where = f"measures[{mi}]"
        measure = Measure.objects.filter(strategy=strategy, slug=entry.get("measure")).first()
        if measure is None:
            raise MonitoringFileError(path, where, f"unknown measure {entry.get('measure')!r}")
        if data.get("examples_only") and not measure.is_example:
            raise MonitoringFileError(path, where, "the file holds examples only, but this measure is not marked "
                                                   "as an illustrative example")
        services.inputs_set(actor=actor, measure=measure, audit_label=label,
                            texts=[(i["text"], i.get("text_en", "")) for i in entry.get("inputs") or []])
        for gi, g in enumerate(entry.get("goals") or []):
            gwhere = f"{where}.goals[{gi}]"
            goal, changes = services.goal_save(actor=actor, measure=measure, slug=g["slug"], audit_label=label, data={
                "level": g["level"], "position": gi, "title": g["title"], "title_en": g.get("title_en", ""),
                "assumption": g.get("assumption", ""), "assumption_en": g.get("assumption_en", "")})
            report.counts["goals"] += bool(changes)
            for ii, i in enumerate(g.get("indicators") or []):
                iwhere = f"{gwhere}.indicators[{ii}]"
                baseline = i.get("baseline") or {}
                try:
                    fields = {
                        "position": ii, "name": i["name"], "name_en": i.get("name_en", ""),
                        "definition": i.get("definition", ""), "definition_en": i.get("definition_en", ""),
                        "unit": i["unit"], "direction": int(i.get("direction", 1)),
                        "baseline_value": float(baseline["value"]),
                        "baseline_date": _date(baseline["date"], iwhere + ".baseline.date", path),
                        "natural_limit": i.get("natural_limit"), "method": i.get("method", "open_sdg"),
                        "data_source": i.get("source", ""), "cadence": i.get("cadence", "yearly"),
                        "responsible_organisation": measure.responsible_organisation,
                            "by_district": bool(i.get("by_district", False))}
                    if Indicator.objects.filter(slug=i["slug"]).exists():
                        fields.pop("method")  # after loading, the method changes only by cycle decisions
                    indicator, changes = services.indicator_save(actor=actor, goal=goal, slug=i["slug"],
                                                                 audit_label=label, data=fields)
                except (KeyError, TypeError, ValueError, ValidationError) as exc:
                    raise MonitoringFileError(path, iwhere, f"missing or invalid field: {exc}") from exc
                report.counts["indicators"] += bool(changes)
                known = set(TargetVersion.objects.filter(indicator=indicator).values_list("value", "target_date"))
                for ti, t in enumerate(i.get("targets") or []):
                    day = _date(t["date"], f"{iwhere}.targets[{ti}].date", path)
                    if (float(t["value"]), day) not in known:
                        services.target_add(actor=actor, indicator=indicator, value=float(t["value"]),
                                            target_date=day, reason=t.get("reason", ""), refresh=False,
                                            audit_label=label)
                        report.counts["targets"] += 1
                for period, value in (i.get("series") or {}).items():
                    rows.append({"_row": len(rows) + 1, "indicator": indicator.slug, "period": period,
                                 "value": value, "source_note": "Beispieldaten / example data"})
                for period, values in (i.get("districts") or {}).items():
                    for district, value in values.items():
                        rows.append({"_row": len(rows) + 1, "indicator": indicator.slug, "period": period,
                                     "value": value, "district": district,
                                     "source_note": "Beispieldaten / example data"})
    try:
        result = services.measurements_import(actor=actor, strategy=strategy, rows=rows, source="seed file",
                                              audit_label=label)
    except services.ImportRejected as exc:
        raise MonitoringFileError(path, "measurements", "; ".join(str(e) for e in exc.errors[:10])) from exc
    report.counts["measurements"] = result.created + result.updated
    services.refresh_statuses(strategy=strategy)
    for ci, c in enumerate(data.get("cycles") or []):
        if EvaluationCycle.objects.filter(strategy=strategy, slug=c["slug"]).exists():
            continue
        _load_cycle(actor, strategy, c, f"cycles[{ci}]", path, label)
        report.counts["cycles"] += 1
    return report


def _load_cycle(actor, strategy, c: dict, where: str, path: str, label) -> None:
    from kompass.accounts.models import UserGroup

    cycle = services.cycle_open(actor=actor, strategy=strategy, slug=c["slug"], name=c["name"],
                                name_en=c.get("name_en", ""), deadline=_date(c["deadline"], where, path),
                                audit_label=label)

    def measure_of(slug, w):
        measure = Measure.objects.filter(strategy=strategy, slug=slug).first()
        if measure is None:
            raise MonitoringFileError(path, w, f"unknown measure {slug!r}")
        return measure

    for ri, r in enumerate(c.get("reviews") or []):
        measure = measure_of(r["measure"], f"{where}.reviews[{ri}]")
        goals = {g.slug: g for g in Goal.objects.filter(measure=measure)}
        assessments = {}
        for slug, a in (r.get("assessments") or {}).items():
            if slug not in goals:
                raise MonitoringFileError(path, f"{where}.reviews[{ri}]", f"unknown goal {slug!r}")
            assessments[goals[slug]] = (a["rating"], a.get("text", ""), a.get("assumption_holds", True))
        services.review_submit(actor=actor, cycle=cycle, measure=measure, learned=r["learned"],
                               proposed_changes=r.get("proposed_changes", ""), assessments=assessments,
                               audit_label=label)
    for ki, k in enumerate(c.get("comments") or []):
        group = UserGroup.objects.filter(slug=k["group"]).first()
        if group is None:
            raise MonitoringFileError(path, f"{where}.comments[{ki}]", f"unknown group {k['group']!r}")
        services.comment_add(actor=actor, cycle=cycle, measure=measure_of(k["measure"], where), group=group,
                             text=k["text"], audit_label=label)
    for di, d in enumerate(c.get("decisions") or []):
        measure = measure_of(d["measure"], f"{where}.decisions[{di}]")
        indicators = {i.slug: i for i in Indicator.objects.filter(measure=measure)}
        targets = [(indicators[s], float(t["value"]), _date(t["date"], where, path))
                   for s, t in (d.get("targets") or {}).items()]
        methods = [(indicators[s], m) for s, m in (d.get("methods") or {}).items()]
        services.decision_record(actor=actor, cycle=cycle, measure=measure, kind=d["kind"], reason=d["reason"],
                                 new_targets=targets, new_methods=methods, audit_label=label)
    if c.get("close"):
        services.cycle_close(actor=actor, cycle=cycle, audit_label=label)
