"""Milestones, overdue reminders and the lifecycle digest email."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core import formats
from kompass.core.permissions import require
from kompass.lifecycle.models import Milestone, Notification
from kompass.lifecycle.services._common import change_recorded, delete_recorded, notify_team


@transaction.atomic
def milestone_create(*, actor, measure, title: str, due_on: datetime.date, owner=None) -> Milestone:
    require(actor, "lifecycle.manage_milestones", measure)
    milestone = Milestone(measure=measure, title=title, due_on=due_on, owner=owner)
    milestone.full_clean()
    milestone.save()
    record_event(actor=actor, action="milestone.created", obj=measure,
                 changes={"milestone": (None, title), "due_on": (None, due_on)})
    return milestone


@transaction.atomic
def milestone_update(*, actor, milestone: Milestone, title: str, due_on: datetime.date, owner=None,
                     done_on: datetime.date | None = None) -> Milestone:
    """Change a milestone; moving its due date lets the overdue reminder go out again for the new date."""
    require(actor, "lifecycle.manage_milestones", milestone.measure)
    if due_on != milestone.due_on:
        milestone.overdue_notified_on = None
    change_recorded(actor=actor, obj=milestone, action="milestone.changed", prefix=f"milestone:{milestone.pk}",
                    values={"title": title, "due_on": due_on, "owner": owner, "done_on": done_on})
    return milestone


@transaction.atomic
def milestone_delete(*, actor, milestone: Milestone) -> None:
    require(actor, "lifecycle.manage_milestones", milestone.measure)
    delete_recorded(actor=actor, obj=milestone, action="milestone.deleted", key="milestone",
                    text=f"{milestone.title} ({milestone.due_on.isoformat()})")


@transaction.atomic
def milestone_done(*, actor, milestone: Milestone, done_on: datetime.date | None = None) -> Milestone:
    require(actor, "lifecycle.manage_milestones", milestone.measure)
    done_on = done_on or datetime.date.today()
    old = milestone.done_on
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    record_event(actor=actor, action="milestone.done", obj=milestone.measure,
                 changes={f"milestone:{milestone.title}": (old, done_on)})
    return milestone


@transaction.atomic
def overdue_milestones_queue(*, actor, today: datetime.date | None = None) -> int:
    """Queue one notification per overdue milestone (once) for its team; returns the number of milestones."""
    require(actor, "lifecycle.send_digest")
    today = today or datetime.date.today()
    due = list(Milestone.objects.filter(done_on__isnull=True, due_on__lt=today, overdue_notified_on__isnull=True)
               .select_related("measure", "owner"))
    for milestone in due:
        notify_team(milestone.measure, "overdue", _("Milestone “%(title)s” of %(measure)s was due on %(due)s.") % {
            "title": milestone.title, "measure": milestone.measure.title, "due": formats.date(milestone.due_on)})
    Milestone.objects.filter(pk__in=[m.pk for m in due]).update(overdue_notified_on=today)
    if due:
        record_event(actor=actor, action="milestone.overdue_notified",
                     changes={"milestones": (None, [m.pk for m in due])})
    return len(due)


def digest_send(*, actor, now=None) -> dict[str, int]:
    """Send each recipient one email with all their pending notifications; marks them sent."""
    require(actor, "lifecycle.send_digest")
    now = now or timezone.now()
    overdue = overdue_milestones_queue(actor=actor, today=now.date())
    pending = list(Notification.objects.filter(sent_at__isnull=True).select_related("recipient", "measure")
                   .order_by("recipient_id", "created_at", "id"))
    by_recipient: dict[Any, list[Notification]] = {}
    for note in pending:
        by_recipient.setdefault(note.recipient, []).append(note)
    sent = 0
    for recipient, notes in by_recipient.items():
        lines = [_("Hello,"), "", _("here is what happened in your measures:"), ""]
        lines += [f"- {formats.date(timezone.localdate(n.created_at))}: {n.text}" for n in notes]
        with transaction.atomic():
            send_mail(subject=_("Kompass: %(count)s updates on your measures") % {"count": len(notes)},
                      message="\n".join(lines), from_email=None, recipient_list=[recipient.email])
            Notification.objects.filter(pk__in=[n.pk for n in notes]).update(sent_at=now)
        sent += 1
    return {"emails": sent, "notifications": len(pending), "overdue_milestones": overdue}
