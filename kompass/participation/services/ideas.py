"""Ideas and challenges (Arena der Ideen): creation, the public path through selection, ownership.

The path is participation's: an idea "being qualified" is handed to lifecycle's selection as a candidate with a
typed reference (`IDEA_SOURCE`, the idea's pk); lifecycle's `candidate_decided` signal brings the CDO's decision
back (`on_candidate_decided`, connected in apps.py). Lifecycle never imports participation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.permissions import require
from kompass.participation.geo import validate_point
from kompass.participation.idempotency import fingerprint
from kompass.participation.models import Attachment, Follow, Idea, IdeaStatusChange, Ownership
from kompass.participation.services import idempotency
from kompass.participation.services.notifications import notify_followers
from kompass.participation.services.ratelimit import check_rate
from kompass.participation.uploads import validate_attachment

IDEA_SOURCE = "participation.idea"  # the source kind of candidates that came from an idea

# Lifecycle's decision on a candidate -> the idea's status (deferred and pending decisions change nothing).
DECISION_STATUS = {"admitted": Idea.Status.ADMITTED, "rejected": Idea.Status.NOT_ADMITTED}


@transaction.atomic
def idea_create(*, actor, strategy, title: str, text: str, kind: str = Idea.Kind.IDEA, action_fields=(),
                districts=(), latitude=None, longitude=None, attachments=(), ip: str | None = None,
                idempotency_key: str | None = None) -> Idea:
    """Publish an idea. With `idempotency_key` (ADR 0045) the same key from the same account returns the idea it
    created the first time (marked `idempotent_replay = True`) instead of a second one."""
    require(actor, "participation.add_idea")
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise ValidationError(_("Give the idea a title and a text."))
    if kind not in Idea.Kind.values:
        raise ValidationError(_("Unknown kind."))
    validate_point(strategy, latitude, longitude)
    checked = [(upload, validate_attachment(upload)) for upload in attachments]
    for obj in list(action_fields) + list(districts):
        if obj.strategy_id != strategy.pk:
            raise ValidationError(_("Action fields and districts must belong to the strategy."))
    request = fingerprint("idea.create", strategy.pk, kind, title, text, sorted(a.pk for a in action_fields),
                          sorted(d.pk for d in districts), latitude, longitude,
                          [(upload.name, upload.size) for upload, _type in checked])
    earlier = idempotency.begin(
        actor=actor, key=idempotency_key, action="idea.create", fingerprint=request,
        conflict=_("This form was already sent with different content, and that idea is published. Send the form "
                   "again to publish this one as another idea."))
    if earlier is not None:
        return idempotency.replayed(Idea, earlier)
    check_rate(actor, "idea", ip)
    idea = Idea.objects.create(strategy=strategy, author=actor, kind=kind, title=title[:200], text=text,
                               latitude=latitude, longitude=longitude)
    idea.action_fields.set(action_fields)
    idea.districts.set(districts)
    for upload, content_type in checked:
        Attachment.objects.create(idea=idea, file=upload, name=upload.name[:200], content_type=content_type,
                                  size=upload.size)
    IdeaStatusChange.objects.create(idea=idea, status=idea.status)
    Follow.objects.create(user=actor, idea=idea)
    record_event(actor=actor, action="idea.created", obj=idea, changes={"title": (None, idea.title)})
    idempotency.finish(actor=actor, key=idempotency_key, obj=idea)
    return idea


@transaction.atomic
def idea_set_status(*, actor, idea: Idea, status: str, reason: str = "") -> Idea:
    """Move an idea along its path (submitted → being qualified → admitted / not admitted). "not admitted" needs a
    public reason. Moving it to "being qualified" hands it to selection as a candidate."""
    require(actor, "participation.set_idea_status", idea)
    if status not in Idea.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == Idea.Status.NOT_ADMITTED and not (reason or "").strip():
        raise ValidationError(_("Give the public reason why the idea was not admitted."))
    old = idea.status
    idea.status, idea.status_reason = status, (reason or "").strip()
    idea.save(update_fields=["status", "status_reason", "updated_at"])
    IdeaStatusChange.objects.create(idea=idea, status=status, reason=idea.status_reason)
    if status == Idea.Status.QUALIFYING and old != status:
        _forward_to_selection(actor, idea)
    record_event(actor=actor, action="idea.status_changed", obj=idea, changes={"status": (old, status)})
    notify_followers(actor, idea=idea, text=_("New status of “%(title)s”: %(status)s")
                     % {"title": idea.title[:120], "status": idea.get_status_display()})
    return idea


def idea_url(pk: int) -> str:
    """An idea's public URL (absolute with settings.KOMPASS_SITE_URL, else site-relative): how lifecycle links a
    candidate's source."""
    from django.urls import reverse
    from django.utils import translation

    from kompass.core.urls import absolute_url

    with translation.override("de"):
        return absolute_url(reverse("participation:idea", args=[pk]))


def _forward_to_selection(actor, idea: Idea) -> None:
    """Hand the idea to the selection pipeline (kompass.lifecycle) as a candidate measure. The author is stored
    as a reference (their name is shown at display time and disappears with their account)."""
    from kompass.lifecycle.services import candidate_from_idea

    text = idea.text + "\n\n" + _("Supported by %(n)s people.") % {"n": idea.support_count}
    candidate = candidate_from_idea(actor=actor, strategy=idea.strategy, source_kind=IDEA_SOURCE,
                                    source_id=idea.pk, title=idea.title, text=text, submitted_by=idea.author)
    record_event(actor=actor, action="idea.forwarded", obj=idea, changes={"candidate": (None, candidate.pk)})


def on_candidate_decided(sender, *, candidate, actor, **kwargs) -> None:
    """Receiver of `lifecycle.signals.candidate_decided`: report the CDO's decision back on the idea's public path
    and to its author. Admission and rejection set the idea's status; a deferral keeps it ("being qualified")
    and adds a step with the reason. Runs inside the decision's transaction, acting as the decision's actor."""
    if candidate.source_kind != IDEA_SOURCE or candidate.source_id is None:
        return
    idea = Idea.objects.filter(pk=candidate.source_id, strategy_id=candidate.strategy_id).first()
    if idea is None:
        return
    status = DECISION_STATUS.get(candidate.status)
    if status is not None and idea.status != status:
        idea_set_status(actor=actor, idea=idea, status=status, reason=candidate.decision_reason)
    elif candidate.status == "deferred":
        reason = _("Deferred by the Chief Digital Officer: %(reason)s") % {"reason": candidate.decision_reason}
        IdeaStatusChange.objects.create(idea=idea, status=idea.status, reason=reason)
        record_event(actor=actor, action="idea.deferred", obj=idea, changes={"reason": (None, reason)})
        notify_followers(actor, idea=idea, text=_("“%(title)s” was deferred: %(reason)s")
                         % {"title": idea.title[:120], "reason": candidate.decision_reason})
    else:
        return
    _tell_author(idea)


def _tell_author(idea: Idea) -> None:
    """The author hears of the decision even when they stopped following their idea."""
    from django.urls import reverse

    from kompass.participation.models import Notification

    if idea.author_id is None or Follow.objects.filter(idea=idea, user_id=idea.author_id).exists():
        return  # followers (the author by default) were notified already
    step = idea.status_changes.order_by("-created_at", "-id").first()
    Notification.objects.create(user_id=idea.author_id, url=reverse("participation:idea", args=[idea.pk]),
                                text=(_("Decision on your idea “%(title)s”: %(reason)s")
                                      % {"title": idea.title[:120], "reason": step.reason if step else ""})[:300])


def _may_speak_for(actor, organisation=None, group=None) -> bool:
    if actor.has_perm("participation.manage_consultation"):
        return True
    if organisation is not None:
        return actor.memberships.filter(organisation=organisation).exists()
    return group is not None and group.members.filter(pk=actor.pk).exists()


@transaction.atomic
def ownership_declare(*, actor, idea: Idea, organisation=None, group=None, note: str = "") -> Ownership:
    """An organisation or group (the actor must belong to it) takes ownership; later ones join as partners."""
    require(actor, "participation.declare_ownership", idea)
    if (organisation is None) == (group is None):
        raise ValidationError(_("Choose an organisation or a group."))
    if not _may_speak_for(actor, organisation, group):
        raise PermissionDenied
    Idea.objects.select_for_update().filter(pk=idea.pk).first()  # serialise the owner/partner decision
    if Ownership.objects.filter(idea=idea, organisation=organisation, group=group).exists():
        raise ValidationError(_("This party already takes part."))
    role = Ownership.Role.PARTNER if idea.ownerships.exists() else Ownership.Role.OWNER
    ownership = Ownership.objects.create(idea=idea, organisation=organisation, group=group, role=role,
                                         declared_by=actor, note=note.strip())
    record_event(actor=actor, action="idea.ownership_declared", obj=idea,
                 changes={role: (None, str(organisation or group))})
    notify_followers(actor, idea=idea, text=_("%(party)s wants to implement “%(title)s”.")
                     % {"party": str(organisation or group), "title": idea.title[:120]})
    return ownership
