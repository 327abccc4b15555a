"""Selection (governance level 2): candidates, assessments and the CDO's decisions.

A decision sends `lifecycle.signals.candidate_decided` inside its transaction; apps in higher layers react to it
(participation sets the status of the citizen idea a candidate came from). Lifecycle imports none of them."""

from __future__ import annotations

import copy

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.actors import is_system, person
from kompass.core.permissions import require
from kompass.core.text import german_slug
from kompass.lifecycle.models import Assessment, Candidate, Notification, Phase, PhaseTransition, SelectionCriterion
from kompass.lifecycle.selectors import assessor_count, min_assessments, reviewer_group_for
from kompass.lifecycle.services._common import free_slug
from kompass.lifecycle.services.phases import set_phase
from kompass.lifecycle.signals import candidate_decided

DECIDED = (Candidate.Status.ADMITTED, Candidate.Status.REJECTED)


def _candidate_create(actor, strategy, title, description, source, *, organisation=None, source_url="",
                      source_kind="", source_id=None, submitted_by=None) -> Candidate:
    slug = free_slug(german_slug(title, fallback="vorschlag"),
                     lambda s: Candidate.objects.filter(strategy=strategy, slug=s).exists())
    candidate = Candidate(strategy=strategy, slug=slug, title=title, description=description, source=source,
                          organisation=organisation, source_url=source_url, source_kind=source_kind,
                          source_id=source_id, submitted_by=submitted_by, proposed_by=person(actor),
                          reviewer_group=reviewer_group_for(strategy, source))
    candidate.full_clean()
    candidate.save()
    record_event(actor=actor, action="candidate.submitted", obj=candidate, changes={
        "title": (None, title), "source": (None, source), "reviewer_group": (None, candidate.reviewer_group)})
    return candidate


@transaction.atomic
def candidate_submit(*, actor, strategy, title: str, description: str, source: str, organisation=None,
                     source_url: str = "") -> Candidate:
    """A candidate measure proposed from the administration or by an outside partner."""
    if source == Candidate.Source.CITIZEN_IDEA:
        raise ValidationError({"source": _("Citizen ideas enter through the participation app.")})
    require(actor, "lifecycle.submit_candidate")
    return _candidate_create(actor, strategy, title, description, source, organisation=organisation,
                             source_url=source_url)


@transaction.atomic
def candidate_from_idea(*, actor, strategy, source_kind: str, source_id: int, title: str, text: str,
                        submitted_by=None) -> Candidate:
    """Turn a citizen idea (a typed reference into the participation app) into a candidate, reviewed like outside
    proposals. Idempotent per source: a second call returns the existing candidate."""
    require(actor, "lifecycle.forward_idea")
    existing = Candidate.objects.filter(strategy=strategy, source_kind=source_kind, source_id=source_id).first()
    if existing is not None:
        return existing
    return _candidate_create(actor, strategy, title[:250], text, Candidate.Source.CITIZEN_IDEA,
                             source_kind=source_kind, source_id=source_id, submitted_by=submitted_by)


@transaction.atomic
def assessment_save(*, actor, candidate: Candidate, criterion: SelectionCriterion, score: int,
                    justification: str) -> Assessment:
    require(actor, "lifecycle.assess_candidate", candidate)
    if person(actor) is None:
        raise PermissionDenied  # an assessment is a person's judgement
    if candidate.status in DECIDED:
        raise ValidationError(_("This candidate has been decided."))
    if criterion.strategy_id != candidate.strategy_id:
        raise ValidationError({"criterion": _("This criterion belongs to another strategy.")})
    if not (0 <= int(score) <= 4):
        raise ValidationError({"score": _("Scores range from 0 to 4.")})
    if not justification.strip():
        raise ValidationError({"justification": _("Every score needs a justification.")})
    assessment = Assessment.objects.filter(candidate=candidate, criterion=criterion, assessor=actor).first()
    old = (assessment.score, assessment.justification) if assessment else None
    if assessment is None:
        assessment = Assessment(candidate=candidate, criterion=criterion, assessor=actor)
    assessment.score, assessment.justification = int(score), justification.strip()
    assessment.save()
    if candidate.status == Candidate.Status.SUBMITTED:
        candidate.status = Candidate.Status.IN_REVIEW
        candidate.save(update_fields=["status"])
    record_event(actor=actor, action="candidate.assessed", obj=candidate, changes={
        f"score:{criterion.slug}": (old[0] if old else None, int(score))})
    return assessment


def acting_with(actor, *perms: str):
    """`actor`, holding for one call the permissions a decision grants on top of their own.

    The CDO's admission creates a measure: the measure service checks `measures.change_measure`, which a CDO
    does not hold otherwise. The delegate is a copy of the same User, so audit events name the CDO."""
    if is_system(actor):
        return actor
    delegate = copy.copy(actor)
    own = actor.has_perm
    delegate.has_perm = lambda perm, obj=None: perm in perms or own(perm, obj)
    return delegate


def _admit(actor, candidate: Candidate, organisation, measure_type: str):
    from kompass.measures.models import Measure
    from kompass.measures.services import measure_create

    organisation = organisation or candidate.organisation
    if organisation is None:
        raise ValidationError({"organisation": _("Name the organisation responsible for the new measure.")})
    measure_type = measure_type or (Measure.Type.DECENTRAL if candidate.source == Candidate.Source.ADMINISTRATION
                                    else Measure.Type.NETWORK)
    slug = free_slug(german_slug(candidate.title, fallback="massnahme"),
                     lambda s: Measure.objects.filter(strategy=candidate.strategy, slug=s).exists())
    measure = measure_create(actor=acting_with(actor, "measures.change_measure"), strategy=candidate.strategy,
                             slug=slug, data={
                                 "measure_type": measure_type, "title": candidate.title,
                                 "summary": candidate.description[:1000], "description": candidate.description,
                                 "responsible_organisation": organisation, "status": Measure.Status.PLANNED})
    first = Phase.objects.filter(strategy=candidate.strategy).order_by("position", "pk").first()
    if first is not None:
        set_phase(measure, None, first, PhaseTransition.Kind.INITIAL, _("Admitted by the Chief Digital Officer."),
                  [], actor)
    return measure


@transaction.atomic
def candidate_decide(*, actor, candidate: Candidate, decision: str, reason: str, organisation=None,
                     measure_type: str = "") -> Candidate:
    """The CDO admits, rejects or defers a candidate with a public reason. Admitted candidates become measures in
    the first phase. Sends `candidate_decided` inside the transaction."""
    require(actor, "lifecycle.decide_candidate", candidate)
    if decision not in (*DECIDED, Candidate.Status.DEFERRED):
        raise ValidationError({"decision": _("Decide to admit, reject or defer.")})
    if candidate.status in DECIDED:
        raise ValidationError(_("This candidate has been decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("A decision needs a public reason.")})
    needed, done = min_assessments(candidate.strategy), assessor_count(candidate)
    if decision in DECIDED and done < needed:
        raise ValidationError({"decision": _(
            "Admitting or rejecting needs assessments from at least %(needed)s reviewers; %(done)s have assessed "
            "so far. You can defer the candidate until then.") % {"needed": needed, "done": done}})
    old = candidate.status
    if decision == Candidate.Status.ADMITTED:
        candidate.measure = _admit(actor, candidate, organisation, measure_type)
    candidate.status, candidate.decision_reason = decision, reason.strip()
    candidate.decided_by, candidate.decided_at = person(actor), timezone.now()
    candidate.save()
    if candidate.proposed_by_id and candidate.proposed_by_id != getattr(actor, "pk", None):
        Notification.objects.create(recipient_id=candidate.proposed_by_id, measure=candidate.measure,
                                    kind="candidate", text=_("Decision on “%(title)s”: %(status)s. %(reason)s") % {
                                        "title": candidate.title, "status": candidate.get_status_display(),
                                        "reason": candidate.decision_reason})
    record_event(actor=actor, action="candidate.decided", obj=candidate, changes={
        "status": (old, decision), "reason": (None, reason.strip()),
        "measure": (None, candidate.measure.slug if candidate.measure else None)})
    candidate_decided.send(sender=Candidate, candidate=candidate, actor=actor, old_status=old)
    return candidate
