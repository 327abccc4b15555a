"""Public reads for open data, the CKAN API and the public REST lists. Each function costs a fixed number of SQL
queries regardless of the data's size; only public data is read (no personal data, no drafts)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import DateTimeField, F, Max, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from kompass.core.api_filters import last_audit
from kompass.core.text import text_search
from kompass.lifecycle.models import Candidate, LessonLearned, Phase, PhaseTransition
from kompass.lifecycle.selectors_public import phase_of_measures
from kompass.lottery.models import Panel
from kompass.measures.models import Measure
from kompass.monitoring.models import Decision as CycleDecision
from kompass.monitoring.models import (
    EvaluationCycle,
    Goal,
    Indicator,
    MeasureInput,
    Measurement,
    Review,
    TargetVersion,
)
from kompass.strategy.models import District

EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _since(qs: QuerySet, since: datetime.datetime | None) -> QuerySet:
    return qs.filter(modified__gt=since) if since else qs


def _listed(qs: QuerySet, since: datetime.datetime | None, order: tuple[str, ...], **lookups) -> QuerySet:
    """`qs` filtered by every lookup whose value is given (an empty filter parameter means "any"), changed after
    `since`, in `order`."""
    return _since(qs.filter(**{k: v for k, v in lookups.items() if v}), since).order_by(*order)


# --- measures and phases ------------------------------------------------------------------------------------

def phases(strategy) -> list[Phase]:
    return list(Phase.objects.filter(strategy=strategy).order_by("position", "pk"))


def measures_for_export(strategy, slugs: list[str] | None = None) -> list[Measure]:
    qs = (Measure.objects.filter(strategy=strategy).select_related("responsible_organisation")
          .prefetch_related("districts", "action_fields").defer("search_document").order_by("slug"))
    if slugs is not None:
        qs = qs.filter(slug__in=slugs)
    measures = list(qs)
    ph = phase_of_measures(strategy, [m.pk for m in measures])
    for m in measures:
        m.current_phase = ph.get(m.pk)
    return measures


def transitions(strategy, *, measure: str = "", since=None) -> QuerySet:
    qs = (PhaseTransition.objects.filter(measure__strategy=strategy)
          .select_related("measure", "from_phase", "to_phase").annotate(modified=F("occurred_at")))
    return _listed(qs, since, ("occurred_at", "pk"), measure__slug=measure)


# --- monitoring ---------------------------------------------------------------------------------------------

def indicators(strategy, *, measure="", action_field="", value="", status="", level="", since=None) -> QuerySet:
    qs = (Indicator.objects.filter(measure__strategy=strategy)
          .select_related("measure", "goal", "computed")
          .annotate(modified=Greatest(
              Coalesce(Max("measurements__entered_at"), Value(EPOCH)),
              Coalesce(Max("target_versions__created_at"), Value(EPOCH)),
              Coalesce(last_audit(Indicator), Value(EPOCH)),
              output_field=DateTimeField())))
    return _listed(qs, since, ("measure__slug", "goal__position", "position", "pk"), measure__slug=measure,
                   measure__action_fields__slug=action_field, measure__values__slug=value,
                   computed__status=status, goal__level=level).distinct()


def measurements(strategy, *, indicator="", measure="", district="", since=None) -> QuerySet:
    qs = (Measurement.objects.filter(indicator__measure__strategy=strategy)
          .select_related("indicator", "district").annotate(modified=F("entered_at")))
    return _listed(qs, since, ("indicator__slug", "period", "district__slug", "pk"), indicator__slug=indicator,
                   indicator__measure__slug=measure, district__slug=district)


def targets(strategy, *, indicator="", since=None) -> QuerySet:
    qs = (TargetVersion.objects.filter(indicator__measure__strategy=strategy)
          .select_related("indicator", "cycle").annotate(modified=F("created_at")))
    return _listed(qs, since, ("indicator__slug", "version"), indicator__slug=indicator)


def goals(strategy, *, measure="", level="", since=None) -> QuerySet:
    qs = (Goal.objects.filter(measure__strategy=strategy).select_related("measure", "computed")
          .annotate(modified=Coalesce(last_audit(Goal), F("measure__updated_at"))))
    return _listed(qs, since, ("measure__slug", "position", "pk"), measure__slug=measure, level=level)


def impact_chains(strategy, *, measure="", since=None) -> list[dict]:
    """One chain per measure that has goals: inputs, goals by level, indicator slugs (4 queries)."""
    goal_qs = list(goals(strategy, measure=measure).prefetch_related("indicators"))
    by_measure: dict[int, list] = defaultdict(list)
    for g in goal_qs:
        by_measure[g.measure_id].append(g)
    inputs: dict[int, list] = defaultdict(list)
    for i in MeasureInput.objects.filter(measure_id__in=list(by_measure)):
        inputs[i.measure_id].append(i)
    chains = []
    for gs in by_measure.values():
        modified = max(g.modified for g in gs)
        if since and modified <= since:
            continue
        chains.append({"measure": gs[0].measure, "inputs": inputs.get(gs[0].measure_id, []), "goals": gs,
                       "modified": modified})
    return sorted(chains, key=lambda c: c["measure"].slug)


def cycles(strategy, *, state="", since=None) -> QuerySet:
    qs = EvaluationCycle.objects.filter(strategy=strategy).annotate(
        modified=Greatest(F("opened_at"), Coalesce(F("closed_at"), F("opened_at")),
                          Coalesce(Max("reviews__submitted_at"), F("opened_at")),
                          Coalesce(Max("decisions__decided_at"), F("opened_at")), output_field=DateTimeField()))
    return _listed(qs, since, ("-opened_at", "-pk"), state=state)


def reviews(strategy, *, cycle="", measure="", since=None) -> QuerySet:
    qs = (Review.objects.filter(cycle__strategy=strategy).select_related("cycle", "measure")
          .prefetch_related("assessments__goal").annotate(modified=F("submitted_at")))
    return _listed(qs, since, ("cycle__slug", "measure__slug"), cycle__slug=cycle, measure__slug=measure)


def cycle_decisions(strategy, *, cycle="", measure="", kind="", since=None) -> QuerySet:
    qs = (CycleDecision.objects.filter(cycle__strategy=strategy).select_related("cycle", "measure")
          .annotate(modified=F("decided_at")))
    return _listed(qs, since, ("cycle__slug", "measure__slug"), cycle__slug=cycle, measure__slug=measure,
                   kind=kind)


# --- lifecycle: lessons and candidates ----------------------------------------------------------------------

def lessons(strategy, since=None) -> QuerySet:
    qs = (LessonLearned.objects.filter(measure__strategy=strategy).select_related("measure", "phase")
          .defer("search_text").annotate(modified=Coalesce(last_audit(LessonLearned), F("created_at"))))
    return _listed(qs, since, ("-created_at", "-pk"))


def candidates(strategy, since=None) -> QuerySet:
    qs = (Candidate.objects.filter(strategy=strategy).select_related("organisation", "measure")
          .annotate(modified=Coalesce(F("decided_at"), F("created_at"))))
    return _listed(qs, since, ("-created_at", "-pk"))


# --- lottery ------------------------------------------------------------------------------------------------

def published_panels(since=None) -> QuerySet:
    qs = Panel.objects.filter(stage=Panel.Stage.PUBLISHED).annotate(
        modified=Coalesce(F("published_at"), F("created_at")))
    return _listed(qs, since, ("-published_at", "-pk"))


def public_panels(since=None) -> QuerySet:
    from kompass.lottery.selectors import PUBLIC_STAGES

    qs = Panel.objects.filter(stage__in=PUBLIC_STAGES).annotate(
        modified=Greatest(F("created_at"), Coalesce(F("hash_published_at"), F("created_at")),
                          Coalesce(F("drawn_at"), F("created_at")), Coalesce(F("published_at"), F("created_at")),
                          output_field=DateTimeField()))
    return _listed(qs, since, ("-created_at", "-pk"))


# --- districts ----------------------------------------------------------------------------------------------

def districts(strategy, since=None) -> QuerySet:
    qs = District.objects.filter(strategy=strategy).annotate(modified=F("strategy__updated_at"))
    return _listed(qs, since, ("position", "name"))


def public_filter_measures(qs: QuerySet, *, q: str = "") -> QuerySet:
    return text_search(qs, q, ("title", "summary", "slug"))


# --- federation ---------------------------------------------------------------------------------------------

SIMILAR_CANDIDATES = 3000


def similar_measures(measure, limit: int = 5) -> list[tuple]:
    """Harvested measures of other cities most similar to `measure` (text and action fields), best first."""
    from kompass.algorithms.similarity import Doc, similar
    from kompass.opendata.models import HarvestedRecord

    records = list(HarvestedRecord.objects.filter(kind="measure", state="active").select_related("source")
                   .only("id", "title", "summary", "tags", "url", "publisher", "licence_title", "licence_url",
                         "source__name", "source__url")[:SIMILAR_CANDIDATES])
    if not records:
        return []
    fields = tuple(a.name for a in measure.action_fields.all())
    query = Doc("q", " ".join([measure.title, measure.summary, measure.description[:2000]]), fields)
    docs = [Doc(str(r.pk), f"{r.title} {r.summary}", tuple(r.tags or ())) for r in records]
    by_pk = {str(r.pk): r for r in records}
    return [(by_pk[key], score) for key, score in similar(query, docs, limit=limit)]


def replications_of(measure) -> list:
    from kompass.opendata.models import Replication

    return list(Replication.objects.filter(measure=measure).select_related("record", "record__source"))


def harvested_lessons(q: str = "", source: str = ""):
    from kompass.opendata.models import HarvestedRecord

    qs = HarvestedRecord.objects.filter(kind="lesson", state="active").select_related("source")
    qs = text_search(qs, q, ("title", "summary", "body"))
    if source:
        qs = qs.filter(source_id=source) if source.isdigit() else qs.none()
    return qs.order_by("-changed_at", "pk")


def followed_sources():
    from kompass.opendata.models import Source

    return list(Source.objects.filter(is_active=True).order_by("name"))
