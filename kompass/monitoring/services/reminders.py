"""Indicator owners: who keeps an indicator's values current, and the reminder before each update is due."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core import formats
from kompass.core.permissions import require
from kompass.core.urls import absolute_url
from kompass.monitoring import updates
from kompass.monitoring.models import Indicator


def _team_users(measure):
    from kompass.lifecycle.models import TeamMember

    return {m.user_id for m in TeamMember.objects.filter(measure=measure)}


@transaction.atomic
def indicator_owner_set(*, actor, indicator: Indicator, owner) -> bool:
    """Make `owner` (a person in the measure's team, or None) the indicator's owner; False when unchanged."""
    require(actor, "monitoring.change_monitoring", indicator.measure)
    if owner is not None and owner.pk not in _team_users(indicator.measure):
        raise ValidationError({"owner": _("The owner must be a person in the measure's team.")})
    if indicator.owner_id == (owner.pk if owner else None):
        return False
    old = indicator.owner
    Indicator.objects.filter(pk=indicator.pk).update(owner=owner, reminded_for=None)
    indicator.owner, indicator.reminded_for = owner, None
    record_event(actor=actor, action="monitoring.indicator_owner_set", obj=indicator,
                 changes={"owner": (str(old.pk) if old else None, str(owner.pk) if owner else None)})
    return True


def indicator_reminders_send(*, actor, today: datetime.date | None = None) -> int:
    """Email each owner whose indicator's next value is due within `updates.REMIND_DAYS` (or overdue), once per
    due date. Running it again the same day, or the next, sends nothing new. Returns the number of emails."""
    require(actor, "monitoring.send_reminders")
    sent = []
    for indicator, state in updates.due_for_reminder(today):
        with transaction.atomic():
            # claim the due date first: a second run in parallel updates no row and sends nothing
            claimed = (Indicator.objects.filter(pk=indicator.pk).exclude(reminded_for=state.due)
                       .update(reminded_for=state.due))
            if not claimed:
                continue
            link = absolute_url(reverse("monitoring:measurement_add", args=[indicator.slug]))
            when = (_("was due on %(date)s") if state.overdue else _("is due on %(date)s")) % {
                "date": formats.date(state.due)}
            lines = [_("Hello,"), "",
                     _("the next value of the indicator “%(name)s” (%(measure)s) %(when)s.") % {
                         "name": indicator.name, "measure": indicator.measure.title, "when": when},
                     _("Enter it here:"), link]
            send_mail(subject=_("Kompass: indicator “%(name)s” needs its next value") % {"name": indicator.name},
                      message="\n".join(lines), from_email=None, recipient_list=[indicator.owner.email])
            sent.append(indicator.pk)
    if sent:
        record_event(actor=actor, action="monitoring.indicator_reminders_sent",
                     changes={"indicators": (None, sent)})
    return len(sent)


REMINDER_JOB = "monitoring.indicator_reminders"


def next_reminder_run(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next daily run: `KOMPASS_REMINDER_HOUR` o'clock local time (default 6), today if still ahead, else
    tomorrow."""
    from django.conf import settings
    from django.utils import timezone

    now = timezone.localtime(now or timezone.now())
    hour = int(getattr(settings, "KOMPASS_REMINDER_HOUR", 6))
    run = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if run <= now:
        run = timezone.localtime(run + datetime.timedelta(days=1)).replace(hour=hour)
    return run


def indicator_reminders_schedule(*, actor, run_after: datetime.datetime | None = None):
    """Queue the daily reminder job (`kompass db_worker` runs it) at `run_after` (default: the next daily run),
    unless one is queued already: there is one schedule, and each run queues the next (ADR 0081). Returns the
    queued Job, or None (already queued, or a task backend that cannot run jobs later, like the tests')."""
    from kompass.jobs.models import Job
    from kompass.jobs.services import can_schedule, job_start
    from kompass.monitoring.tasks import indicator_reminders_task

    require(actor, "monitoring.send_reminders")
    if not can_schedule():
        return None
    with transaction.atomic():
        # One schedule: serialise schedulers on the queued reminder jobs (PostgreSQL row locks). Two schedulers
        # racing on an empty queue can still both queue one; the next runs then queue only one follower.
        if Job.objects.select_for_update().filter(kind=REMINDER_JOB, status=Job.Status.QUEUED).exists():
            return None
        return job_start(actor=actor, kind=REMINDER_JOB, title=_("Indicator reminders"),
                         task=indicator_reminders_task, run_after=run_after or next_reminder_run())
