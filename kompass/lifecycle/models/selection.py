"""The selection of new measures (governance level 2): candidates and their assessments against the
selection criteria."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompass.core.models import LocalizedMixin
from kompass.lifecycle.models.framework import SelectionCriterion


class Candidate(LocalizedMixin, models.Model):
    """A proposed measure on its way through selection (governance level 2)."""

    class Source(models.TextChoices):
        ADMINISTRATION = "administration", _("administration")
        CITIZEN_IDEA = "citizen_idea", _("citizen idea")
        EXTERNAL = "external", _("outside proposal")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        IN_REVIEW = "in_review", _("in review")
        ADMITTED = "admitted", _("admitted")
        REJECTED = "rejected", _("rejected")
        DEFERRED = "deferred", _("deferred")

    strategy = models.ForeignKey("strategy.Strategy", verbose_name=_("strategy"),
                                 on_delete=models.CASCADE, related_name="candidates")
    slug = models.SlugField(_("short name (web address)"), max_length=120)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_url = models.URLField(_("source link"), blank=True)  # a link the proposer gave (not the idea page)
    # A typed reference to the object the candidate came from in a higher-layer app (e.g. a citizen idea:
    # source_kind "participation.idea", source_id its pk). Resolved to a link through lifecycle.sources.
    source_kind = models.CharField(_("source"), max_length=60, blank=True, db_default="")
    source_id = models.PositiveBigIntegerField(_("number at the source"), null=True, blank=True)
    # Who submitted the source (the idea's author); the name is rendered at display time, so a deleted
    # account leaves no name behind.
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("proposing organisation"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewer_group = models.SlugField(_("reviewing group"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    measure = models.OneToOneField("measures.Measure", verbose_name=_("measure"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="candidate")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("candidate measure")
        verbose_name_plural = _("candidate measures")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="unique_candidate_slug"),
            models.UniqueConstraint(fields=["strategy", "source_kind", "source_id"],
                                    condition=models.Q(source_id__isnull=False), name="unique_candidate_source"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source_link(self) -> str:
        """The public link of the candidate's origin: the typed source when one is registered, else the link
        the proposer gave."""
        from kompass.lifecycle.sources import source_url

        return source_url(self.source_kind, self.source_id) or self.source_url


class Assessment(models.Model):
    candidate = models.ForeignKey(Candidate, verbose_name=_("candidate measure"),
                                  on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(SelectionCriterion, verbose_name=_("selection criterion"),
                                  on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assessed by"),
                                 on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(0), MaxValueValidator(4)])
    justification = models.TextField(_("justification"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["criterion__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "criterion", "assessor"], name="unique_assessment"),
            models.CheckConstraint(condition=models.Q(score__lte=4), name="assessment_score_0_4"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
