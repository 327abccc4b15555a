"""The process as data: the strategy loader's `process` / `selection_criteria` sections (registered in apps.py)."""

from __future__ import annotations

from kompass.audit.services import record_event
from kompass.core.actors import system_actor
from kompass.lifecycle.models import MeasureLifecycle, MeetingFormat, Phase, ProcessSettings, SelectionCriterion
from kompass.lifecycle.services.phases import phase_set_initial

TEXTS = ("name", "name_en", "description", "description_en")


def load_process(strategy, document: dict, actor, label: str | None, report) -> None:
    """Create or update phases, meeting formats, selection criteria and settings named in a strategy document.

    Runs inside the strategy loader's transaction; idempotent. Measures named in `process.measure_phases` get that
    phase as their starting phase when they have no lifecycle yet (later moves by teams are never overwritten)."""
    from kompass.measures.models import Measure
    from kompass.strategy.models import Value
    from kompass.strategy.sections import upsert

    if actor is None:  # the strategy loader of main still passes None with a label; name it as a system actor
        actor = system_actor(label or "strategy loader")
    process = document.get("process") or {}
    scope = {"strategy": strategy}
    phases = {}
    for n, item in enumerate(process.get("phases", [])):
        phases[item["slug"]] = upsert(report, "phase", Phase, {**scope, "slug": item["slug"]}, {
            **{k: item.get(k, "") for k in TEXTS}, "position": n, "exit_criteria": list(item.get("exit_criteria", [])),
            "skippable": item.get("skippable", False)}, actor, label)
    for n, item in enumerate(process.get("formats", [])):
        upsert(report, "meeting_format", MeetingFormat, {**scope, "slug": item["slug"]}, {
            **{k: item.get(k, "") for k in TEXTS}, "position": n, "gives_mandate": item.get("gives_mandate", False)},
            actor, label)
    values = {v.slug: v for v in Value.objects.filter(strategy=strategy)}
    for n, item in enumerate(document.get("selection_criteria", [])):
        upsert(report, "selection_criterion", SelectionCriterion, {**scope, "slug": item["slug"]}, {
            **{k: item.get(k, "") for k in TEXTS}, "position": n, "value": values.get(item.get("value")),
            "weight": item.get("weight", 1)}, actor, label)
    if process:
        upsert(report, "process_settings", ProcessSettings, scope, {
            "stuck_after_days": process.get("stuck_after_days", 365),
            "min_assessments": process.get("min_assessments", 1),
            "reviewer_groups": dict(process.get("reviewer_groups", {}))}, actor, label)
        _ensure_groups(process.get("reviewer_groups", {}).values(), actor, label)
    wanted = process.get("measure_phases", {})
    if wanted:
        existing = set(MeasureLifecycle.objects.filter(measure__strategy=strategy).values_list("measure__slug",
                                                                                              flat=True))
        for measure in Measure.objects.filter(strategy=strategy, slug__in=list(wanted)):
            if measure.slug in existing:
                report.count("measure_phase", "unchanged")
                continue
            phase = phases.get(wanted[measure.slug]) or Phase.objects.get(strategy=strategy,
                                                                          slug=wanted[measure.slug])
            phase_set_initial(actor=actor, measure=measure, phase=phase, label=label)
            report.count("measure_phase", "created")


def _ensure_groups(slugs, actor, label) -> None:
    from kompass.accounts.models import UserGroup

    for slug in sorted(set(slugs)):
        if not UserGroup.objects.filter(slug=slug).exists():
            group = UserGroup.objects.create(slug=slug, name=slug.replace("-", " ").title(), kind=UserGroup.Kind.TEAM)
            record_event(actor=actor, action="usergroup.created", obj=group, changes={"slug": (None, slug)},
                         label=label)
