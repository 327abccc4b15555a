"""What a measure's team records: logbook entries with attachments, versions of the Maßnahmenbeschreibung,
milestones and lessons learned."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompass.core.plausible import check_date
from kompass.lifecycle.models.framework import MeetingFormat, Phase
from kompass.lifecycle.models.storage import attachment_path, private_storage

# The sections of a Maßnahmenbeschreibung in the handbook's fixed order.
DESCRIPTION_SECTIONS: list[tuple[str, str]] = [
    ("challenge", _("Challenge")), ("goals", _("Goals and key results")), ("target_groups", _("Target groups")),
    ("team_roles", _("Team and roles")), ("partners", _("Partners")), ("timeline", _("Timeline and milestones")),
    ("budget", _("Budget frame")), ("resources", _("Resources")), ("it_constraints", _("IT constraints")),
    ("data_open_source", _("Data and open-source plan")), ("participation", _("Participation plan")),
    ("risks", _("Risks")), ("links", _("Links to other measures")),
    ("operation_scaling", _("Path to regular operation and scaling")),
]
SECTION_KEYS = [key for key, _label in DESCRIPTION_SECTIONS]


class LogbookEntry(models.Model):
    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="logbook_entries")
    meeting_format = models.ForeignKey(MeetingFormat, on_delete=models.PROTECT, related_name="entries",
                                       verbose_name=_("format"))
    held_on = models.DateField(_("date"))
    organisations = models.ManyToManyField("organisations.Organisation", blank=True, related_name="+",
                                           verbose_name=_("participating organisations"))
    outcomes = models.TextField(_("outcomes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook entries")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.meeting_format} {self.held_on}"


class Attachment(models.Model):
    entry = models.ForeignKey(LogbookEntry, verbose_name=_("logbook entry"),
                              on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class DescriptionVersion(models.Model):
    """One saved version of a measure's Maßnahmenbeschreibung; the highest number is the current one."""

    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="description_versions")
    number = models.PositiveIntegerField(_("version number"))
    sections = models.JSONField(_("sections"), default=dict)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("version of the description")
        verbose_name_plural = _("versions of the description")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["measure", "number"], name="unique_description_version")]

    def __str__(self) -> str:
        return f"{self.measure_id} v{self.number}"

    @property
    def ordered_sections(self) -> list[tuple[str, str, str]]:
        return [(key, label, self.sections.get(key, "")) for key, label in DESCRIPTION_SECTIONS]

    @property
    def is_complete(self) -> bool:
        return all((self.sections.get(key) or "").strip() for key in SECTION_KEYS)


class Milestone(models.Model):
    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("owner"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    overdue_notified_on = models.DateField(_("overdue notice sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        check_date("due_on", self.due_on)
        check_date("done_on", self.done_on)

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < datetime.date.today()


class LessonLearned(models.Model):
    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="lessons")
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("phase"))
    title = models.CharField(_("title"), max_length=200)
    what_worked = models.TextField(_("what worked"))
    what_did_not = models.TextField(_("what did not work"))
    recommendation = models.TextField(_("recommendation"))
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Separated by commas."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]
