"""The implementation model of a strategy: the process (phases with exit criteria, meeting formats) as data,
each measure's way through it (phase, transitions, team, mandate, logbook, description versions, milestones,
lessons learned) and the selection of new measures (candidates, assessments, decisions)."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompass.core.models import LocalizedMixin, NamedFrameworkItem, framework_meta
from kompass.core.plausible import check_date

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


def private_root() -> Path:
    return Path(getattr(settings, "KOMPASS_PRIVATE_ROOT", Path(settings.VAR_DIR) / "private"))


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT, never served directly: only through a permission-checked view."""

    def __init__(self):
        super().__init__(location=str(private_root()), base_url=None)


def private_storage():
    return PrivateStorage()


def attachment_path(instance, filename: str) -> str:
    today = timezone.now()
    return f"lifecycle/{today:%Y/%m}/{filename}"


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


class TeamMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("lead")
        MEMBER = "member", _("member")
        SUPPORT = "support", _("support team")

    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="measure_teams")
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["measure", "user"], name="unique_team_member")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Mandate(models.Model):
    class GivenBy(models.TextChoices):
        DECISION_ROUND = "decision_round", _("decision round")
        CDO = "cdo", _("Chief Digital Officer")
        CABINET = "digital_cabinet", _("Digital Cabinet")

    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="mandates")
    given_by = models.CharField(_("given by"), max_length=30, choices=GivenBy.choices)
    given_on = models.DateField(_("given on"))
    budget_eur = models.DecimalField(_("budget released (EUR)"), max_digits=14, decimal_places=2, null=True,
                                     blank=True, validators=[MinValueValidator(0)])
    staff_fte = models.DecimalField(_("staff released (full-time equivalents)"), max_digits=6, decimal_places=2,
                                    null=True, blank=True, validators=[MinValueValidator(0)])
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_given_by_display()} {self.given_on}"

    def clean(self):
        super().clean()
        check_date("given_on", self.given_on)


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



class TeamInvitation(models.Model):
    """An invitation by email to join a measure team. The link carries a signed, expiring token naming this row;
    accepting it once adds the person who accepts (signed in with the invited address) to the team."""

    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"),
                                on_delete=models.CASCADE, related_name="team_invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=TeamMember.Role.choices, default=TeamMember.Role.MEMBER)
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("invitation to the team")
        verbose_name_plural = _("invitations to the team")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.email} → {self.measure_id}"

class Notification(models.Model):
    """A pending message for one person; `send_lifecycle_digest` sends each person one email with all of them."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="lifecycle_notifications")
    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=40)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "recipient"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


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
