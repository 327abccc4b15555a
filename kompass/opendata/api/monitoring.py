"""Public lists of the monitoring data: indicators (with status, method and components), measurements, target
versions, goals, impact chains, evaluation cycles, reviews and cycle decisions."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_noop
from ninja import Field, Router, Schema

from kompass.algorithms.progress import METHODS, Status
from kompass.opendata import selectors
from kompass.opendata.api.common import ListParams, choice, public_list, since
from kompass.strategy.selectors import current_strategy

router = Router()
LEVELS = {"output", "outcome", "impact"}


class IndicatorStatusOut(Schema):
    status: str = Field(..., examples=["on_track"])
    method: str = Field(..., examples=["open_sdg"])
    label: str = ""
    score: float | None = None
    reason: str = ""
    trend: int = Field(0, description=gettext_noop("+1 improving, -1 worsening, 0 flat or unknown"))
    components: dict[str, Any] = Field(..., description=gettext_noop("The method's inputs and intermediate values"))


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



class IndicatorFilters(ListParams):
    measure: str = Field("", description=gettext_noop("Measure slug"), max_length=120)
    action_field: str = Field("",
                              description=gettext_noop("Action field slug of the indicator's measure"), max_length=80)
    value: str = Field("",
                       description=gettext_noop("Value (Leitgedanke) slug of the indicator's measure"), max_length=80)
    status: str = Field("", description=gettext_noop("Computed status, e.g. on_track"), max_length=30)
    level: str = Field("", description=gettext_noop("output, outcome or impact"), max_length=10)
    method: str = Field("", description=gettext_noop("Progress method, e.g. open_sdg"), max_length=20)


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


def _indicator_rows(f: IndicatorFilters):
    status = choice("status", f.status, {s.value for s in Status})
    level = choice("level", f.level, LEVELS)
    method = choice("method", f.method, set(METHODS))
    qs = selectors.indicators(current_strategy(), measure=f.measure, action_field=f.action_field, value=f.value,
                              status=status, level=level, since=since(f))
    return qs.filter(method=method) if method else qs


public_list(router, "monitoring/indicators", module=__name__, name="list_indicators", item=IndicatorItem,
            page_name="IndicatorPage", filters=IndicatorFilters, summary=gettext_noop("Indicators with their status"),
            text=gettext_noop("Every indicator with its computed status, method and components, filterable by measure, "
                              "action field, value, status, level and method."),
            example="monitoring/indicators?status=on_track&level=outcome&limit=20",
            rows=_indicator_rows, serialize=_indicator)


class MeasurementItem(Schema):
    indicator: str
    period: datetime.date = Field(..., description="The first day of the period")
    period_precision: str = Field("day", description="year, quarter, month or day: how the period was entered")
    value: float
    district: str | None = None
    provisional: bool
    source_note: str = ""
    modified: datetime.datetime



class MeasurementFilters(ListParams):
    indicator: str = Field("", description=gettext_noop("Indicator slug"), max_length=120)
    measure: str = Field("", description=gettext_noop("Measure slug"), max_length=120)
    district: str = Field("", description=gettext_noop("District slug (only district breakdowns)"), max_length=80)


public_list(router, "monitoring/measurements", module=__name__, name="list_measurements", item=MeasurementItem,
            page_name="MeasurementPage", filters=MeasurementFilters, summary=gettext_noop("Measurements"),
            text=gettext_noop("Measured values of all indicators, city-wide and by district."),
            example="monitoring/measurements?indicator=bsp-sensoren-installiert",
            rows=lambda f: selectors.measurements(current_strategy(), indicator=f.indicator, measure=f.measure,
                                                  district=f.district, since=since(f)),
            serialize=lambda m: {
                "indicator": m.indicator.slug, "period": m.period, "period_precision": m.period_precision,
                "value": m.value,
                "district": m.district.slug if m.district_id else None, "provisional": m.is_provisional,
                "source_note": m.source_note, "modified": m.modified})


class TargetItem(Schema):
    indicator: str
    version: int
    value: float
    target_date: datetime.date
    reason: str = ""
    cycle: str | None = Field(None, description=gettext_noop("The evaluation cycle whose decision set this version"))
    modified: datetime.datetime



class TargetFilters(ListParams):
    indicator: str = Field("", description=gettext_noop("Indicator slug"), max_length=120)


public_list(router, "monitoring/targets", module=__name__, name="list_targets", item=TargetItem,
            page_name="TargetPage", filters=TargetFilters, summary=gettext_noop("Targets and their versions"),
            text=gettext_noop("Every version of every indicator's target (versions are never overwritten)."),
            example="monitoring/targets?indicator=bsp-gebaeude-erfasst",
            rows=lambda f: selectors.targets(current_strategy(), indicator=f.indicator, since=since(f)),
            serialize=lambda t: {
                "indicator": t.indicator.slug, "version": t.version, "value": t.value,
                "target_date": t.target_date, "reason": t.reason, "cycle": t.cycle.slug if t.cycle else None,
                "modified": t.modified})


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



class GoalFilters(ListParams):
    measure: str = Field("", description=gettext_noop("Measure slug"), max_length=120)
    level: str = Field("", description=gettext_noop("output, outcome or impact"), max_length=10)


def _goal(g) -> dict:
    st = _related_status(g)
    return {"slug": g.slug, "measure": g.measure.slug, "level": g.level, "title": g.title, "title_en": g.title_en,
            "assumption": g.assumption, "assumption_en": g.assumption_en, "status": st.status if st else None,
            "modified": g.modified}


public_list(router, "monitoring/goals", module=__name__, name="list_goals", item=GoalItem, page_name="GoalPage",
            filters=GoalFilters, summary=gettext_noop("Goals of the impact chains"),
            text=gettext_noop("Goals on the output/outcome/impact ladder with their assumptions and status."),
            example="monitoring/goals?level=impact",
            rows=lambda f: selectors.goals(current_strategy(), measure=f.measure,
                                           level=choice("level", f.level, LEVELS), since=since(f)),
            serialize=_goal)


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



class ChainFilters(ListParams):
    measure: str = Field("", description=gettext_noop("Measure slug"), max_length=120)


public_list(router, "monitoring/impact-chains", module=__name__, name="list_chains", item=ChainItem,
            page_name="ChainPage", filters=ChainFilters, summary=gettext_noop("Impact chains"),
            text=gettext_noop("Each measure's impact chain: inputs, goals by level and their indicators."),
            example="monitoring/impact-chains?measure=bodenfeuchte-sensoren-strassenbaeume",
            rows=lambda f: selectors.impact_chains(current_strategy(), measure=f.measure, since=since(f)),
            serialize=lambda c: {
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



class CycleFilters(ListParams):
    state: str = Field("", description=gettext_noop("open or closed"), max_length=10)


public_list(router, "monitoring/cycles", module=__name__, name="list_cycles", item=CycleItem,
            page_name="CyclePage", filters=CycleFilters, summary=gettext_noop("Evaluation cycles"),
            text=gettext_noop("Evaluation cycles, newest first."), example="monitoring/cycles?state=closed",
            rows=lambda f: selectors.cycles(current_strategy(), state=choice("state", f.state, {"open", "closed"}),
                                            since=since(f)),
            serialize=lambda c: {
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



class CycleMeasureFilters(ListParams):
    cycle: str = Field("", description=gettext_noop("Evaluation cycle slug"), max_length=80)
    measure: str = Field("", description=gettext_noop("Measure slug"), max_length=120)


public_list(router, "monitoring/reviews", module=__name__, name="list_reviews", item=ReviewItem,
            page_name="ReviewPage", filters=CycleMeasureFilters, summary=gettext_noop("Reviews of the measure teams"),
            text=gettext_noop("What each measure team learned in a cycle, with its goal assessments."),
            example="monitoring/reviews?cycle=zyklus-2024",
            rows=lambda f: selectors.reviews(current_strategy(), cycle=f.cycle, measure=f.measure, since=since(f)),
            serialize=lambda r: {
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



class DecisionFilters(CycleMeasureFilters):
    kind: str = Field("", description=gettext_noop("continue, adjust_goals, adjust_evaluation, scale or stop"),
                      max_length=20)


DECISION_KINDS = {"continue", "adjust_goals", "adjust_evaluation", "scale", "stop"}

public_list(router, "monitoring/decisions", module=__name__, name="list_decisions", item=DecisionItem,
            page_name="DecisionPage", filters=DecisionFilters, summary=gettext_noop("Decisions of evaluation cycles"),
            text=gettext_noop("The boards' decisions per measure and cycle."),
            example="monitoring/decisions?kind=scale",
            rows=lambda f: selectors.cycle_decisions(current_strategy(), cycle=f.cycle, measure=f.measure,
                                                     kind=choice("kind", f.kind, DECISION_KINDS), since=since(f)),
            serialize=lambda d: {"cycle": d.cycle.slug, "measure": d.measure.slug, "kind": d.kind,
                                 "reason": d.reason, "modified": d.modified})
