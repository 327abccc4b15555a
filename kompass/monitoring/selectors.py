"""Reads for monitoring pages, the API and reports. Every function costs a fixed number of SQL queries,
independent of the number of measures, indicators and measurements (statuses are read from the denormalised
status tables, never recomputed here)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _

from kompass.core import formats
from kompass.measures.models import Measure
from kompass.monitoring.charts import ChartTarget, line_chart
from kompass.monitoring.dated import Dated, format_dated
from kompass.monitoring.models import (
    LEVEL_ORDER,
    AggregateStatus,
    BoardComment,
    Decision,
    EvaluationCycle,
    Goal,
    GoalAssessment,
    Indicator,
    IndicatorStatus,
    Measurement,
    MeasureStatus,
    Review,
    TargetVersion,
)
from kompass.strategy import figures

ON_TRACK = ("on_track", "achieved")
STATUS_ORDER = ["achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration",
                "not_achieved", "not_computable"]


def lifecycle_phases(strategy) -> list | None:
    """The lifecycle app's phases (None if that app provides none): measures without a lifecycle row are in the
    first phase."""
    from django.apps import apps

    try:
        phase_model = apps.get_model("lifecycle", "Phase")
        apps.get_model("lifecycle", "MeasureLifecycle")
    except LookupError:
        return None
    return list(phase_model.objects.filter(strategy=strategy).order_by("position", "pk")) or None


def dashboard_measures(qs, with_phase: bool = False):
    """The catalogue queryset (kompass.measures.selectors.catalogue) with what a dashboard row shows."""
    if with_phase:
        qs = qs.select_related("lifecycle__phase")
    return qs.select_related("responsible_organisation", "monitoring_status").only(
        "id", "slug", "title", "title_en", "is_example", "is_pilot", "status", "strategy_id",
        "responsible_organisation__id", "responsible_organisation__name", "responsible_organisation__name_en",
        "responsible_organisation__abbreviation", "responsible_organisation__slug",
        "monitoring_status__status", "monitoring_status__score", "monitoring_status__output_status",
        "monitoring_status__outcome_status", "monitoring_status__impact_status",
        "monitoring_status__n_indicators", "monitoring_status__trend", "monitoring_status__chain_complete",
        "monitoring_status__rollup",
        *(["lifecycle__phase__name", "lifecycle__phase__name_en", "lifecycle__phase__slug",
           "lifecycle__completed_at"] if with_phase else []))


def aggregates(strategy) -> dict:
    """Stored roll-ups above the measure level: {"strategy": row|None, "action_field": [...], "value": [...]}."""
    result: dict = {"strategy": None, "action_field": [], "value": []}
    for row in AggregateStatus.objects.filter(strategy=strategy):
        if row.kind == "strategy":
            result["strategy"] = row
        else:
            result[row.kind].append(row)
    return result


def status_counts(strategy) -> dict:
    """Number of measures and of indicators per status (two queries)."""
    measures = dict(MeasureStatus.objects.filter(measure__strategy=strategy).values_list("status")
                    .annotate(n=Count("pk")).values_list("status", "n"))
    indicators = dict(IndicatorStatus.objects.filter(indicator__measure__strategy=strategy)
                      .values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {"measures": [(s, measures.get(s, 0)) for s in STATUS_ORDER if measures.get(s)],
            "indicators": [(s, indicators.get(s, 0)) for s in STATUS_ORDER if indicators.get(s)]}


def strategy_figures(strategy) -> dict:
    """Level-3 figures of the learning strategy (a fixed number of aggregate queries)."""
    ind = IndicatorStatus.objects.filter(indicator__measure__strategy=strategy).aggregate(
        total=Count("pk"), computable=Count("pk", filter=~Q(status="not_computable")),
        on_track=Count("pk", filter=Q(status__in=ON_TRACK)))
    measures = Measure.objects.filter(strategy=strategy).aggregate(
        total=Count("pk"),
        monitored=Count("pk", filter=Q(monitoring_status__isnull=False)),
        complete=Count("pk", filter=Q(monitoring_status__chain_complete=True)))
    cross = Measure.objects.filter(strategy=strategy, involved_organisations__isnull=False).values(
        "pk").distinct().count()

    def share(part, whole):
        return round(100 * part / whole, 1) if whole else None

    return {
        "indicators": ind["total"], "indicators_assessed": ind["computable"], "indicators_on_track": ind["on_track"],
        "on_track_share": share(ind["on_track"], ind["computable"]),
        "measures": measures["total"], "measures_monitored": measures["monitored"],
        "chains_complete": measures["complete"], "chains_complete_share": share(measures["complete"],
                                                                               measures["total"]),
        "cross_organisation": cross, "cross_organisation_share": share(cross, measures["total"]),
        "participation_reach": participation_reach(strategy),
    }


def participation_reach(strategy) -> int | None:
    """People who took part (distinct accounts that contributed to ideas or consultations), as provided by the
    participation app through the strategy's figure registry; None when no app provides it."""
    return figures.figure("participation_reach", strategy)


# --------------------------------------------------------------------------------------------- measure page

@dataclass
class Chain:
    measure: Measure
    inputs: list
    levels: list  # [(level value, label, [goals])]
    status: MeasureStatus | None

    @property
    def empty(self) -> bool:
        return not self.inputs and not any(goals for _lv, _label, goals in self.levels)


def measure_chain(measure: Measure) -> Chain:
    """A measure's impact chain with the stored statuses (four queries)."""
    targets = Prefetch("target_versions", queryset=TargetVersion.objects.order_by("version"),
                       to_attr="targets_list")
    goals = list(Goal.objects.filter(measure=measure).select_related("computed", "assumption_reviewed_in")
                 .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.select_related("computed")
                                            .prefetch_related(targets))))
    inputs = list(measure.monitoring_inputs.all())
    status = MeasureStatus.objects.filter(measure=measure).first()
    labels = dict((lv.value, lv.label) for lv in LEVEL_ORDER)
    levels = [(lv.value, labels[lv.value], [g for g in goals if g.level == lv.value]) for lv in LEVEL_ORDER]
    return Chain(measure, inputs, levels, status)


# --------------------------------------------------------------------------------------------- indicator page

@dataclass
class IndicatorPage:
    indicator: Indicator
    targets: list
    current_target: TargetVersion | None
    measurements: list
    chart: str
    status: IndicatorStatus | None
    districts: list  # [(district, latest measurement)]
    last_review: Review | None
    last_assessment: GoalAssessment | None


def indicator_detail(strategy, slug: str) -> Indicator:
    indicator = (Indicator.objects.filter(slug=slug, measure__strategy=strategy)
                 .select_related("goal", "measure", "measure__responsible_organisation", "responsible_organisation",
                                 "computed").first())
    if indicator is None:
        raise Http404
    return indicator


def indicator_page(strategy, slug: str) -> IndicatorPage:
    """Everything the public indicator page shows, in six queries whatever the data size."""
    indicator = indicator_detail(strategy, slug)
    targets = list(TargetVersion.objects.filter(indicator=indicator).select_related("cycle").order_by("version"))
    measurements = list(Measurement.objects.filter(indicator=indicator, district__isnull=True).order_by("period"))
    by_district = {}
    for m in (Measurement.objects.filter(indicator=indicator, district__isnull=False)
              .select_related("district").order_by("district__name", "period")):
        by_district[m.district_id] = m  # the latest period wins
    assessment = (GoalAssessment.objects.filter(goal=indicator.goal).select_related("review", "review__cycle")
                  .order_by("-review__cycle_id", "-review__submitted_at").first())
    review = assessment.review if assessment else (
        Review.objects.filter(measure=indicator.measure).select_related("cycle").order_by(
            "-cycle_id").first())
    status = getattr(indicator, "computed", None)
    return IndicatorPage(indicator, targets, targets[-1] if targets else None, measurements,
                         indicator_chart(indicator, targets, measurements), status,
                         [(m.district, m) for m in by_district.values()], review, assessment)


def indicator_chart(indicator, targets, measurements, *, compact: bool = False, width: int = 640,
                    height: int = 280) -> str:
    base = (indicator.baseline_date, indicator.baseline_value)
    lines = [ChartTarget(base, (t.target_date, t.value), i == len(targets) - 1,
                         _("Target %(version)s: %(value)s by %(date)s") % {
                             "version": t.version, "value": formats.number(t.value),
                             "date": format_dated(t.target_date, t.target_date_precision)})
             for i, t in enumerate(targets)]
    # measurements: Measurement objects or (period, value, provisional) tuples (reports)
    rows = [m if isinstance(m, tuple) else (Dated(m.period.year, m.period.month, m.period.day,
                                                  precision=m.period_precision), m.value, m.is_provisional)
            for m in measurements]
    baseline = indicator.baseline_date
    baseline = Dated(baseline.year, baseline.month, baseline.day, precision=indicator.baseline_date_precision)
    points = [(baseline, indicator.baseline_value, False)] if not rows or \
        rows[0][0] > indicator.baseline_date else []
    points += rows
    return line_chart(points, lines, unit=indicator.unit, title=indicator.tr("name"), compact=compact,
                      width=width, height=height)


def measurement_rows(indicator, measurements) -> list[dict]:
    return [{"period": format_dated(m.period, m.period_precision), "date": m.period, "value": m.value,
             "provisional": m.is_provisional, "source_note": m.source_note} for m in measurements]


# --------------------------------------------------------------------------------------------- cycles

def cycles(strategy) -> list[EvaluationCycle]:
    return list(EvaluationCycle.objects.filter(strategy=strategy).defer("snapshot_open", "snapshot_close"))


def cycle_detail(strategy, slug: str) -> EvaluationCycle:
    cycle = EvaluationCycle.objects.filter(strategy=strategy, slug=slug).first()
    if cycle is None:
        raise Http404
    return cycle


def previous_cycle(cycle: EvaluationCycle) -> EvaluationCycle | None:
    # Cycles follow each other in the order they were opened (by key: robust against clock adjustments).
    return EvaluationCycle.objects.filter(strategy=cycle.strategy, pk__lt=cycle.pk).order_by("-pk").first()


def snapshot(strategy) -> dict:
    """What a cycle compares: goals, current targets, methods and statuses (keyed by slugs), plus figures."""
    from django.utils import timezone

    goals = {f"{m}/{g}": {"title": t, "level": lv} for m, g, t, lv in Goal.objects.filter(
        measure__strategy=strategy).values_list("measure__slug", "slug", "title", "level")}
    targets = {}
    for slug, version, value, day, precision in TargetVersion.objects.filter(
            indicator__measure__strategy=strategy).order_by("indicator_id", "version").values_list(
            "indicator__slug", "version", "value", "target_date", "target_date_precision"):
        targets[slug] = {"version": version, "value": value, "date": day.isoformat(), "precision": precision}
    indicators = {slug: {"method": method, "status": status or "", "measure": measure}
                  for slug, method, status, measure in Indicator.objects.filter(
                      measure__strategy=strategy).values_list("slug", "method", "computed__status",
                                                              "measure__slug")}
    measures = dict(MeasureStatus.objects.filter(measure__strategy=strategy).values_list(
        "measure__slug", "status"))
    return {"taken_at": timezone.now().isoformat(), "goals": goals, "targets": targets,
            "indicators": indicators, "measures": measures, "figures": strategy_figures(strategy)}


@dataclass
class CycleView:
    cycle: EvaluationCycle
    reviews: list
    comments: dict  # measure id -> [comments]
    decisions: list
    figures: dict
    diff: dict
    measures_without_review: int


def cycle_view(cycle: EvaluationCycle, current_snapshot: dict | None = None) -> CycleView:
    """Reviews with assessments, comments, decisions, the level-3 figures and the diff since the last cycle."""
    reviews = list(Review.objects.filter(cycle=cycle).select_related("measure", "submitted_by").prefetch_related(
        Prefetch("assessments", queryset=GoalAssessment.objects.select_related("goal").order_by(
            "goal__position", "goal__pk"))).order_by("measure__title"))
    comments = defaultdict(list)
    for c in BoardComment.objects.filter(cycle=cycle).select_related("group", "author"):
        comments[c.measure_id].append(c)
    for review in reviews:
        review.board_comments = comments.get(review.measure_id, [])
    decisions = list(Decision.objects.filter(cycle=cycle).select_related("measure", "decided_by")
                     .order_by("measure__title"))
    if cycle.state == EvaluationCycle.State.CLOSED and cycle.snapshot_close:
        now = cycle.snapshot_close
    else:
        now = current_snapshot or snapshot(cycle.strategy)
    before_cycle = previous_cycle(cycle)
    before = (before_cycle.snapshot_close or before_cycle.snapshot_open) if before_cycle else cycle.snapshot_open
    monitored = Measure.objects.filter(strategy=cycle.strategy, monitoring_goals__isnull=False).values(
        "pk").distinct().count()
    from kompass.monitoring.diff_labels import label_diff

    diff = label_diff(snapshot_diff(before, now), cycle.strategy, before, now)
    return CycleView(cycle, reviews, dict(comments), decisions, now.get("figures", {}), diff,
                     max(0, monitored - len(reviews)))


def _snapshot_date(target: dict) -> str:
    """A snapshot's target date as entered; snapshots from before ADR 0081 hold no precision and keep the
    display rule of their time (1 January and 31 December as the year)."""
    if "precision" in target:
        return format_dated(target["date"], target["precision"])
    return formats.year_or_date(target["date"])


def snapshot_diff(before: dict, after: dict) -> dict:
    """Readable differences between two snapshots: goals added/removed/renamed, targets, methods, statuses."""
    def changed(a: dict, b: dict, what):
        rows = []
        for key in sorted(set(a) | set(b)):
            old, new = what(a.get(key)), what(b.get(key))
            if old != new:
                rows.append({"key": key, "old": old, "new": new})
        return rows

    goals = changed(before.get("goals", {}), after.get("goals", {}),
                    lambda g: f"{g['title']} ({g['level']})" if g else None)
    targets = changed(before.get("targets", {}), after.get("targets", {}),
                      lambda t: f"{formats.number(t['value'])} ({_snapshot_date(t)}, v{t['version']})"
                      if t else None)
    methods = changed(before.get("indicators", {}), after.get("indicators", {}),
                      lambda i: i["method"] if i else None)
    statuses = changed(before.get("indicators", {}), after.get("indicators", {}),
                       lambda i: i["status"] if i else None)
    measures = changed(before.get("measures", {}), after.get("measures", {}), lambda s: s)
    return {"goals": goals, "targets": targets, "methods": methods, "statuses": statuses, "measures": measures,
            "figures_before": before.get("figures", {}), "figures_after": after.get("figures", {}),
            "since": before.get("taken_at")}


# --------------------------------------------------------------------------------------------- edit pages

def districts(strategy, ids=None) -> list:
    from kompass.strategy.models import District

    qs = District.objects.filter(strategy=strategy)
    return list(qs.filter(pk__in=ids) if ids is not None else qs.only("id", "slug", "name", "name_en"))


def measure_indicators(measure, *, with_status: bool = False) -> list[Indicator]:
    """The indicators of a measure: for the upload help table, or with their stored status (decision form)."""
    qs = Indicator.objects.filter(measure=measure)
    if with_status:
        return list(qs.select_related("computed"))
    return list(qs.only("slug", "name", "name_en", "unit", "by_district"))


def measure_goals(measure) -> list[Goal]:
    return list(Goal.objects.filter(measure=measure))


def goal_of(measure, slug: str) -> Goal:
    goal = Goal.objects.filter(measure=measure, slug=slug).select_related("measure").first()
    if goal is None:
        raise Http404
    return goal


def indicator_for_edit(slug: str) -> Indicator:
    indicator = Indicator.objects.select_related("goal__measure__strategy", "measure").filter(slug=slug).first()
    if indicator is None:
        raise Http404
    return indicator


def indicator_slugs_like(prefix: str) -> set[str]:
    return set(Indicator.objects.filter(slug__startswith=prefix).values_list("slug", flat=True))


def commenting_groups(user) -> list:
    """Boards and panels `user` may comment for: all of them for the strategy office, else their own."""
    from kompass.accounts.models import UserGroup

    groups = UserGroup.objects.filter(kind__in=[UserGroup.Kind.BOARD, UserGroup.Kind.PANEL])
    if not user.has_perm("monitoring.manage_cycles"):
        groups = groups.filter(members=user)
    return list(groups)


# --------------------------------------------------------------------------------------------- uploads

def upload_report(user, job_id) -> dict | None:
    """The result of an upload job that `user` may see (None without a job id); Http404 for any other id."""
    if not job_id:
        return None
    from django.core.exceptions import ValidationError

    from kompass.jobs.models import Job

    try:
        job = Job.objects.filter(pk=job_id, kind="monitoring.upload").first()
    except (ValueError, ValidationError):
        job = None
    if job is None or not user.has_perm("jobs.view_job", job):
        raise Http404
    return job.result.get("report") or None


# --------------------------------------------------------------------------------------------- report

def report_measures(strategy, chunk: int = 200):
    """Measures with goals for the report, yielded in chunks (a fixed number of queries per chunk). Each indicator
    gets `series`: its city-wide values as (period, value, provisional) tuples."""
    ids = list(Measure.objects.filter(strategy=strategy, monitoring_goals__isnull=False).distinct()
               .order_by("title", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        measures = {m.pk: m for m in Measure.objects.filter(pk__in=part).select_related(
            "responsible_organisation", "monitoring_status").prefetch_related(
            Prefetch("monitoring_goals", queryset=Goal.objects.select_related("computed").prefetch_related(
                Prefetch("indicators", queryset=Indicator.objects.select_related("computed")
                         .prefetch_related("target_versions")))))}
        series = defaultdict(list)
        for ind_id, period, value, provisional in Measurement.objects.filter(
                indicator__measure_id__in=part, district__isnull=True).order_by("indicator_id", "period").values_list(
                "indicator_id", "period", "value", "is_provisional").iterator(chunk_size=20000):
            series[ind_id].append((period, value, provisional))
        for pk in part:
            measure = measures[pk]
            for goal in measure.monitoring_goals.all():
                for indicator in goal.indicators.all():
                    indicator.series = series.get(indicator.pk, [])
            yield measure


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()
