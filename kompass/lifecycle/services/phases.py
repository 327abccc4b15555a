"""Phase moves through the gates, and the starting phase of a measure (import, loader, admission)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.audit.services import actor_label, record_event
from kompass.core.actors import person
from kompass.core.permissions import require
from kompass.lifecycle import criteria as criteria_registry
from kompass.lifecycle.models import MeasureLifecycle, Phase, PhaseTransition
from kompass.lifecycle.selectors import current_phase, phases
from kompass.lifecycle.services._common import lock_measure, notify_team


def gate_check(measure, to_phase: Phase | None) -> tuple[str, list[dict]]:
    """The kind of a move to `to_phase` (None = complete the last phase) and the exit criteria it must meet."""
    ordered = phases(measure.strategy)
    here = current_phase(measure)
    if here is None:
        raise ValidationError(_("This strategy defines no process."))
    index = {p.pk: i for i, p in enumerate(ordered)}
    i = index[here.pk]
    lifecycle = MeasureLifecycle.objects.filter(measure=measure).first()
    if lifecycle is not None and lifecycle.completed_at:
        raise ValidationError(_("The measure has completed the process."))
    if to_phase is None:
        if i != len(ordered) - 1:
            raise ValidationError(_("Only a measure in the last phase can complete the process."))
        return PhaseTransition.Kind.COMPLETE, criteria_registry.evaluate(here.exit_criteria, measure)
    if to_phase.pk not in index:
        raise ValidationError(_("This phase belongs to another strategy."))
    j = index[to_phase.pk]
    if j == i:
        raise ValidationError(_("The measure is already in this phase."))
    if j < i:
        return PhaseTransition.Kind.BACK, []
    if any(not p.skippable for p in ordered[i + 1:j]):
        raise ValidationError(_("Only phases marked as skippable can be skipped."))
    names: list[str] = []
    for phase in ordered[i:j]:
        names += [n for n in phase.exit_criteria if n not in names]
    return PhaseTransition.Kind.FORWARD, criteria_registry.evaluate(names, measure)


@transaction.atomic
def phase_move(*, actor, measure, to_phase: Phase | None, reason: str = "", override: bool = False,
               confirmed: list[str] | tuple = ()) -> PhaseTransition:
    """Move a measure to another phase (or complete the last one, to_phase=None).

    Forward moves need every exit criterion of the phases left behind: met, or (when Kompass cannot check it)
    confirmed by the actor. Otherwise only the strategy office may override, with a written reason. Steps back
    are always allowed to the team, with a reason."""
    require(actor, "lifecycle.move_phase", measure)
    lock_measure(measure)
    reason = (reason or "").strip()
    kind, results = gate_check(measure, to_phase)
    if kind == PhaseTransition.Kind.BACK and not reason:
        raise ValidationError({"reason": _("Give a reason for stepping back.")})
    for result in results:
        if result["met"] is None and result["name"] in confirmed:
            result["met"], result["confirmed"] = True, True
    unmet = [r for r in results if not r["met"]]
    if unmet:
        if not override:
            raise ValidationError(_("Exit criteria not met: %(names)s") % {
                "names": "; ".join(r["label"] for r in unmet)})
        require(actor, "lifecycle.override_gate", measure)
        if not reason:
            raise ValidationError({"reason": _("An override needs a written reason.")})
        if kind == PhaseTransition.Kind.FORWARD:
            kind = PhaseTransition.Kind.OVERRIDE
    here = current_phase(measure)
    transition = set_phase(measure, here, to_phase, kind, reason, results, actor)
    text = (_("%(measure)s completed the process.") % {"measure": measure.title} if to_phase is None else
            _("%(measure)s moved from %(old)s to %(new)s.") % {"measure": measure.title, "old": here.name,
                                                                 "new": to_phase.name})
    if reason:
        text += " " + _("Reason: %(reason)s") % {"reason": reason}
    notify_team(measure, "phase", text, exclude=actor)
    return transition


@transaction.atomic
def phase_set_initial(*, actor, measure, phase: Phase, reason: str = "", label: str | None = None):
    """Give a measure without a lifecycle its starting phase (spreadsheet import, strategy loader). Returns the
    transition, or None when the measure already has a lifecycle (later moves go through the gates)."""
    require(actor, "lifecycle.import_measures")
    if phase.strategy_id != measure.strategy_id:
        raise ValidationError({"phase": _("This phase belongs to another strategy.")})
    if MeasureLifecycle.objects.filter(measure=measure).exists():
        return None
    return set_phase(measure, None, phase, PhaseTransition.Kind.INITIAL, reason, [], actor, label)


def set_phase(measure, from_phase, to_phase, kind, reason, results, actor, label=None, at=None) -> PhaseTransition:
    """Write the lifecycle row, the transition and the audit event. Internal: callers check the permission.
    `at`: when it happened, for a recorded history (the strategy loader's `process.phase_history`)."""
    now = at or timezone.now()
    lifecycle = MeasureLifecycle.objects.filter(measure=measure).first()
    if lifecycle is None:
        lifecycle = MeasureLifecycle(measure=measure, phase=to_phase or from_phase, phase_since=now)
    if to_phase is None:
        lifecycle.completed_at = now
    else:
        lifecycle.phase, lifecycle.phase_since, lifecycle.completed_at = to_phase, now, None
    lifecycle.save()
    transition = PhaseTransition.objects.create(
        measure=measure, from_phase=from_phase, to_phase=to_phase, kind=kind, reason=reason, criteria=results,
        actor=person(actor), actor_label=label or actor_label(actor), occurred_at=now)
    record_event(actor=actor, action="measure.phase_changed", obj=measure, label=label, changes={
        "phase": (from_phase.slug if from_phase else None, to_phase.slug if to_phase else "completed"),
        "kind": (None, str(kind))})
    return transition
