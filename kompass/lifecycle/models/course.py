"""Each measure's way through the process: where it stands, every phase transition, and the stable id a
spreadsheet import gave it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompass.lifecycle.models.framework import Phase


class MeasureLifecycle(models.Model):
    """Where a measure stands in the process. Measures without a row are in the first phase."""

    measure = models.OneToOneField("measures.Measure", verbose_name=_("measure"),
                                   on_delete=models.CASCADE, related_name="lifecycle")
    phase = models.ForeignKey(Phase, verbose_name=_("current phase"),
                              on_delete=models.PROTECT, related_name="lifecycles")
    phase_since = models.DateTimeField(_("in the phase since"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    replication_of = models.ForeignKey("measures.Measure", verbose_name=_("replication of"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="replications")

    class Meta:
        verbose_name = _("course of a measure")
        verbose_name_plural = _("courses of measures")

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.phase_id}"


class PhaseTransition(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", _("initial phase")
        FORWARD = "forward", _("moved forward")
        OVERRIDE = "override", _("moved forward by override")
        BACK = "back", _("stepped back")
        COMPLETE = "complete", _("completed")

    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="phase_transitions")
    from_phase = models.ForeignKey(Phase, verbose_name=_("from phase"),
                                   null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_phase = models.ForeignKey(Phase, verbose_name=_("to phase"),
                                 null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    criteria = models.JSONField(_("exit criteria met"),
                                default=list, blank=True)  # [{name, label, met, message}] at the time
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acting person"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("name of the acting person"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)

    class Meta:
        verbose_name = _("phase transition")
        verbose_name_plural = _("phase transitions")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["measure", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.from_phase_id} → {self.to_phase_id} ({self.kind})"


class MeasureExternalId(models.Model):
    """A stable id from a spreadsheet, so re-importing the same file updates instead of duplicating."""

    measure = models.OneToOneField("measures.Measure", verbose_name=_("measure"),
                                   on_delete=models.CASCADE, related_name="external_id")
    strategy = models.ForeignKey("strategy.Strategy", verbose_name=_("strategy"),
                                 on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(_("external identifier"), max_length=100)

    class Meta:
        verbose_name = _("external identifier of a measure")
        verbose_name_plural = _("external identifiers of measures")
        constraints = [models.UniqueConstraint(fields=["strategy", "external_id"], name="unique_external_id")]

    def __str__(self) -> str:
        return self.external_id
