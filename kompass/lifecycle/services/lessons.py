"""Lessons learned and replication ("Einer-für-Alle")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.actors import person
from kompass.core.permissions import require
from kompass.lifecycle.models import LessonLearned, MeasureLifecycle, Phase
from kompass.lifecycle.selectors import current_phase


def normalise_tags(tags: str) -> str:
    """"A, b ,,C" -> "a, b, c": trimmed, lower-cased, empty ones dropped."""
    return ", ".join(t.strip().lower() for t in tags.split(",") if t.strip())


@transaction.atomic
def lesson_create(*, actor, measure, title: str, what_worked: str, what_did_not: str, recommendation: str,
                  tags: str = "", phase: Phase | None = None) -> LessonLearned:
    require(actor, "lifecycle.add_lesson", measure)
    phase = phase or current_phase(measure)
    tag_text = normalise_tags(tags)
    lesson = LessonLearned(measure=measure, phase=phase, title=title, what_worked=what_worked,
                           what_did_not=what_did_not, recommendation=recommendation, tags=tag_text[:300],
                           author=person(actor))
    lesson.search_text = "\n".join([title, what_worked, what_did_not, recommendation, tag_text,
                                    measure.title]).lower()
    lesson.full_clean()
    lesson.save()
    record_event(actor=actor, action="lesson.created", obj=measure, changes={"lesson": (None, title)})
    return lesson


def would_cycle(parents: dict, measure_pk: int, original_pk: int) -> bool:
    """True when making `measure_pk` a replication of `original_pk` closes a loop in the `parents` tree
    ({measure: the measure it replicates or None})."""
    node, seen = original_pk, set()
    while node is not None and node not in seen:
        if node == measure_pk:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


@transaction.atomic
def replication_set(*, actor, measure, original) -> None:
    """Mark `measure` as a replication ("Einer-für-Alle") of `original` (None clears it). Cycles are refused."""
    require(actor, "lifecycle.mark_replication", measure)
    if original is not None:
        if original.pk == measure.pk or original.strategy_id != measure.strategy_id:
            raise ValidationError(_("A measure cannot replicate itself or a measure of another strategy."))
        parents = dict(MeasureLifecycle.objects.filter(measure__strategy=measure.strategy)
                       .values_list("measure_id", "replication_of_id"))
        if would_cycle(parents, measure.pk, original.pk):
            raise ValidationError(_("This would make the replication tree circular."))
    lifecycle = MeasureLifecycle.objects.filter(measure=measure).first()
    if lifecycle is None:
        phase = current_phase(measure)
        if phase is None:
            raise ValidationError(_("This strategy defines no process."))
        lifecycle = MeasureLifecycle(measure=measure, phase=phase)
    old = lifecycle.replication_of_id
    lifecycle.replication_of = original
    lifecycle.save()
    record_event(actor=actor, action="measure.replication_set", obj=measure,
                 changes={"replication_of": (old, original.pk if original else None)})
