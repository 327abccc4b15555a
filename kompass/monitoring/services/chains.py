"""Impact chains: a measure's inputs, its goals on the output/outcome/impact ladder and their indicators."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass.algorithms.progress import METHODS
from kompass.audit.services import diff_fields, record_event
from kompass.core.permissions import require
from kompass.measures.models import Measure
from kompass.monitoring import dated
from kompass.monitoring.models import Goal, Indicator, Level, MeasureInput
from kompass.monitoring.services.statuses import refresh_statuses
from kompass.monitoring.services.targets import target_add

GOAL_FIELDS = ["level", "position", "title", "title_en", "assumption", "assumption_en"]
INDICATOR_FIELDS = ["goal", "position", "name", "name_en", "definition", "definition_en", "unit", "direction",
                    "baseline_value", "baseline_date", "baseline_date_precision", "natural_limit", "method",
                    "data_source", "cadence", "responsible_organisation", "by_district"]


@transaction.atomic
def inputs_set(*, actor, measure: Measure, texts: list[tuple[str, str]], audit_label: str | None = None) -> bool:
    """Replace the inputs of a measure's impact chain with `texts` [(German, English)]."""
    require(actor, "monitoring.change_monitoring", measure)
    current = [(i.text, i.text_en) for i in MeasureInput.objects.filter(measure=measure)]
    wanted = [(t, e or "") for t, e in texts]
    if current == wanted:
        return False
    MeasureInput.objects.filter(measure=measure).delete()
    MeasureInput.objects.bulk_create([MeasureInput(measure=measure, position=i, text=t, text_en=e)
                                      for i, (t, e) in enumerate(wanted)])
    record_event(actor=actor, action="monitoring.inputs_set", obj=measure, changes={"inputs": (current, wanted)},
                 label=audit_label)
    return True


@transaction.atomic
def goal_save(*, actor, measure: Measure, slug: str, data: dict[str, Any],
              audit_label: str | None = None) -> tuple[Goal, dict]:
    """Create or update the goal `slug` of `measure`; returns (goal, changes)."""
    require(actor, "monitoring.change_monitoring", measure)
    if data.get("level") not in Level.values:
        raise ValidationError({"level": _("Unknown level.")})
    goal = Goal.objects.filter(measure=measure, slug=slug).first()
    if goal is None:
        goal = Goal(measure=measure, slug=slug, **data)
        goal.full_clean(exclude=["assumption_reviewed_in"])
        goal.save()
        record_event(actor=actor, action="monitoring.goal_created", obj=goal,
                     changes={k: (None, v) for k, v in data.items()}, label=audit_label)
        return goal, {k: (None, v) for k, v in data.items()}
    changes = diff_fields(goal, data)
    if changes:
        for key, (_old, new) in changes.items():
            setattr(goal, key, new)
        goal.full_clean(exclude=["assumption_reviewed_in"], validate_unique=False)
        goal.save(update_fields=list(changes))
        record_event(actor=actor, action="monitoring.goal_updated", obj=goal, changes=changes, label=audit_label)
    return goal, changes


@transaction.atomic
def indicator_save(*, actor, goal: Goal, slug: str, data: dict[str, Any],
                   audit_label: str | None = None) -> tuple[Indicator, dict]:
    """Create or update an indicator. The method can also be changed by a cycle decision (`method_change`)."""
    require(actor, "monitoring.change_monitoring", goal.measure)
    if data.get("method", "open_sdg") not in METHODS:
        raise ValidationError({"method": _("Unknown progress method.")})
    indicator = Indicator.objects.filter(slug=slug).first()
    data = {**data, "goal": goal}
    if "baseline_date" in data:  # a Dated (forms, API, loader) brings the precision it was entered with
        data["baseline_date"], precision = dated.split(data["baseline_date"])
        if precision:
            data["baseline_date_precision"] = precision
    if indicator is None:
        indicator = Indicator(slug=slug, measure=goal.measure, **data)
        indicator.full_clean()
        indicator.save()
        changes = {k: (None, v) for k, v in data.items()}
        record_event(actor=actor, action="monitoring.indicator_created", obj=indicator, changes=changes,
                     label=audit_label)
        return indicator, changes
    if indicator.measure_id != goal.measure_id:
        raise ValidationError({"slug": _("This indicator belongs to another measure.")})
    changes = diff_fields(indicator, data)
    if changes:
        for key, (_old, new) in changes.items():
            setattr(indicator, key, new)
        indicator.full_clean(validate_unique=False)
        indicator.save(update_fields=list(changes))
        record_event(actor=actor, action="monitoring.indicator_updated", obj=indicator, changes=changes,
                     label=audit_label)
        refresh_statuses(strategy=goal.measure.strategy, indicator_ids=[indicator.pk])
    return indicator, changes


@transaction.atomic
def indicator_create_with_target(*, actor, goal: Goal, slug: str, data: dict[str, Any],
                                 target: tuple[float, datetime.date]) -> Indicator:
    """A new indicator with its first target version, in one transaction."""
    indicator, _changes = indicator_save(actor=actor, goal=goal, slug=slug, data=data)
    target_add(actor=actor, indicator=indicator, value=target[0], target_date=target[1],
               reason=_("Initial target"))
    return indicator
