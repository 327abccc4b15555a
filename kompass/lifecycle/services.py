"""Writes of the implementation process and of selection. Each public function runs in one transaction, takes the
acting user explicitly (None for a system process), checks the permission and records an audit event."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kompass.audit.services import actor_label, diff_fields, record_event
from kompass.core.actors import system_actor
from kompass.lifecycle import criteria as criteria_registry
from kompass.lifecycle.models import (
    SECTION_KEYS,
    Assessment,
    Attachment,
    Candidate,
    DescriptionVersion,
    LessonLearned,
    LogbookEntry,
    Mandate,
    MeasureLifecycle,
    MeetingFormat,
    Milestone,
    Notification,
    Phase,
    PhaseTransition,
    ProcessSettings,
    SelectionCriterion,
    TeamMember,
)

# Attachments: extension -> allowed content types and the bytes the file must start with (None: plain text).
ATTACHMENT_TYPES: dict[str, tuple[set[str], bytes | None]] = {
    ".pdf": ({"application/pdf"}, b"%PDF-"),
    ".png": ({"image/png"}, b"\x89PNG\r\n\x1a\n"),
    ".jpg": ({"image/jpeg"}, b"\xff\xd8\xff"),
    ".jpeg": ({"image/jpeg"}, b"\xff\xd8\xff"),
    ".odt": ({"application/vnd.oasis.opendocument.text"}, b"PK\x03\x04"),
    ".docx": ({"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}, b"PK\x03\x04"),
    ".xlsx": ({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, b"PK\x03\x04"),
    ".csv": ({"text/csv", "text/plain", "application/csv", "application/vnd.ms-excel"}, None),
}
ZIP_FALLBACK_TYPES = {"application/zip", "application/octet-stream"}


def attachment_max_bytes() -> int:
    return int(getattr(settings, "KOMPASS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def _check(actor, perm: str, obj=None) -> None:
    if actor is None:
        return
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def _lock(measure) -> None:
    """Serialise concurrent writers of one measure's process (phase moves, description versions)."""
    from kompass.measures.models import Measure

    list(Measure.objects.select_for_update().filter(pk=measure.pk).values_list("pk", flat=True))


# --- the process as data (called by the strategy loader) -----------------------------------------------------

def load_process(strategy, document: dict, actor, label: str | None, report) -> None:
    """Create or update phases, meeting formats, selection criteria and settings named in a strategy document.

    Runs inside the strategy loader's transaction; idempotent. Measures named in `process.measure_phases` get that
    phase as their starting phase when they have no lifecycle yet (later moves by teams are never overwritten)."""
    from kompass.strategy.models import Value
    from kompass.strategy.sections import upsert as _upsert

    process = document.get("process") or {}
    scope = {"strategy": strategy}
    texts = ("name", "name_en", "description", "description_en")
    phases = {}
    for n, item in enumerate(process.get("phases", [])):
        phases[item["slug"]] = _upsert(report, "phase", Phase, {**scope, "slug": item["slug"]}, {
            **{k: item.get(k, "") for k in texts}, "position": n, "exit_criteria": list(item.get("exit_criteria", [])),
            "skippable": item.get("skippable", False)}, actor, label)
    for n, item in enumerate(process.get("formats", [])):
        _upsert(report, "meeting_format", MeetingFormat, {**scope, "slug": item["slug"]}, {
            **{k: item.get(k, "") for k in texts}, "position": n, "gives_mandate": item.get("gives_mandate", False)},
            actor, label)
    values = {v.slug: v for v in Value.objects.filter(strategy=strategy)}
    for n, item in enumerate(document.get("selection_criteria", [])):
        _upsert(report, "selection_criterion", SelectionCriterion, {**scope, "slug": item["slug"]}, {
            **{k: item.get(k, "") for k in texts}, "position": n, "value": values.get(item.get("value")),
            "weight": item.get("weight", 1)}, actor, label)
    if process:
        _upsert(report, "process_settings", ProcessSettings, scope, {
            "stuck_after_days": process.get("stuck_after_days", 365),
            "reviewer_groups": dict(process.get("reviewer_groups", {}))}, actor, label)
        _ensure_groups(process.get("reviewer_groups", {}).values(), actor, label)
    from kompass.measures.models import Measure

    wanted = process.get("measure_phases", {})
    if wanted:
        existing = set(MeasureLifecycle.objects.filter(measure__strategy=strategy).values_list("measure__slug",
                                                                                              flat=True))
        for measure in Measure.objects.filter(strategy=strategy, slug__in=list(wanted)):
            if measure.slug in existing:
                report.count("measure_phase", "unchanged")
                continue
            phase = phases.get(wanted[measure.slug]) or Phase.objects.get(strategy=strategy,
                                                                          slug=wanted[measure.slug])
            _set_phase(measure, None, phase, PhaseTransition.Kind.INITIAL, "", [], actor, label)
            report.count("measure_phase", "created")


def _ensure_groups(slugs, actor, label) -> None:
    from kompass.accounts.models import UserGroup

    for slug in sorted(set(slugs)):
        if not UserGroup.objects.filter(slug=slug).exists():
            group = UserGroup.objects.create(slug=slug, name=slug.replace("-", " ").title(), kind=UserGroup.Kind.TEAM)
            record_event(actor=actor, action="usergroup.created", obj=group, changes={"slug": (None, slug)},
                         label=label)


# --- phases -------------------------------------------------------------------------------------------------

def phases_of(strategy) -> list[Phase]:
    return list(Phase.objects.filter(strategy=strategy).order_by("position", "pk"))


def current_phase(measure) -> Phase | None:
    lifecycle = MeasureLifecycle.objects.filter(measure=measure).select_related("phase").first()
    if lifecycle is not None:
        return lifecycle.phase
    return Phase.objects.filter(strategy_id=measure.strategy_id).order_by("position", "pk").first()


def gate_check(measure, to_phase: Phase | None) -> tuple[str, list[dict]]:
    """The kind of a move to `to_phase` (None = complete the last phase) and the exit criteria it must meet."""
    phases = phases_of(measure.strategy)
    here = current_phase(measure)
    if here is None:
        raise ValidationError(_("This strategy defines no process."))
    index = {p.pk: i for i, p in enumerate(phases)}
    i = index[here.pk]
    lifecycle = MeasureLifecycle.objects.filter(measure=measure).first()
    if lifecycle is not None and lifecycle.completed_at:
        raise ValidationError(_("The measure has completed the process."))
    if to_phase is None:
        if i != len(phases) - 1:
            raise ValidationError(_("Only a measure in the last phase can complete the process."))
        return PhaseTransition.Kind.COMPLETE, criteria_registry.evaluate(here.exit_criteria, measure)
    if to_phase.pk not in index:
        raise ValidationError(_("This phase belongs to another strategy."))
    j = index[to_phase.pk]
    if j == i:
        raise ValidationError(_("The measure is already in this phase."))
    if j < i:
        return PhaseTransition.Kind.BACK, []
    if any(not p.skippable for p in phases[i + 1:j]):
        raise ValidationError(_("Only phases marked as skippable can be skipped."))
    names: list[str] = []
    for phase in phases[i:j]:
        names += [n for n in phase.exit_criteria if n not in names]
    return PhaseTransition.Kind.FORWARD, criteria_registry.evaluate(names, measure)


@transaction.atomic
def phase_move(*, actor, measure, to_phase: Phase | None, reason: str = "", override: bool = False,
               confirmed: list[str] | tuple = ()) -> PhaseTransition:
    """Move a measure to another phase (or complete the last one, to_phase=None).

    Forward moves need every exit criterion of the phases left behind: met, or (when Kompass cannot check it)
    confirmed by the actor. Otherwise only the strategy office may override, with a written reason. Steps back
    are always allowed to the team, with a reason."""
    _check(actor, "lifecycle.move_phase", measure)
    _lock(measure)
    reason = (reason or "").strip()
    kind, results = gate_check(measure, to_phase)
    if kind == PhaseTransition.Kind.BACK and not reason:
        raise ValidationError({"reason": _("Give a reason for stepping back.")})
    for result in results:
        if result["met"] is None and result["name"] in confirmed:
            result["met"], result["confirmed"] = True, True
    unmet = [r for r in results if not r["met"]]
    if unmet:
        if not override:
            raise ValidationError(_("Exit criteria not met: %(names)s") % {
                "names": "; ".join(r["label"] for r in unmet)})
        _check(actor, "lifecycle.override_gate", measure)
        if not reason:
            raise ValidationError({"reason": _("An override needs a written reason.")})
        if kind == PhaseTransition.Kind.FORWARD:
            kind = PhaseTransition.Kind.OVERRIDE
    here = current_phase(measure)
    transition = _set_phase(measure, here, to_phase, kind, reason, results, actor, None)
    text = (_("%(measure)s completed the process.") % {"measure": measure.title} if to_phase is None else
            _("%(measure)s moved from %(old)s to %(new)s.") % {"measure": measure.title, "old": here.name,
                                                                 "new": to_phase.name})
    if reason:
        text += " " + _("Reason: %(reason)s") % {"reason": reason}
    _notify_team(measure, "phase", text, exclude=actor)
    return transition


def _set_phase(measure, from_phase, to_phase, kind, reason, results, actor, label) -> PhaseTransition:
    now = timezone.now()
    lifecycle = MeasureLifecycle.objects.filter(measure=measure).first()
    if lifecycle is None:
        lifecycle = MeasureLifecycle(measure=measure, phase=to_phase or from_phase, phase_since=now)
    if to_phase is None:
        lifecycle.completed_at = now
    else:
        lifecycle.phase, lifecycle.phase_since, lifecycle.completed_at = to_phase, now, None
    lifecycle.save()
    transition = PhaseTransition.objects.create(
        measure=measure, from_phase=from_phase, to_phase=to_phase, kind=kind, reason=reason, criteria=results,
        actor=actor if actor is not None and actor.pk else None, actor_label=label or actor_label(actor),
        occurred_at=now)
    record_event(actor=actor, action="measure.phase_changed", obj=measure, label=label, changes={
        "phase": (from_phase.slug if from_phase else None, to_phase.slug if to_phase else "completed"),
        "kind": (None, str(kind))})
    return transition


# --- team, mandate, logbook ---------------------------------------------------------------------------------

@transaction.atomic
def team_member_set(*, actor, measure, user, role: str, organisation=None) -> TeamMember:
    _check(actor, "lifecycle.manage_team", measure)
    if role not in TeamMember.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if organisation is None:
        membership = user.memberships.select_related("organisation").first()
        organisation = membership.organisation if membership else None
    member = TeamMember.objects.filter(measure=measure, user=user).first()
    if member is None:
        member = TeamMember.objects.create(measure=measure, user=user, role=role, organisation=organisation)
        record_event(actor=actor, action="team_member.added", obj=measure,
                     changes={"team_member": (None, f"{user.email} ({role})")})
        return member
    changes = diff_fields(member, {"role": role, "organisation": organisation})
    if changes:
        for key, (_old, new) in changes.items():
            setattr(member, key, new)
        member.save()
        record_event(actor=actor, action="team_member.changed", obj=measure,
                     changes={f"team_member:{user.email}:{k}": v for k, v in changes.items()})
    return member


@transaction.atomic
def team_member_remove(*, actor, member: TeamMember) -> None:
    _check(actor, "lifecycle.manage_team", member.measure)
    record_event(actor=actor, action="team_member.removed", obj=member.measure,
                 changes={"team_member": (f"{member.user.email} ({member.role})", None)})
    member.delete()


@transaction.atomic
def mandate_record(*, actor, measure, given_by: str, given_on: datetime.date, budget_eur: Decimal | None = None,
                   staff_fte: Decimal | None = None, notes: str = "") -> Mandate:
    _check(actor, "lifecycle.record_mandate", measure)
    mandate = Mandate(measure=measure, given_by=given_by, given_on=given_on, budget_eur=budget_eur,
                      staff_fte=staff_fte, notes=notes, recorded_by=actor if actor and actor.pk else None)
    mandate.full_clean()
    mandate.save()
    record_event(actor=actor, action="mandate.recorded", obj=measure, changes={
        "mandate": (None, f"{given_by} {given_on}"), "budget_eur": (None, budget_eur), "staff_fte": (None, staff_fte)})
    _notify_team(measure, "decision", _("A mandate for %(measure)s was recorded (%(by)s, %(on)s).") % {
        "measure": measure.title, "by": mandate.get_given_by_display(), "on": given_on.isoformat()}, exclude=actor)
    return mandate


def validate_attachment(upload) -> tuple[str, str]:
    """Check name, declared content type, size and leading bytes of an upload; returns (safe name, content type)."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    stem, ext = os.path.splitext(name)
    ext = ext.lower()
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError(_("“%(name)s”: this file type is not allowed (allowed: %(types)s).") % {
            "name": name[:80], "types": ", ".join(t.lstrip(".").upper() for t in ATTACHMENT_TYPES)})
    size = upload.size or 0
    if size > attachment_max_bytes():
        raise ValidationError(_("“%(name)s” is larger than %(mb)s MB.") % {
            "name": name[:80], "mb": attachment_max_bytes() // (1024 * 1024)})
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name[:80]})
    types, magic = ATTACHMENT_TYPES[ext]
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    allowed = types | (ZIP_FALLBACK_TYPES if magic == b"PK\x03\x04" else set())
    if declared and declared not in allowed:
        raise ValidationError(_("“%(name)s”: the content type does not match the file name.") % {"name": name[:80]})
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if magic is not None and not head.startswith(magic):
        raise ValidationError(_("“%(name)s”: the content does not match the file type.") % {"name": name[:80]})
    if magic is None and b"\x00" in head:
        raise ValidationError(_("“%(name)s”: the content does not match the file type.") % {"name": name[:80]})
    safe = (slugify(stem)[:80] or "file") + ext
    return safe, sorted(types)[0] if magic is not None else "text/csv"


@transaction.atomic
def logbook_entry_create(*, actor, measure, meeting_format: MeetingFormat, held_on: datetime.date,
                         organisations=(), outcomes: str = "", decisions: str = "", files=()) -> LogbookEntry:
    _check(actor, "lifecycle.write_logbook", measure)
    if meeting_format.strategy_id != measure.strategy_id:
        raise ValidationError({"meeting_format": _("This format belongs to another strategy.")})
    checked = [(upload, *validate_attachment(upload)) for upload in files]
    entry = LogbookEntry.objects.create(measure=measure, meeting_format=meeting_format, held_on=held_on,
                                        outcomes=outcomes, decisions=decisions,
                                        created_by=actor if actor and actor.pk else None)
    entry.organisations.set(list(organisations))
    for upload, safe_name, content_type in checked:
        attachment = Attachment(entry=entry, original_name=safe_name, content_type=content_type, size=upload.size,
                                uploaded_by=actor if actor and actor.pk else None)
        attachment.file.save(safe_name, upload, save=False)
        attachment.save()
    record_event(actor=actor, action="logbook.entry_created", obj=measure, changes={
        "format": (None, meeting_format.slug), "held_on": (None, held_on),
        "attachments": (None, [name for _u, name, _t in checked])})
    if decisions.strip():
        _notify_team(measure, "decision", _("%(format)s on %(date)s decided: %(decisions)s") % {
            "format": meeting_format.name, "date": held_on.isoformat(), "decisions": decisions.strip()[:500]},
            exclude=actor)
    return entry


# --- description --------------------------------------------------------------------------------------------

@transaction.atomic
def description_save(*, actor, measure, sections: dict[str, str], note: str = "") -> DescriptionVersion | None:
    """Save a new version when anything changed; returns it, or None when the text is the same."""
    _check(actor, "lifecycle.edit_description", measure)
    _lock(measure)
    clean = {key: (sections.get(key) or "").replace("\r\n", "\n").strip() for key in SECTION_KEYS}
    current = DescriptionVersion.objects.filter(measure=measure).order_by("-number").first()
    if current is not None and {k: current.sections.get(k, "") for k in SECTION_KEYS} == clean:
        return None
    version = DescriptionVersion.objects.create(measure=measure, number=(current.number + 1) if current else 1,
                                                sections=clean, note=note[:300],
                                                author=actor if actor and actor.pk else None)
    changed = [k for k in SECTION_KEYS if (current.sections.get(k, "") if current else "") != clean[k]]
    record_event(actor=actor, action="description.saved", obj=measure,
                 changes={"version": (current.number if current else None, version.number),
                          "sections": (None, changed)})
    return version


# --- milestones and notifications ---------------------------------------------------------------------------

@transaction.atomic
def milestone_create(*, actor, measure, title: str, due_on: datetime.date, owner=None) -> Milestone:
    _check(actor, "lifecycle.manage_milestones", measure)
    milestone = Milestone(measure=measure, title=title, due_on=due_on, owner=owner)
    milestone.full_clean()
    milestone.save()
    record_event(actor=actor, action="milestone.created", obj=measure,
                 changes={"milestone": (None, title), "due_on": (None, due_on)})
    return milestone


@transaction.atomic
def milestone_done(*, actor, milestone: Milestone, done_on: datetime.date | None = None) -> Milestone:
    _check(actor, "lifecycle.manage_milestones", milestone.measure)
    done_on = done_on or datetime.date.today()
    old = milestone.done_on
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    record_event(actor=actor, action="milestone.done", obj=milestone.measure,
                 changes={f"milestone:{milestone.title}": (old, done_on)})
    return milestone


def _notify_team(measure, kind: str, text: str, exclude=None) -> int:
    users = {m.user for m in TeamMember.objects.filter(measure=measure).select_related("user") if m.user.is_active}
    if exclude is not None:
        users.discard(exclude)
    Notification.objects.bulk_create([Notification(recipient=u, measure=measure, kind=kind, text=text)
                                      for u in sorted(users, key=lambda u: u.pk)])
    return len(users)


@transaction.atomic
def overdue_milestones_queue(today: datetime.date | None = None) -> int:
    """Queue one notification per overdue milestone (once) for its team; returns the number of milestones."""
    today = today or datetime.date.today()
    due = list(Milestone.objects.filter(done_on__isnull=True, due_on__lt=today, overdue_notified_on__isnull=True)
               .select_related("measure", "owner"))
    for milestone in due:
        _notify_team(milestone.measure, "overdue", _("Milestone “%(title)s” of %(measure)s was due on %(due)s.") % {
            "title": milestone.title, "measure": milestone.measure.title, "due": milestone.due_on.isoformat()})
    Milestone.objects.filter(pk__in=[m.pk for m in due]).update(overdue_notified_on=today)
    if due:
        record_event(actor=None, action="milestone.overdue_notified", label="send_lifecycle_digest",
                     changes={"milestones": (None, [m.pk for m in due])})
    return len(due)


def digest_send(now=None) -> dict[str, int]:
    """Send each recipient one email with all their pending notifications; marks them sent."""
    now = now or timezone.now()
    overdue = overdue_milestones_queue(now.date())
    pending = list(Notification.objects.filter(sent_at__isnull=True).select_related("recipient", "measure")
                   .order_by("recipient_id", "created_at", "id"))
    by_recipient: dict[Any, list[Notification]] = {}
    for note in pending:
        by_recipient.setdefault(note.recipient, []).append(note)
    sent = 0
    for recipient, notes in by_recipient.items():
        lines = [_("Hello,"), "", _("here is what happened in your measures:"), ""]
        lines += [f"- {n.created_at:%Y-%m-%d}: {n.text}" for n in notes]
        with transaction.atomic():
            send_mail(subject=_("Kompass: %(count)s updates on your measures") % {"count": len(notes)},
                      message="\n".join(lines), from_email=None, recipient_list=[recipient.email])
            Notification.objects.filter(pk__in=[n.pk for n in notes]).update(sent_at=now)
        sent += 1
    return {"emails": sent, "notifications": len(pending), "overdue_milestones": overdue}


# --- lessons learned, replication ---------------------------------------------------------------------------

@transaction.atomic
def lesson_create(*, actor, measure, title: str, what_worked: str, what_did_not: str, recommendation: str,
                  tags: str = "", phase: Phase | None = None) -> LessonLearned:
    _check(actor, "lifecycle.add_lesson", measure)
    phase = phase or current_phase(measure)
    tag_text = ", ".join(t.strip().lower() for t in tags.split(",") if t.strip())
    lesson = LessonLearned(measure=measure, phase=phase, title=title, what_worked=what_worked,
                           what_did_not=what_did_not, recommendation=recommendation, tags=tag_text[:300],
                           author=actor if actor and actor.pk else None)
    lesson.search_text = "\n".join([title, what_worked, what_did_not, recommendation, tag_text,
                                    measure.title]).lower()
    lesson.full_clean()
    lesson.save()
    record_event(actor=actor, action="lesson.created", obj=measure, changes={"lesson": (None, title)})
    return lesson


@transaction.atomic
def replication_set(*, actor, measure, original) -> None:
    """Mark `measure` as a replication ("Einer-für-Alle") of `original` (None clears it). Cycles are refused."""
    _check(actor, "lifecycle.mark_replication", measure)
    if original is not None:
        if original.pk == measure.pk or original.strategy_id != measure.strategy_id:
            raise ValidationError(_("A measure cannot replicate itself or a measure of another strategy."))
        parents = dict(MeasureLifecycle.objects.filter(measure__strategy=measure.strategy)
                       .values_list("measure_id", "replication_of_id"))
        node, seen = original.pk, set()
        while node is not None and node not in seen:
            if node == measure.pk:
                raise ValidationError(_("This would make the replication tree circular."))
            seen.add(node)
            node = parents.get(node)
    lifecycle = MeasureLifecycle.objects.filter(measure=measure).first()
    if lifecycle is None:
        phase = current_phase(measure)
        if phase is None:
            raise ValidationError(_("This strategy defines no process."))
        lifecycle = MeasureLifecycle(measure=measure, phase=phase)
    old = lifecycle.replication_of_id
    lifecycle.replication_of = original
    lifecycle.save()
    record_event(actor=actor, action="measure.replication_set", obj=measure,
                 changes={"replication_of": (old, original.pk if original else None)})


# --- selection ----------------------------------------------------------------------------------------------

def reviewer_group_for(strategy, source: str) -> str:
    settings_row = ProcessSettings.objects.filter(strategy=strategy).first()
    return (settings_row.reviewer_groups if settings_row else {}).get(source, "")


def _candidate_slug(strategy, title: str) -> str:
    base = slugify(title)[:100] or "vorschlag"
    slug, n = base, 2
    while Candidate.objects.filter(strategy=strategy, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def candidate_submit(*, actor, strategy, title: str, description: str, source: str, organisation=None,
                     source_url: str = "") -> Candidate:
    """A candidate measure proposed from the administration or by an outside partner."""
    if source == Candidate.Source.CITIZEN_IDEA:
        raise ValidationError({"source": _("Citizen ideas enter through the participation app.")})
    _check(actor, "lifecycle.submit_candidate")
    return _candidate_create(actor, strategy, title, description, source, organisation, source_url)


def _candidate_create(actor, strategy, title, description, source, organisation, source_url) -> Candidate:
    candidate = Candidate(strategy=strategy, slug=_candidate_slug(strategy, title), title=title,
                          description=description, source=source, organisation=organisation, source_url=source_url,
                          proposed_by=actor if actor and actor.pk else None,
                          reviewer_group=reviewer_group_for(strategy, source))
    candidate.full_clean()
    candidate.save()
    record_event(actor=actor, action="candidate.submitted", obj=candidate, changes={
        "title": (None, title), "source": (None, source), "reviewer_group": (None, candidate.reviewer_group)})
    return candidate


@transaction.atomic
def candidate_from_idea(*, title: str, text: str, url: str = "", strategy=None, actor=None) -> Candidate:
    """Hook for the participation app: turn a citizen idea into a candidate (reviewed like outside proposals).

    Idempotent per idea URL: calling it twice with the same `url` returns the existing candidate."""
    from kompass.strategy.selectors import current_strategy

    strategy = strategy or current_strategy()
    if url:
        existing = Candidate.objects.filter(strategy=strategy, source_url=url).first()
        if existing is not None:
            return existing
    return _candidate_create(actor, strategy, title[:250], text, Candidate.Source.CITIZEN_IDEA, None, url)


@transaction.atomic
def assessment_save(*, actor, candidate: Candidate, criterion: SelectionCriterion, score: int,
                    justification: str) -> Assessment:
    _check(actor, "lifecycle.assess_candidate", candidate)
    if actor is None:
        raise PermissionDenied
    if candidate.status in (Candidate.Status.ADMITTED, Candidate.Status.REJECTED):
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


@transaction.atomic
def candidate_decide(*, actor, candidate: Candidate, decision: str, reason: str, organisation=None,
                     measure_type: str = "") -> Candidate:
    """The CDO admits, rejects or defers a candidate with a public reason. Admitted candidates become measures in
    the first phase."""
    from kompass.measures.models import Measure
    from kompass.measures.services import measure_create

    _check(actor, "lifecycle.decide_candidate", candidate)
    if decision not in (Candidate.Status.ADMITTED, Candidate.Status.REJECTED, Candidate.Status.DEFERRED):
        raise ValidationError({"decision": _("Decide to admit, reject or defer.")})
    if candidate.status in (Candidate.Status.ADMITTED, Candidate.Status.REJECTED):
        raise ValidationError(_("This candidate has been decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("A decision needs a public reason.")})
    old = candidate.status
    if decision == Candidate.Status.ADMITTED:
        organisation = organisation or candidate.organisation
        if organisation is None:
            raise ValidationError({"organisation": _("Name the organisation responsible for the new measure.")})
        measure_type = measure_type or (Measure.Type.DECENTRAL if candidate.source == Candidate.Source.ADMINISTRATION
                                        else Measure.Type.NETWORK)
        base = slugify(candidate.title)[:100] or "massnahme"
        slug, n = base, 2
        while Measure.objects.filter(strategy=candidate.strategy, slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        measure = measure_create(actor=system_actor("candidate-decision"), strategy=candidate.strategy,
                                 slug=slug, data={
            "measure_type": measure_type, "title": candidate.title, "summary": candidate.description[:1000],
            "description": candidate.description, "responsible_organisation": organisation,
            "status": Measure.Status.PLANNED}, audit_label=f"candidate decision by {actor_label(actor)}")
        first = Phase.objects.filter(strategy=candidate.strategy).order_by("position", "pk").first()
        if first is not None:
            _set_phase(measure, None, first, PhaseTransition.Kind.INITIAL,
                       _("Admitted by the Chief Digital Officer."), [], actor, None)
        candidate.measure = measure
    candidate.status, candidate.decision_reason = decision, reason.strip()
    candidate.decided_by, candidate.decided_at = (actor if actor and actor.pk else None), timezone.now()
    candidate.save()
    if candidate.proposed_by_id and candidate.proposed_by_id != getattr(actor, "pk", None):
        Notification.objects.create(recipient_id=candidate.proposed_by_id, measure=candidate.measure,
                                    kind="candidate", text=_("Decision on “%(title)s”: %(status)s. %(reason)s") % {
                                        "title": candidate.title, "status": candidate.get_status_display(),
                                        "reason": candidate.decision_reason})
    record_event(actor=actor, action="candidate.decided", obj=candidate, changes={
        "status": (old, decision), "reason": (None, reason.strip()),
        "measure": (None, candidate.measure.slug if candidate.measure else None)})
    _report_to_participation(candidate)
    return candidate


IDEA_STATUS = {Candidate.Status.ADMITTED: "admitted", Candidate.Status.REJECTED: "not_admitted"}


def _report_to_participation(candidate: Candidate) -> None:
    """Tell the participation app the decision on a citizen idea (its public idea page shows it). Optional: does
    nothing when the participation app offers no such hook."""
    status = IDEA_STATUS.get(candidate.status)
    if candidate.source != Candidate.Source.CITIZEN_IDEA or not candidate.source_url or status is None:
        return
    try:
        from kompass.participation import services as participation
    except ImportError:
        return
    find = getattr(participation, "idea_for_source_url", None)
    set_status = getattr(participation, "idea_set_status", None)
    if find is None or set_status is None:
        return
    idea = find(candidate.source_url)
    if idea is not None and idea.status != status:
        set_status(None, idea, status, candidate.decision_reason)


def spreadsheet_import_start(*, actor, strategy, upload, dry_run: bool):
    """Keep the upload in private storage and start the import job (it records its own audit event)."""
    import uuid

    from kompass.jobs.services import job_start
    from kompass.lifecycle.models import private_storage
    from kompass.lifecycle.tasks import import_spreadsheet

    _check(actor, "lifecycle.import_measures")
    ext = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    stored = private_storage().save(f"lifecycle/imports/{uuid.uuid4().hex}{ext}", upload)
    title = (_("Check %(name)s") if dry_run else _("Import %(name)s")) % {"name": os.path.basename(upload.name)[:100]}
    return job_start(actor=actor, kind="lifecycle.import", title=title, task=import_spreadsheet,
                     args=[strategy.pk, actor.pk if actor else None, stored, upload.name, dry_run])
