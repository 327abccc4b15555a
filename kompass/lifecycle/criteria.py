"""The registry of named exit criteria. A strategy file names the criteria of each phase; Kompass checks them here.

Other apps plug in their own checks, e.g. the monitoring app replaces the placeholder "has_indicator":

    from kompass.lifecycle.criteria import register_criterion

    @register_criterion("has_indicator", _("At least one indicator is defined"), replace=True)
    def has_indicator(measure) -> CriterionResult: ...

A check returns a CriterionResult: met (True/False) or None when Kompass cannot check it (then the team confirms
it when moving forward)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CriterionResult:
    met: bool | None
    message: str = ""


@dataclass(frozen=True)
class Criterion:
    name: str
    label: str
    check: Callable[[object], CriterionResult]


CRITERIA: dict[str, Criterion] = {}


def register_criterion(name: str, label, *, replace: bool = False, default: bool = False):
    """Register a check under `name`. `replace=True` overrides an existing one; `default=True` registers only when
    no other app has registered the name (so the import order of apps does not matter)."""

    def decorate(function):
        if default and name in CRITERIA:
            return function
        if name in CRITERIA and not replace:
            raise ValueError(f"exit criterion '{name}' is already registered")
        CRITERIA[name] = Criterion(name=name, label=label, check=function)
        return function

    return decorate


def evaluate(names: list[str], measure) -> list[dict]:
    """Check each named criterion for `measure`; unknown names are reported as not checkable."""
    results = []
    for name in names:
        criterion = CRITERIA.get(name)
        if criterion is None:
            results.append({"name": name, "label": name, "met": None,
                            "message": str(_("Kompass does not know this criterion; the team confirms it."))})
            continue
        result = criterion.check(measure)
        results.append({"name": name, "label": str(criterion.label), "met": result.met,
                        "message": str(result.message)})
    return results


@register_criterion("team_with_roles", _("A measure team with a lead and at least one further member"))
def team_with_roles(measure) -> CriterionResult:
    from kompass.lifecycle.models import TeamMember

    roles = list(TeamMember.objects.filter(measure=measure).values_list("role", flat=True))
    if TeamMember.Role.LEAD not in roles:
        return CriterionResult(False, _("The team has no lead."))
    if len(roles) < 2:
        return CriterionResult(False, _("The team needs at least one member besides the lead."))
    return CriterionResult(True)


@register_criterion("mandate_recorded", _("A mandate is recorded"))
def mandate_recorded(measure) -> CriterionResult:
    from kompass.lifecycle.models import Mandate

    if Mandate.objects.filter(measure=measure).exists():
        return CriterionResult(True)
    return CriterionResult(False, _("No mandate is recorded yet."))


@register_criterion("description_complete", _("The measure description is complete"))
def description_complete(measure) -> CriterionResult:
    from kompass.lifecycle.models import DESCRIPTION_SECTIONS, DescriptionVersion

    current = DescriptionVersion.objects.filter(measure=measure).order_by("-number").first()
    if current is None:
        return CriterionResult(False, _("There is no measure description yet."))
    missing = [str(label) for key, label in DESCRIPTION_SECTIONS if not (current.sections.get(key) or "").strip()]
    if missing:
        return CriterionResult(False, _("Sections still empty: %(sections)s") % {"sections": ", ".join(missing)})
    return CriterionResult(True)


@register_criterion("has_indicator", _("At least one indicator is defined"), default=True)
def has_indicator_placeholder(measure) -> CriterionResult:
    """Placeholder until the monitoring app registers the real check (with replace=True)."""
    return CriterionResult(None, _("Indicators are not recorded in Kompass yet; the team confirms this."))


@register_criterion("lessons_published", _("Lessons learned are published"))
def lessons_published(measure) -> CriterionResult:
    from kompass.lifecycle.models import LessonLearned

    if LessonLearned.objects.filter(measure=measure).exists():
        return CriterionResult(True)
    return CriterionResult(False, _("No lessons learned are published yet."))
