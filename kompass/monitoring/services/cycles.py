"""Evaluation cycles: opening and closing (with snapshots), the teams' reviews, board comments and the
strategy office's decisions. A decision "adjust goals" adds target versions and "adjust the evaluation"
changes methods; both are recorded as done by the deciding actor."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.accounts.models import UserGroup
from kompass.audit.services import record_event
from kompass.core.actors import person
from kompass.core.permissions import require
from kompass.measures.models import Measure
from kompass.monitoring.models import BoardComment, Decision, EvaluationCycle, Goal, GoalAssessment, Indicator, Review
from kompass.monitoring.selectors import snapshot
from kompass.monitoring.services.statuses import refresh_statuses
from kompass.monitoring.services.targets import add_target_version, set_method


@transaction.atomic
def cycle_open(*, actor, strategy, slug: str, name: str, deadline: datetime.date, name_en: str = "",
               audit_label: str | None = None) -> EvaluationCycle:
    require(actor, "monitoring.manage_cycles")
    if EvaluationCycle.objects.filter(strategy=strategy, slug=slug).exists():
        raise ValidationError({"slug": _("A cycle with this short name exists already.")})
    cycle = EvaluationCycle(strategy=strategy, slug=slug, name=name, name_en=name_en, deadline=deadline,
                            opened_by=person(actor), snapshot_open=snapshot(strategy))
    cycle.full_clean()
    cycle.save()
    record_event(actor=actor, action="monitoring.cycle_opened", obj=cycle, label=audit_label,
                 changes={"name": (None, name), "deadline": (None, deadline)})
    return cycle


@transaction.atomic
def cycle_close(*, actor, cycle: EvaluationCycle, audit_label: str | None = None) -> EvaluationCycle:
    require(actor, "monitoring.manage_cycles")
    if cycle.state == EvaluationCycle.State.CLOSED:
        return cycle
    cycle.state = EvaluationCycle.State.CLOSED
    cycle.closed_at = timezone.now()
    cycle.snapshot_close = snapshot(cycle.strategy)
    cycle.save(update_fields=["state", "closed_at", "snapshot_close"])
    record_event(actor=actor, action="monitoring.cycle_closed", obj=cycle, label=audit_label,
                 changes={"state": ("open", "closed")})
    return cycle


def _require_open(cycle: EvaluationCycle) -> None:
    if cycle.state != EvaluationCycle.State.OPEN:
        raise ValidationError(_("This evaluation cycle is closed."))


@transaction.atomic
def review_submit(*, actor, cycle: EvaluationCycle, measure: Measure, learned: str, proposed_changes: str = "",
                  assessments: dict | None = None, audit_label: str | None = None) -> Review:
    """Submit (or revise) a measure's review. `assessments`: {goal: (rating, text, assumption_holds)}."""
    require(actor, "monitoring.submit_review", measure)
    _require_open(cycle)
    if not learned.strip():
        raise ValidationError({"learned": _("Say what the team learned.")})
    review = Review.objects.filter(cycle=cycle, measure=measure).first()
    old = (review.learned, review.proposed_changes) if review else None
    user = person(actor)
    if review is None:
        review = Review.objects.create(cycle=cycle, measure=measure, learned=learned,
                                       proposed_changes=proposed_changes, submitted_by=user)
    else:
        review.learned, review.proposed_changes, review.submitted_by = learned, proposed_changes, user
        review.save()
    valid = {g.pk: g for g in Goal.objects.filter(measure=measure)}
    for goal, (rating, text, holds) in (assessments or {}).items():
        if goal.pk not in valid:
            raise ValidationError(_("The goal does not belong to this measure."))
        if rating not in GoalAssessment.Rating.values:
            raise ValidationError({"rating": _("Unknown assessment.")})
        GoalAssessment.objects.update_or_create(review=review, goal=goal, defaults={
            "rating": rating, "text": text, "assumption_holds": bool(holds)})
        Goal.objects.filter(pk=goal.pk).update(assumption_reviewed_in=cycle)
    record_event(actor=actor, action="monitoring.review_submitted", obj=review, label=audit_label,
                 changes={"review": (old, (learned, proposed_changes))})
    return review


@transaction.atomic
def comment_add(*, actor, cycle: EvaluationCycle, measure: Measure, group: UserGroup, text: str,
                audit_label: str | None = None) -> BoardComment:
    """A board's or panel's comment on a measure's review; members speak only for their own group."""
    require(actor, "monitoring.comment")
    _require_open(cycle)
    if group.kind not in (UserGroup.Kind.BOARD, UserGroup.Kind.PANEL):
        raise ValidationError({"group": _("Only boards and panels comment on reviews.")})
    require(actor, "monitoring.comment_for_group", group)
    if not text.strip():
        raise ValidationError({"text": _("The comment is empty.")})
    comment = BoardComment.objects.create(cycle=cycle, measure=measure, group=group, text=text.strip(),
                                          author=person(actor))
    record_event(actor=actor, action="monitoring.comment_added", obj=comment, label=audit_label,
                 changes={"text": (None, text.strip())})
    return comment


def _check_decision(kind: str, reason: str, measure: Measure, new_targets: list, new_methods: list) -> None:
    if kind not in Decision.Kind.values:
        raise ValidationError({"kind": _("Unknown decision.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    if new_targets and kind != Decision.Kind.ADJUST_GOALS:
        raise ValidationError({"kind": _("New targets need the decision “adjust goals”.")})
    if new_methods and kind != Decision.Kind.ADJUST_EVALUATION:
        raise ValidationError({"kind": _("New methods need the decision “adjust the evaluation”.")})
    if kind == Decision.Kind.ADJUST_GOALS and not new_targets:
        raise ValidationError({"kind": _("Adjusting goals needs at least one new target.")})
    for indicator, *_rest in new_targets + new_methods:
        if indicator.measure_id != measure.pk:
            raise ValidationError(_("The indicator does not belong to this measure."))


@transaction.atomic
def decision_record(*, actor, cycle: EvaluationCycle, measure: Measure, kind: str, reason: str,
                    new_targets: list[tuple[Indicator, float, datetime.date]] | None = None,
                    new_methods: list[tuple[Indicator, str]] | None = None,
                    audit_label: str | None = None) -> Decision:
    """Record the cycle's decision for a measure. "adjust goals" adds target versions (set by this cycle),
    "adjust the evaluation" changes methods; both are refused for the other kinds. Every target version and
    method change is recorded as done by `actor` (the deciding person or a system actor)."""
    require(actor, "monitoring.decide", measure)
    _require_open(cycle)
    new_targets, new_methods = list(new_targets or []), list(new_methods or [])
    _check_decision(kind, reason, measure, new_targets, new_methods)
    reason = reason.strip()
    decision = Decision.objects.filter(cycle=cycle, measure=measure).first()
    old = (decision.kind, decision.reason) if decision else None
    user = person(actor)
    if decision is None:
        decision = Decision.objects.create(cycle=cycle, measure=measure, kind=kind, reason=reason, decided_by=user)
    else:
        decision.kind, decision.reason, decision.decided_by = kind, reason, user
        decision.save()
    for indicator, value, day in new_targets:
        add_target_version(actor=actor, indicator=indicator, value=value, target_date=day, reason=reason,
                           cycle=cycle, refresh=False, audit_label=audit_label)
    for indicator, method in new_methods:
        set_method(actor=actor, indicator=indicator, method=method, reason=reason, audit_label=audit_label)
    if new_targets:
        refresh_statuses(strategy=measure.strategy, indicator_ids=[i.pk for i, _v, _d in new_targets])
    record_event(actor=actor, action="monitoring.decision_recorded", obj=decision, label=audit_label,
                 changes={"decision": (old, (kind, reason))})
    return decision


@transaction.atomic
def board_ensure(*, actor, slug: str, name: str, kind: str, name_en: str = "",
                 audit_label: str | None = None) -> UserGroup:
    """Create the board or panel `slug` if it does not exist (used by the seed loader)."""
    require(actor, "monitoring.manage_cycles")
    group, created = UserGroup.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en,
                                                                          "kind": kind})
    if created:
        record_event(actor=actor, action="monitoring.board_created", obj=group, label=audit_label,
                     changes={"name": (None, name), "kind": (None, kind)})
    return group
