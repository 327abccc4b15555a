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
    many: Callable[[list], dict] | None = None


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


def register_many(name: str, label, *, replace: bool = False, default: bool = False):
    """Register a check that takes a list of measures and returns {measure pk: CriterionResult} in a fixed number
    of queries; `evaluate_many` uses it for many measures at once, `evaluate` for one."""

    def decorate(function):
        def check(measure):
            return function([measure])[measure.pk]

        register_criterion(name, label, replace=replace, default=default)(check)
        if CRITERIA[name].check is check:
            CRITERIA[name] = Criterion(name=name, label=label, check=check, many=function)
        return function

    return decorate


def _result(name: str, result: CriterionResult | None) -> dict:
    criterion = CRITERIA.get(name)
    if criterion is None or result is None:
        return {"name": name, "label": name, "met": None,
                "message": str(_("Kompass does not know this criterion; the team confirms it."))}
    return {"name": name, "label": str(criterion.label), "met": result.met, "message": str(result.message)}


def evaluate(names: list[str], measure) -> list[dict]:
    """Check each named criterion for `measure`; unknown names are reported as not checkable."""
    return [_result(name, CRITERIA[name].check(measure) if name in CRITERIA else None) for name in names]


def evaluate_many(names_by_measure: list[tuple[object, list[str]]]) -> dict[int, list[dict]]:
    """`evaluate` for many measures: each criterion with a bulk check runs once for all measures that need it
    (so the number of queries does not grow with the number of measures); others run per measure."""
    wanted: dict[str, list] = {}
    for measure, names in names_by_measure:
        for name in names:
            wanted.setdefault(name, []).append(measure)
    found: dict[str, dict] = {}
    for name, measures in wanted.items():
        criterion = CRITERIA.get(name)
        if criterion is None:
            found[name] = {}
        elif criterion.many is not None:
            found[name] = criterion.many(measures)
        else:
            found[name] = {m.pk: criterion.check(m) for m in measures}
    return {measure.pk: [_result(name, found[name].get(measure.pk)) for name in names]
            for measure, names in names_by_measure}


@register_many("team_with_roles", _("A measure team with a lead and at least one further member"))
def team_with_roles(measures) -> dict:
    from kompass.lifecycle.models import TeamMember

    roles: dict[int, list[str]] = {m.pk: [] for m in measures}
    for measure_id, role in TeamMember.objects.filter(measure__in=measures).values_list("measure_id", "role"):
        roles[measure_id].append(role)
    out = {}
    for pk, found in roles.items():
        if TeamMember.Role.LEAD not in found:
            out[pk] = CriterionResult(False, _("The team has no lead."))
        elif len(found) < 2:
            out[pk] = CriterionResult(False, _("The team needs at least one member besides the lead."))
        else:
            out[pk] = CriterionResult(True)
    return out


def results_from_done(measures, done: set, message) -> dict:
    return {m.pk: CriterionResult(True) if m.pk in done else CriterionResult(False, message) for m in measures}


@register_many("mandate_recorded", _("A mandate is recorded"))
def mandate_recorded(measures) -> dict:
    from kompass.lifecycle.models import Mandate

    done = set(Mandate.objects.filter(measure__in=measures).values_list("measure_id", flat=True))
    return results_from_done(measures, done, _("No mandate is recorded yet."))


@register_many("description_complete", _("The measure description is complete"))
def description_complete(measures) -> dict:
    from django.db.models import OuterRef, Subquery

    from kompass.lifecycle.models import DESCRIPTION_SECTIONS, DescriptionVersion

    latest = DescriptionVersion.objects.filter(measure=OuterRef("measure")).order_by("-number").values("number")[:1]
    current = {v.measure_id: v for v in DescriptionVersion.objects.filter(measure__in=measures,
                                                                          number=Subquery(latest))}
    out = {}
    for m in measures:
        version = current.get(m.pk)
        if version is None:
            out[m.pk] = CriterionResult(False, _("There is no measure description yet."))
            continue
        missing = [str(label) for key, label in DESCRIPTION_SECTIONS if not (version.sections.get(key) or "").strip()]
        out[m.pk] = (CriterionResult(False, _("Sections still empty: %(sections)s") % {"sections": ", ".join(missing)})
                     if missing else CriterionResult(True))
    return out


@register_criterion("has_indicator", _("At least one indicator is defined"), default=True)
def has_indicator_placeholder(measure) -> CriterionResult:
    """Placeholder until the monitoring app registers the real check (with replace=True)."""
    return CriterionResult(None, _("Indicators are not recorded in Kompass yet; the team confirms this."))


@register_many("lessons_published", _("Lessons learned are published"))
def lessons_published(measures) -> dict:
    from kompass.lifecycle.models import LessonLearned

    done = set(LessonLearned.objects.filter(measure__in=measures).values_list("measure_id", flat=True))
    return results_from_done(measures, done, _("No lessons learned are published yet."))
