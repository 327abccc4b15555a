"""API of the implementation process: read endpoints are public; writes need a token (or session + CSRF)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema

from kompass.accounts.api_auth import WRITE_AUTH
from kompass.core.api_filters import ModifiedSince, last_audit, modified_after
from kompass.core.api_schemas import ErrorResponse, Ref
from kompass.core.hardening import MAX_OFFSET
from kompass.lifecycle import selectors, services
from kompass.lifecycle.models import Candidate, LessonLearned, Phase
from kompass.measures.selectors import measure_detail
from kompass.strategy.selectors import current_strategy

router = Router()


class PhaseOut(Schema):
    slug: str
    name: str
    name_en: str = ""
    description: str = ""
    description_en: str = ""
    position: int
    exit_criteria: list[str]
    skippable: bool


class TransitionOut(Schema):
    from_phase: str | None = None
    to_phase: str | None = None
    kind: str
    reason: str = ""
    occurred_at: datetime.datetime
    criteria: list[dict] = []


class MeasurePhaseOut(Schema):
    measure: str
    phase: str | None = None
    completed: bool
    transitions: list[TransitionOut]


class TransitionIn(Schema):
    to_phase: str = Field(..., description=gettext_noop("Phase slug, or 'complete' to complete the last phase"))
    reason: str = ""
    override: bool = False
    confirmed: list[str] = Field([],
                                 description=gettext_noop("Names of criteria Kompass cannot check that the team "
                                                          "confirms"))


class ScoreOut(Schema):
    criterion: Ref
    mean: float | None = None
    assessments: int


class CandidateOut(Schema):
    slug: str
    title: str
    description: str
    source: str
    source_url: str = ""
    status: str
    reviewer_group: str = ""
    created_at: datetime.datetime
    decision_reason: str = ""
    decided_at: datetime.datetime | None = None
    measure: str | None = None


class CandidateDetailOut(CandidateOut):
    scores: list[ScoreOut]
    overall: float | None = None


class CandidatePage(Schema):
    count: int
    items: list[CandidateOut]


class CandidateFilters(ModifiedSince):
    status: str = Field("", description=gettext_noop("submitted, in_review, admitted, rejected or deferred"))
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class LessonOut(Schema):
    measure: str
    phase: str | None = None
    title: str
    what_worked: str
    what_did_not: str
    recommendation: str
    tags: list[str]
    created_at: datetime.datetime


class LessonIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    what_worked: str = Field(..., min_length=1)
    what_did_not: str = Field(..., min_length=1)
    recommendation: str = Field(..., min_length=1)
    tags: str = ""


class LessonPage(Schema):
    count: int
    items: list[LessonOut]


class LessonFilters(ModifiedSince):
    q: str = ""
    tag: str = ""
    phase: str = ""
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class DecisionFilters(ModifiedSince):
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PhaseFilters(ModifiedSince):
    limit: int = Field(100, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class MilestoneIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: datetime.date


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: datetime.date
    done_on: datetime.date | None = None
    overdue: bool


# A candidate's last change, as the open-data lists count it: its decision, else its submission.
_CANDIDATE_MODIFIED = Coalesce(F("decided_at"), F("created_at"))


def _err(param: str, msg: str, loc: str = "body") -> dict:
    return {"detail": [{"param": param, "loc": [loc, param] if param else [loc], "msg": msg}]}


def _measure_or_404(slug):
    try:
        return measure_detail(current_strategy(), slug)
    except Http404:
        return None


def _candidate(c: Candidate) -> dict:
    return {"slug": c.slug, "title": c.title, "description": c.description, "source": c.source,
            "source_url": c.source_link, "status": c.status, "reviewer_group": c.reviewer_group,
            "created_at": c.created_at, "decision_reason": c.decision_reason, "decided_at": c.decided_at,
            "measure": c.measure.slug if c.measure else None}


def _transition(t) -> dict:
    return {"from_phase": t.from_phase.slug if t.from_phase else None,
            "to_phase": t.to_phase.slug if t.to_phase else None, "kind": t.kind, "reason": t.reason,
            "occurred_at": t.occurred_at, "criteria": t.criteria}


@router.get("phases", response={200: list[PhaseOut], 400: ErrorResponse},
            summary=gettext_noop("The phases of the implementation process"))
def list_phases(request, filters: Query[PhaseFilters]):
    qs = modified_after(Phase.objects.filter(strategy=current_strategy()).order_by("position", "pk"), filters,
                        Coalesce(F("modified_at"), last_audit(Phase), F("strategy__updated_at")))
    return 200, [{"slug": p.slug, "name": p.name, "name_en": p.name_en, "description": p.description,
             "description_en": p.description_en, "position": p.position, "exit_criteria": p.exit_criteria,
             "skippable": p.skippable} for p in qs[filters.offset:filters.offset + filters.limit]]


@router.get("measures/{slug}/phase", response={200: MeasurePhaseOut, 404: ErrorResponse},
            summary=gettext_noop("A measure's phase and every phase transition"))
def measure_phase(request, slug: str):
    measure = _measure_or_404(slug)
    if measure is None:
        return 404, _err("slug", f"No measure '{slug}'.", "path")
    process = selectors.measure_process(measure)
    return 200, {"measure": measure.slug, "phase": process.phase.slug if process.phase else None,
                 "completed": process.completed, "transitions": [_transition(t) for t in process.transitions]}


@router.post("measures/{slug}/transitions", auth=WRITE_AUTH,
             response={201: TransitionOut, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse},
             summary=gettext_noop("Move a measure to another phase (team members; overrides: strategy office)"))
def create_transition(request, slug: str, payload: TransitionIn):
    measure = _measure_or_404(slug)
    if measure is None:
        return 404, _err("slug", f"No measure '{slug}'.", "path")
    to_phase = None
    if payload.to_phase != "complete":
        to_phase = next((p for p in selectors.phases(measure.strategy_id) if p.slug == payload.to_phase), None)
        if to_phase is None:
            return 400, _err("to_phase", f"Unknown phase '{payload.to_phase[:80]}'.")
    try:
        transition = services.phase_move(actor=request.auth, measure=measure, to_phase=to_phase,
                                         reason=payload.reason, override=payload.override,
                                         confirmed=payload.confirmed)
    except PermissionDenied:
        return 403, _err("", "You may not change the phase of this measure.")
    except ValidationError as exc:
        return 400, _err("to_phase", " ".join(exc.messages))
    return 201, _transition(transition)


@router.get("candidates", response={200: CandidatePage, 400: ErrorResponse}, summary=gettext_noop("Candidate measures"))
def list_candidates(request, filters: Query[CandidateFilters]):
    if filters.status and filters.status not in Candidate.Status.values:
        return 400, _err("status", f"Unknown status '{filters.status[:40]}'.", "query")
    qs = modified_after(selectors.candidates(current_strategy(), filters.status), filters, _CANDIDATE_MODIFIED)
    return 200, {"count": qs.count(),
                 "items": [_candidate(c) for c in qs[filters.offset:filters.offset + filters.limit]]}


@router.get("candidates/{slug}", response={200: CandidateDetailOut, 404: ErrorResponse},
            summary=gettext_noop("One candidate with its aggregated assessment"))
def get_candidate(request, slug: str):
    try:
        candidate, scores, overall = selectors.candidate_detail(current_strategy(), slug)
    except Http404:
        return 404, _err("slug", f"No candidate '{slug}'.", "path")
    return 200, {**_candidate(candidate), "overall": overall, "scores": [
        {"criterion": {"slug": s.criterion.slug, "name": s.criterion.name, "name_en": s.criterion.name_en},
         "mean": s.mean, "assessments": s.count} for s in scores]}


@router.get("decisions", response={200: list[CandidateOut], 400: ErrorResponse},
            summary=gettext_noop("Selection decisions of the Chief Digital Officer"))
def list_decisions(request, filters: Query[DecisionFilters]):
    qs = modified_after(selectors.decisions(current_strategy()), filters, _CANDIDATE_MODIFIED)
    return 200, [_candidate(c) for c in qs[filters.offset:filters.offset + filters.limit]]


def _lesson(lesson) -> dict:
    return {"measure": lesson.measure.slug, "phase": lesson.phase.slug if lesson.phase else None,
            "title": lesson.title, "what_worked": lesson.what_worked, "what_did_not": lesson.what_did_not,
            "recommendation": lesson.recommendation, "tags": lesson.tag_list, "created_at": lesson.created_at}


@router.get("lessons", response={200: LessonPage, 400: ErrorResponse},
            summary=gettext_noop("Lessons learned across all measures"))
def list_lessons(request, filters: Query[LessonFilters]):
    qs = selectors.lessons_library(current_strategy(), q=filters.q[:100], tag=filters.tag[:50],
                                   phase=filters.phase[:80])
    qs = modified_after(qs, filters, Coalesce(last_audit(LessonLearned), F("created_at")))
    return 200, {"count": qs.count(),
                 "items": [_lesson(x) for x in qs[filters.offset:filters.offset + filters.limit]]}


def _measure_write(slug: str, write, denied: str):
    """The one shape of a write on a measure: 404 naming the slug, the service's 403 and 400 as error bodies."""
    measure = _measure_or_404(slug)
    if measure is None:
        return 404, _err("slug", f"No measure '{slug}'.", "path")
    try:
        return 201, write(measure)
    except PermissionDenied:
        return 403, _err("", denied)
    except ValidationError as exc:
        return 400, _err("", " ".join(exc.messages))


@router.post("measures/{slug}/lessons", auth=WRITE_AUTH,
             response={201: LessonOut, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse},
             summary=gettext_noop("Publish a lesson learned (team members)"))
def create_lesson(request, slug: str, payload: LessonIn):
    return _measure_write(slug, lambda measure: _lesson(services.lesson_create(
        actor=request.auth, measure=measure, **payload.dict())), "You may not add lessons to this measure.")


def _milestone(m) -> dict:
    return {"id": m.pk, "title": m.title, "due_on": m.due_on, "done_on": m.done_on, "overdue": m.is_overdue}


@router.post("measures/{slug}/milestones", auth=WRITE_AUTH,
             response={201: MilestoneOut, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse},
             summary=gettext_noop("Add a milestone (team members)"))
def create_milestone(request, slug: str, payload: MilestoneIn):
    return _measure_write(slug, lambda measure: _milestone(services.milestone_create(
        actor=request.auth, measure=measure, title=payload.title, due_on=payload.due_on)),
        "You may not add milestones to this measure.")
