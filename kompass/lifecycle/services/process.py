"""The process as data: the strategy loader's `process` / `selection_criteria` sections (registered in apps.py)."""

from __future__ import annotations

from kompass.audit.services import record_event
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
    _load_history(strategy, process.get("phase_history", {}), phases, actor, label, report)
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


def _load_history(strategy, history: dict, phases: dict, actor, label, report) -> None:
    """`process.phase_history`: measure slug -> {phase slug: "YYYY-MM-DD"}, the dates a measure entered each
    phase. Written as transitions on those dates (the first one initial, then forward) for measures without a
    lifecycle yet, so the office overview's time in phase comes from real dates. Later moves are never
    overwritten. Dates must rise and lie in the past."""
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from kompass.lifecycle.models import PhaseTransition
    from kompass.lifecycle.services.phases import set_phase
    from kompass.measures.models import Measure

    if not history:
        return
    existing = set(MeasureLifecycle.objects.filter(measure__strategy=strategy).values_list("measure__slug",
                                                                                          flat=True))
    known = {**{p.slug: p for p in Phase.objects.filter(strategy=strategy)}, **phases}
    today = timezone.localdate()
    for measure in Measure.objects.filter(strategy=strategy, slug__in=list(history)).order_by("slug"):
        if measure.slug in existing:
            report.count("phase_history", "unchanged")
            continue
        steps = []
        for phase_slug, day in history[measure.slug].items():
            try:
                day = day if isinstance(day, datetime.date) else datetime.date.fromisoformat(str(day))
            except ValueError:
                raise ValidationError(f"process.phase_history.{measure.slug}.{phase_slug}: not a date") from None
            if phase_slug not in known or day > today or (steps and day < steps[-1][1]):
                raise ValidationError(f"process.phase_history.{measure.slug}.{phase_slug}: unknown phase, a date "
                                      "in the future or earlier than the step before")
            steps.append((known[phase_slug], day))
        previous = None
        for phase, day in steps:
            at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
            kind = PhaseTransition.Kind.INITIAL if previous is None else PhaseTransition.Kind.FORWARD
            set_phase(measure, previous, phase, kind, "", [], actor, label, at=at)
            previous = phase
        report.count("phase_history", "created")


def _ensure_groups(slugs, actor, label) -> None:
    from kompass.accounts.models import UserGroup

    for slug in sorted(set(slugs)):
        if not UserGroup.objects.filter(slug=slug).exists():
            group = UserGroup.objects.create(slug=slug, name=slug.replace("-", " ").title(), kind=UserGroup.Kind.TEAM)
            record_event(actor=actor, action="usergroup.created", obj=group, changes={"slug": (None, slug)},
                         label=label)
