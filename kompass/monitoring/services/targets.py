"""Target versions and progress methods of an indicator. A realignment adds a version, never overwrites one.

`target_add` and `method_change` check `monitoring.change_monitoring`; an evaluation cycle's decision (which
checks `monitoring.decide`) uses `add_target_version` / `set_method` directly, with the deciding actor."""

from __future__ import annotations

import datetime
import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass.algorithms.progress import METHODS
from kompass.audit.services import record_event
from kompass.core.actors import person
from kompass.core.permissions import require
from kompass.core.plausible import check_date, check_value
from kompass.monitoring import dated
from kompass.monitoring.models import EvaluationCycle, Indicator, TargetVersion
from kompass.monitoring.services.statuses import refresh_statuses


@transaction.atomic
def target_add(*, actor, indicator: Indicator, value: float, target_date: datetime.date, reason: str = "",
               reason_en: str = "", cycle: EvaluationCycle | None = None, refresh: bool = True,
               audit_label: str | None = None, precision: str | None = None) -> TargetVersion:
    """Add a new target version (a realignment never overwrites an earlier version)."""
    require(actor, "monitoring.change_monitoring", indicator.measure)
    return add_target_version(actor=actor, indicator=indicator, value=value, target_date=target_date,
                              reason=reason, reason_en=reason_en, cycle=cycle, refresh=refresh,
                              audit_label=audit_label, precision=precision)


def add_target_version(*, actor, indicator: Indicator, value: float, target_date: datetime.date, reason: str = "",
                       reason_en: str = "", cycle: EvaluationCycle | None = None, refresh: bool = True,
                       audit_label: str | None = None, precision: str | None = None) -> TargetVersion:
    """The write behind `target_add`, for services that checked their own permission (inside their transaction).
    Adding the same value and date as the current version changes nothing.

    The date's precision (ADR 0081): `precision`, else the one a `dated.Dated` carries, else the current
    version's when the date is unchanged (a new value alone keeps "2027"), else "day"."""
    target_date, carried = dated.split(target_date)
    precision = precision or carried
    if not math.isfinite(float(value)):
        raise ValidationError({"value": _("The target must be a finite number.")})
    check_date("target_date", target_date)
    check_value("value", float(value), unit=indicator.unit, baseline=indicator.baseline_value,
                natural_limit=indicator.natural_limit, direction=indicator.direction)
    if target_date <= indicator.baseline_date:
        raise ValidationError({"target_date": _("The target date must lie after the baseline date.")})
    last = TargetVersion.objects.filter(indicator=indicator).order_by("-version").first()
    if last and last.value == float(value) and last.target_date == target_date:
        return last
    if precision is None:
        precision = last.target_date_precision if last and last.target_date == target_date else dated.DAY
    if precision not in dated.PRECISIONS:
        raise ValidationError({"target_date": _("Unknown precision of the date.")})
    version = TargetVersion.objects.create(
        indicator=indicator, version=(last.version + 1) if last else 1, value=float(value),
        target_date=target_date, target_date_precision=precision, reason=reason, reason_en=reason_en, cycle=cycle,
        created_by=person(actor))
    record_event(actor=actor, action="monitoring.target_added", obj=indicator, label=audit_label, changes={
        "target": ((last.value, last.target_date) if last else None, (version.value, target_date)),
        "reason": (None, reason), "precision": (None, precision)})
    if refresh:
        refresh_statuses(strategy=indicator.measure.strategy, indicator_ids=[indicator.pk])
    return version


@transaction.atomic
def method_change(*, actor, indicator: Indicator, method: str, reason: str = "",
                  audit_label: str | None = None) -> bool:
    """Change the progress method of an indicator (recorded with its reason); False when it is unchanged."""
    require(actor, "monitoring.change_monitoring", indicator.measure)
    return set_method(actor=actor, indicator=indicator, method=method, reason=reason, audit_label=audit_label)


def set_method(*, actor, indicator: Indicator, method: str, reason: str = "", audit_label: str | None = None) -> bool:
    """The write behind `method_change`, for services that checked their own permission."""
    if method not in METHODS:
        raise ValidationError({"method": _("Unknown progress method.")})
    if method == indicator.method:
        return False
    old = indicator.method
    Indicator.objects.filter(pk=indicator.pk).update(method=method)
    indicator.method = method
    record_event(actor=actor, action="monitoring.method_changed", obj=indicator, label=audit_label,
                 changes={"method": (old, method), "reason": (None, reason)})
    refresh_statuses(strategy=indicator.measure.strategy, indicator_ids=[indicator.pk])
    return True
