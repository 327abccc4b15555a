"""Stored statuses: `refresh_statuses` recomputes indicator statuses with `kompass.algorithms.progress` and
rewrites the denormalised tables (indicator, goal, measure, action field, value, strategy) in bulk.

It is called by every service that can change a status, inside that service's transaction; it checks no
permission of its own (the calling service did) and records no audit event (the change it follows did)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction

from kompass.algorithms.progress import Status, compute_status, measure_summary, roll_up, trend
from kompass.measures.models import Measure, MeasureValue
from kompass.monitoring.models import (
    LEVEL_ORDER,
    AggregateStatus,
    Goal,
    GoalStatus,
    Indicator,
    IndicatorStatus,
    MeasureInput,
    Measurement,
    MeasureStatus,
    TargetVersion,
)
from kompass.monitoring.services._common import BATCH, IN_CHUNK, chunks
from kompass.monitoring.values import year_fraction

LEVELS = [level.value for level in LEVEL_ORDER]


def compute_indicator(ind: dict, points: list[tuple[float, float]], target: tuple[float, datetime.date] | None):
    """Run the progress algorithm for one indicator (dict of Indicator fields); returns the status row data."""
    try:
        result = compute_status(
            points, method=ind["method"], direction=ind["direction"],
            baseline=(ind["baseline_value"], year_fraction(ind["baseline_date"])),
            target=(target[0], year_fraction(target[1])) if target else None,
            natural_limit=ind["natural_limit"])
        data = result.to_dict()
    except ValueError as exc:  # malformed input (e.g. binary values other than 0/1): shown, never a 500
        data = {"method": ind["method"], "status": Status.NOT_COMPUTABLE.value, "score": None,
                "label": "not_computable", "reason": str(exc), "components": {}}
    return data


def _scoped(qs, field: str, ids: list[int] | None):
    """Filter `qs` to `ids` when they fit into one IN clause (else the caller filters in Python)."""
    if ids is not None and len(ids) <= IN_CHUNK:
        return qs.filter(**{f"{field}__in": ids})
    return qs


@transaction.atomic
def refresh_statuses(*, strategy, indicator_ids: list[int] | None = None, progress=None) -> dict:
    """Recompute and store the statuses of the given indicators (all of the strategy if None), then the goals
    and measures they belong to and every aggregate of the strategy. Bulk reads and writes only."""
    fields = ["id", "goal_id", "measure_id", "method", "direction", "baseline_value", "baseline_date",
              "natural_limit"]
    wanted = set(indicator_ids) if indicator_ids is not None else None
    inds_qs = _scoped(Indicator.objects.filter(measure__strategy=strategy), "pk", indicator_ids)
    inds = {row["id"]: row for row in inds_qs.values(*fields) if wanted is None or row["id"] in wanted}
    targets: dict[int, tuple[float, datetime.date]] = {}
    t_qs = _scoped(TargetVersion.objects.filter(indicator__measure__strategy=strategy), "indicator_id",
                   indicator_ids)
    for ind_id, value, day in t_qs.order_by("indicator_id", "version").values_list("indicator_id", "value",
                                                                                     "target_date"):
        targets[ind_id] = (value, day)  # the last version wins
    series: dict[int, list[tuple[float, float]]] = defaultdict(list)
    latest: dict[int, datetime.date] = {}
    m_qs = Measurement.objects.filter(district__isnull=True)
    if indicator_ids is not None and len(indicator_ids) <= IN_CHUNK:
        m_qs = m_qs.filter(indicator_id__in=indicator_ids)
    else:
        m_qs = m_qs.filter(indicator__measure__strategy=strategy)
    for ind_id, day, value in m_qs.order_by("indicator_id", "period").values_list(
            "indicator_id", "period", "value").iterator(chunk_size=20000):
        if ind_id in inds:
            series[ind_id].append((year_fraction(day), value))
            latest[ind_id] = day
    rows = []
    total = len(inds)
    for done, (ind_id, ind) in enumerate(inds.items(), start=1):
        points = series.get(ind_id, [])
        data = compute_indicator(ind, points, targets.get(ind_id))
        rows.append(IndicatorStatus(
            indicator_id=ind_id, status=data["status"], score=data["score"], method=data["method"],
            label=data["label"] or "", reason=data["reason"] or "", components=data["components"],
            latest_value=points[-1][1] if points else None, latest_period=latest.get(ind_id),
            n_points=len(points), trend=trend(points, ind["direction"])))
        if progress and done % 1000 == 0:
            progress(done, total)
    for chunk in chunks(list(inds), IN_CHUNK):
        IndicatorStatus.objects.filter(indicator_id__in=chunk).delete()
    IndicatorStatus.objects.bulk_create(rows, batch_size=BATCH)
    measure_ids = {ind["measure_id"] for ind in inds.values()}
    _refresh_goals_and_measures(strategy, measure_ids if indicator_ids is not None else None)
    _refresh_aggregates(strategy)
    return {"indicators": len(rows), "measures": len(measure_ids)}


class _Stub:
    """Adapter so that stored statuses can be fed to `roll_up`."""

    __slots__ = ("status", "score")

    def __init__(self, status: str, score: float | None):
        self.status = Status(status)
        self.score = score


def _refresh_goals_and_measures(strategy, measure_ids: set[int] | None) -> None:
    ids = sorted(measure_ids) if measure_ids is not None else None
    goals_qs = _scoped(Goal.objects.filter(measure__strategy=strategy), "measure_id", ids)
    st_qs = _scoped(IndicatorStatus.objects.filter(indicator__measure__strategy=strategy),
                    "indicator__measure_id", ids)
    inputs_qs = _scoped(MeasureInput.objects.filter(measure__strategy=strategy), "measure_id", ids)
    by_goal: dict[int, list] = defaultdict(list)
    trend_by_measure: dict[int, list[int]] = defaultdict(list)
    for goal_id, measure_id, status, score, ind_trend in st_qs.values_list(
            "indicator__goal_id", "indicator__measure_id", "status", "score", "trend"):
        by_goal[goal_id].append(_Stub(status, score))
        trend_by_measure[measure_id].append(ind_trend)
    with_inputs = set(inputs_qs.values_list("measure_id", flat=True).distinct())
    goal_rows, goals_by_measure = [], defaultdict(list)
    for goal in goals_qs.values("id", "measure_id", "level", "assumption"):
        if measure_ids is not None and goal["measure_id"] not in measure_ids:
            continue
        children = by_goal.get(goal["id"], [])
        result = roll_up(children) if children else None
        status = result.status.value if result else Status.NOT_COMPUTABLE.value
        score = result.score if result else None
        goal_rows.append(GoalStatus(goal_id=goal["id"], status=status, score=score,
                                    rollup=result.to_dict() if result else {"n_children": 0}))
        goals_by_measure[goal["measure_id"]].append(
            (goal["level"], bool(goal["assumption"].strip()), _Stub(status, score), len(children)))
    target_ids = ids if ids is not None else list(
        Measure.objects.filter(strategy=strategy).values_list("pk", flat=True))
    measure_rows = []
    for measure_id in target_ids:
        entries = goals_by_measure.get(measure_id, [])
        if not entries:
            continue
        summary = measure_summary(entries, LEVELS, trend_by_measure.get(measure_id, []),
                                  has_inputs=measure_id in with_inputs)
        result = summary.result
        measure_rows.append(MeasureStatus(
            measure_id=measure_id, status=result.status.value, score=result.score,
            output_status=summary.level_status["output"], outcome_status=summary.level_status["outcome"],
            impact_status=summary.level_status["impact"], n_indicators=summary.n_indicators,
            trend=summary.trend, chain_complete=summary.chain_complete, rollup=result.to_dict()))
    for chunk in chunks([g.goal_id for g in goal_rows], IN_CHUNK):
        GoalStatus.objects.filter(goal_id__in=chunk).delete()
    GoalStatus.objects.bulk_create(goal_rows, batch_size=BATCH)
    for chunk in chunks(target_ids, IN_CHUNK):
        MeasureStatus.objects.filter(measure_id__in=chunk).delete()
    MeasureStatus.objects.bulk_create(measure_rows, batch_size=BATCH)


def _refresh_aggregates(strategy) -> None:
    """Action field and value roll-ups (weights: alignment strength; action fields weigh 1) and the strategy."""
    statuses = {m: _Stub(s, sc) for m, s, sc in MeasureStatus.objects.filter(
        measure__strategy=strategy).values_list("measure_id", "status", "score")}
    rows = []
    through = Measure.action_fields.through
    by_field: dict[int, list] = defaultdict(list)
    for measure_id, field_id in through.objects.filter(measure__strategy=strategy).values_list(
            "measure_id", "actionfield_id"):
        if measure_id in statuses:
            by_field[field_id].append(statuses[measure_id])
    for af in strategy.action_fields.all():
        children = by_field.get(af.pk, [])
        if children:
            r = roll_up(children)
            rows.append(AggregateStatus(strategy=strategy, kind="action_field", key=af.slug, name=af.name,
                                        name_en=af.name_en, status=r.status.value, score=r.score,
                                        rollup=r.to_dict()))
    by_value: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    for measure_id, value_id, strength in MeasureValue.objects.filter(measure__strategy=strategy).values_list(
            "measure_id", "value_id", "strength"):
        if measure_id in statuses:
            by_value[value_id][0].append(statuses[measure_id])
            by_value[value_id][1].append(strength)
    for value in strategy.values.all():
        children, weights = by_value.get(value.pk, ([], []))
        if children:
            r = roll_up(children, weights)
            rows.append(AggregateStatus(strategy=strategy, kind="value", key=value.slug, name=value.name,
                                        name_en=value.name_en, status=r.status.value, score=r.score,
                                        rollup=r.to_dict()))
    if statuses:
        r = roll_up(list(statuses.values()))
        rows.append(AggregateStatus(strategy=strategy, kind="strategy", key=strategy.slug, name=strategy.name,
                                    name_en=getattr(strategy, "name_en", ""), status=r.status.value,
                                    score=r.score, rollup=r.to_dict()))
    AggregateStatus.objects.filter(strategy=strategy).delete()
    AggregateStatus.objects.bulk_create(rows)
