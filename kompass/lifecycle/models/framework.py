"""The process of a strategy as data: its phases (with exit criteria), meeting formats, selection criteria
and per-strategy process settings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.core.models import NamedFrameworkItem, framework_meta


class Phase(NamedFrameworkItem):
    """A phase of a strategy's implementation process; its exit criteria are names in the criteria registry."""

    strategy = models.ForeignKey("strategy.Strategy", verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="phases")
    exit_criteria = models.JSONField(_("exit criteria"), default=list, blank=True)
    skippable = models.BooleanField(_("can be skipped"), default=False)
    # Set by the services on every change (nullable: rows older than the column fall back to their audit events).
    modified_at = models.DateTimeField(_("last changed"), null=True, blank=True, editable=False)

    Meta = framework_meta(_("phase"), _("phases"), "unique_phase_slug")


class MeetingFormat(NamedFrameworkItem):
    """A format of the Vorprozess (Steuerungsrunde, Maßnahmenwerkstatt, Entscheidungsrunde, …)."""

    strategy = models.ForeignKey("strategy.Strategy", verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="meeting_formats")
    gives_mandate = models.BooleanField(_("gives a mandate"), default=False)

    Meta = framework_meta(_("meeting format"), _("meeting formats"), "unique_meeting_format_slug")


class SelectionCriterion(NamedFrameworkItem):
    """A criterion candidates are assessed against, derived from the values compass."""

    strategy = models.ForeignKey("strategy.Strategy", verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="selection_criteria")
    value = models.ForeignKey("strategy.Value", verbose_name=_("value (Leitgedanke)"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="selection_criteria")
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    Meta = framework_meta(_("selection criterion"), _("selection criteria"), "unique_selection_criterion")


class ProcessSettings(models.Model):
    """Per-strategy settings of the process: when a measure counts as stuck, which group reviews which source."""

    strategy = models.OneToOneField("strategy.Strategy", verbose_name=_("strategy"), on_delete=models.CASCADE,
                                    related_name="process_settings")
    stuck_after_days = models.PositiveIntegerField(_("counts as stuck after (days)"), default=365)
    # source -> UserGroup slug
    reviewer_groups = models.JSONField(_("reviewing group per source"), default=dict, blank=True)
    # How many reviewers must have assessed a candidate before the CDO may admit or reject it (deferring is
    # always possible). Strategy data `process.min_assessments`; db_default keeps the column add zero-downtime.
    min_assessments = models.PositiveIntegerField(_("assessments needed before a decision"), default=1, db_default=1)

    class Meta:
        verbose_name = _("process settings")
        verbose_name_plural = _("process settings")

    def __str__(self) -> str:
        return _("process settings of %(strategy)s") % {"strategy": self.strategy}
