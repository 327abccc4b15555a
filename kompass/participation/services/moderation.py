"""Moderation: reports, hiding contributions with a public reason, blocking accounts, approving statements."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.permissions import require
from kompass.participation.models import Comment, Idea, Report, Statement

REPORT_FIELD = {Idea: "idea", Comment: "comment", Statement: "statement"}


@transaction.atomic
def report_create(*, actor, target, reason: str) -> Report:
    require(actor, "participation.report")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say briefly what breaks the guidelines."))
    field = REPORT_FIELD[type(target)]
    report = Report.objects.create(reporter=actor, reason=reason[:2000], **{field: target})
    record_event(actor=actor, action="report.created", obj=report, changes={field: (None, target.pk)})
    return report


def _resolve_reports(target, resolution: str) -> None:
    Report.objects.filter(resolved_at=None, **{REPORT_FIELD[type(target)]: target}).update(
        resolved_at=timezone.now(), resolution=resolution[:300])


def _reason_or_empty(reason: str, active: bool, message: str) -> str:
    """The trimmed public reason when `active` (required then), "" otherwise."""
    reason = (reason or "").strip()[:300]
    if active and not reason:
        raise ValidationError(message)
    return reason if active else ""


@transaction.atomic
def moderation_hide(*, actor, target, reason: str, hide: bool = True):
    """Hide (or show again) an idea or comment; the public sees the reason in its place."""
    require(actor, "participation.moderate")
    shown = _reason_or_empty(reason, hide, _("Give the reason that will be shown in place of the contribution."))
    old = target.is_hidden
    target.is_hidden, target.hidden_reason = hide, shown
    target.save(update_fields=["is_hidden", "hidden_reason"])
    _resolve_reports(target, _("hidden: %(reason)s") % {"reason": reason} if hide else _("shown again"))
    record_event(actor=actor, action="moderation.hidden" if hide else "moderation.shown", obj=target,
                 changes={"is_hidden": (old, hide), "hidden_reason": ("", target.hidden_reason)})
    return target


@transaction.atomic
def report_dismiss(*, actor, report: Report) -> Report:
    require(actor, "participation.moderate")
    report.resolved_at, report.resolution = timezone.now(), _("no violation")
    report.save(update_fields=["resolved_at", "resolution"])
    record_event(actor=actor, action="moderation.report_dismissed", obj=report)
    return report


@transaction.atomic
def user_block(*, actor, user, reason: str, block: bool = True):
    require(actor, "participation.moderate")
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot block yourself."))
    why = _reason_or_empty(reason, block, _("Give a reason for the block."))
    old = user.is_blocked
    user.is_blocked, user.blocked_reason = block, why
    user.save(update_fields=["is_blocked", "blocked_reason"])
    record_event(actor=actor, action="moderation.blocked" if block else "moderation.unblocked", obj=user,
                 changes={"is_blocked": (old, block)})
    return user


@transaction.atomic
def statement_moderate(*, actor, statement: Statement, status: str) -> Statement:
    require(actor, "participation.moderate")
    if status not in Statement.Status.values:
        raise ValidationError(_("Unknown status."))
    old = statement.status
    statement.status = status
    statement.save(update_fields=["status"])
    _resolve_reports(statement, status)
    record_event(actor=actor, action="moderation.statement", obj=statement, changes={"status": (old, status)})
    return statement
