"""Public lists of the monitoring data: indicators (with status, method and components), measurements, target
versions, goals, impact chains, evaluation cycles, reviews and cycle decisions."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Query, Router, Schema

from kompass.algorithms.progress import METHODS, Status
from kompass.opendata import selectors
from kompass.opendata.api.common import ListParams, choice, describe, page, responses, since
from kompass.strategy.selectors import current_strategy

router = Router()
LEVELS = {"output", "outcome", "impact"}


class IndicatorStatusOut(Schema):
    status: str = Field(..., examples=["on_track"])
    method: str = Field(..., examples=["open_sdg"])
    label: str = ""
    score: float | None = None
    reason: str = ""
    trend: int = Field(0, description="+1 improving, -1 worsening, 0 flat or unknown")
    components: dict[str, Any] = Field(..., description="The method's inputs and intermediate values")


class IndicatorItem(Schema):
    slug: str = Field(..., examples=["bsp-sensoren-installiert"])
    name: str
    name_en: str = ""
    measure: str
    goal: str
    level: str = Field(..., examples=["output"])
    unit: str
    direction: int
    method: str
    baseline_value: float
    baseline_date: datetime.date
    natural_limit: float | None = None
    cadence: str
    data_source: str = ""
    latest_value: float | None = None
    latest_period: datetime.date | None = None
    status: IndicatorStatusOut | None = None
    modified: datetime.datetime


class IndicatorPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[IndicatorItem]


class IndicatorFilters(ListParams):
    measure: str = Field("", description="Measure slug", max_length=120)
    action_field: str = Field("", description="Action field slug of the indicator's measure", max_length=80)
    value: str = Field("", description="Value (Leitgedanke) slug of the indicator's measure", max_length=80)
    status: str = Field("", description="Computed status, e.g. on_track", max_length=30)
    level: str = Field("", description="output, outcome or impact", max_length=10)
    method: str = Field("", description="Progress method, e.g. open_sdg", max_length=20)


def _status(st) -> dict | None:
    if st is None:
        return None
    return {"status": st.status, "method": st.method, "label": st.label, "score": st.score, "reason": st.reason,
            "trend": st.trend, "components": st.components}


def _indicator(i) -> dict:
    st = _related_status(i)
    return {"slug": i.slug, "name": i.name, "name_en": i.name_en, "measure": i.measure.slug, "goal": i.goal.slug,
            "level": i.goal.level, "unit": i.unit, "direction": i.direction, "method": i.method,
            "baseline_value": i.baseline_value, "baseline_date": i.baseline_date, "natural_limit": i.natural_limit,
            "cadence": i.cadence, "data_source": i.data_source,
            "latest_value": st.latest_value if st else None, "latest_period": st.latest_period if st else None,
            "status": _status(st), "modified": i.modified}


def _related_status(obj):
    """The computed status row, None when it was not computed yet (a missing reverse one-to-one)."""
    return getattr(obj, "computed", None)


@router.get("monitoring/indicators", response=responses(IndicatorPage), summary="Indicators with their status",
            description=describe("Every indicator with its computed status, method and components, filterable by "
                                 "measure, action field, value, status, level and method.",
                                 "monitoring/indicators?status=on_track&level=outcome&limit=20"))
def list_indicators(request, filters: Query[IndicatorFilters]):
    status = choice("status", filters.status, {s.value for s in Status})
    level = choice("level", filters.level, LEVELS)
    method = choice("method", filters.method, set(METHODS))
    qs = selectors.indicators(current_strategy(), measure=filters.measure, action_field=filters.action_field,
                              value=filters.value, status=status, level=level, since=since(filters))
    if method:
        qs = qs.filter(method=method)
    return 200, page(qs, filters, _indicator)


class MeasurementItem(Schema):
    indicator: str
    period: datetime.date
    value: float
    district: str | None = None
    provisional: bool
    source_note: str = ""
    modified: datetime.datetime


class MeasurementPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeasurementItem]


class MeasurementFilters(ListParams):
    indicator: str = Field("", description="Indicator slug", max_length=120)
    measure: str = Field("", description="Measure slug", max_length=120)
    district: str = Field("", description="District slug (only district breakdowns)", max_length=80)


@router.get("monitoring/measurements", response=responses(MeasurementPage), summary="Measurements",
            description=describe("Measured values of all indicators, city-wide and by district.",
                                 "monitoring/measurements?indicator=bsp-sensoren-installiert"))
def list_measurements(request, filters: Query[MeasurementFilters]):
    qs = selectors.measurements(current_strategy(), indicator=filters.indicator, measure=filters.measure,
                                district=filters.district, since=since(filters))
    return 200, page(qs, filters, lambda m: {
        "indicator": m.indicator.slug, "period": m.period, "value": m.value,
        "district": m.district.slug if m.district_id else None, "provisional": m.is_provisional,
        "source_note": m.source_note, "modified": m.modified})


class TargetItem(Schema):
    indicator: str
    version: int
    value: float
    target_date: datetime.date
    reason: str = ""
    cycle: str | None = Field(None, description="The evaluation cycle whose decision set this version")
    modified: datetime.datetime


class TargetPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[TargetItem]


class TargetFilters(ListParams):
    indicator: str = Field("", description="Indicator slug", max_length=120)


@router.get("monitoring/targets", response=responses(TargetPage), summary="Targets and their versions",
            description=describe("Every version of every indicator's target (versions are never overwritten).",
                                 "monitoring/targets?indicator=bsp-gebaeude-erfasst"))
def list_targets(request, filters: Query[TargetFilters]):
    qs = selectors.targets(current_strategy(), indicator=filters.indicator, since=since(filters))
    return 200, page(qs, filters, lambda t: {
        "indicator": t.indicator.slug, "version": t.version, "value": t.value, "target_date": t.target_date,
        "reason": t.reason, "cycle": t.cycle.slug if t.cycle else None, "modified": t.modified})


class GoalItem(Schema):
    slug: str
    measure: str
    level: str
    title: str
    title_en: str = ""
    assumption: str = ""
    assumption_en: str = ""
    status: str | None = None
    modified: datetime.datetime


class GoalPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[GoalItem]


class GoalFilters(ListParams):
    measure: str = Field("", description="Measure slug", max_length=120)
    level: str = Field("", description="output, outcome or impact", max_length=10)


def _goal(g) -> dict:
    st = _related_status(g)
    return {"slug": g.slug, "measure": g.measure.slug, "level": g.level, "title": g.title, "title_en": g.title_en,
            "assumption": g.assumption, "assumption_en": g.assumption_en, "status": st.status if st else None,
            "modified": g.modified}


@router.get("monitoring/goals", response=responses(GoalPage), summary="Goals of the impact chains",
            description=describe("Goals on the output/outcome/impact ladder with their assumptions and status.",
                                 "monitoring/goals?level=impact"))
def list_goals(request, filters: Query[GoalFilters]):
    level = choice("level", filters.level, LEVELS)
    qs = selectors.goals(current_strategy(), measure=filters.measure, level=level, since=since(filters))
    return 200, page(qs, filters, _goal)


class ChainGoal(Schema):
    slug: str
    level: str
    title: str
    assumption: str = ""
    indicators: list[str]


class ChainItem(Schema):
    measure: str
    inputs: list[str]
    goals: list[ChainGoal]
    modified: datetime.datetime


class ChainPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ChainItem]


class ChainFilters(ListParams):
    measure: str = Field("", description="Measure slug", max_length=120)


@router.get("monitoring/impact-chains", response=responses(ChainPage), summary="Impact chains",
            description=describe("Each measure's impact chain: inputs, goals by level and their indicators.",
                                 "monitoring/impact-chains?measure=bodenfeuchte-sensoren-strassenbaeume"))
def list_chains(request, filters: Query[ChainFilters]):
    chains = selectors.impact_chains(current_strategy(), measure=filters.measure, since=since(filters))
    return 200, page(chains, filters, lambda c: {
        "measure": c["measure"].slug, "inputs": [i.text for i in c["inputs"]], "modified": c["modified"],
        "goals": [{"slug": g.slug, "level": g.level, "title": g.title, "assumption": g.assumption,
                   "indicators": [i.slug for i in g.indicators.all()]} for g in c["goals"]]})


class CycleItem(Schema):
    slug: str
    name: str
    name_en: str = ""
    deadline: datetime.date
    state: str = Field(..., examples=["closed"])
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None = None
    modified: datetime.datetime


class CyclePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CycleItem]


class CycleFilters(ListParams):
    state: str = Field("", description="open or closed", max_length=10)


@router.get("monitoring/cycles", response=responses(CyclePage), summary="Evaluation cycles",
            description=describe("Evaluation cycles, newest first.", "monitoring/cycles?state=closed"))
def list_cycles(request, filters: Query[CycleFilters]):
    state = choice("state", filters.state, {"open", "closed"})
    qs = selectors.cycles(current_strategy(), state=state, since=since(filters))
    return 200, page(qs, filters, lambda c: {
        "slug": c.slug, "name": c.name, "name_en": c.name_en, "deadline": c.deadline, "state": c.state,
        "opened_at": c.opened_at, "closed_at": c.closed_at, "modified": c.modified})


class AssessmentOut(Schema):
    goal: str
    rating: str
    text: str = ""
    assumption_holds: bool


class ReviewItem(Schema):
    cycle: str
    measure: str
    learned: str
    proposed_changes: str = ""
    assessments: list[AssessmentOut]
    modified: datetime.datetime


class ReviewPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReviewItem]


class CycleMeasureFilters(ListParams):
    cycle: str = Field("", description="Evaluation cycle slug", max_length=80)
    measure: str = Field("", description="Measure slug", max_length=120)


@router.get("monitoring/reviews", response=responses(ReviewPage), summary="Reviews of the measure teams",
            description=describe("What each measure team learned in a cycle, with its goal assessments.",
                                 "monitoring/reviews?cycle=zyklus-2024"))
def list_reviews(request, filters: Query[CycleMeasureFilters]):
    qs = selectors.reviews(current_strategy(), cycle=filters.cycle, measure=filters.measure, since=since(filters))
    return 200, page(qs, filters, lambda r: {
        "cycle": r.cycle.slug, "measure": r.measure.slug, "learned": r.learned,
        "proposed_changes": r.proposed_changes, "modified": r.modified,
        "assessments": [{"goal": a.goal.slug, "rating": a.rating, "text": a.text,
                         "assumption_holds": a.assumption_holds} for a in r.assessments.all()]})


class DecisionItem(Schema):
    cycle: str
    measure: str
    kind: str = Field(..., examples=["adjust_goals"])
    reason: str
    modified: datetime.datetime


class DecisionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DecisionItem]


class DecisionFilters(CycleMeasureFilters):
    kind: str = Field("", description="continue, adjust_goals, adjust_evaluation, scale or stop", max_length=20)


@router.get("monitoring/decisions", response=responses(DecisionPage), summary="Decisions of evaluation cycles",
            description=describe("The boards' decisions per measure and cycle.", "monitoring/decisions?kind=scale"))
def list_decisions(request, filters: Query[DecisionFilters]):
    kind = choice("kind", filters.kind, {"continue", "adjust_goals", "adjust_evaluation", "scale", "stop"})
    qs = selectors.cycle_decisions(current_strategy(), cycle=filters.cycle, measure=filters.measure, kind=kind,
                                   since=since(filters))
    return 200, page(qs, filters, lambda d: {"cycle": d.cycle.slug, "measure": d.measure.slug, "kind": d.kind,
                                             "reason": d.reason, "modified": d.modified})
