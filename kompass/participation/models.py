"""Participation: ideas and challenges (Arena der Ideen), comments, supports, follows, ownership, moderation,
text consultations, opinion-mapping statements and votes, notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompass.participation.uploads import private_attachments

USER = settings.AUTH_USER_MODEL


class Idea(models.Model):
    class Kind(models.TextChoices):
        IDEA = "idea", _("idea")
        CHALLENGE = "challenge", _("challenge")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        QUALIFYING = "qualifying", _("being qualified")
        ADMITTED = "admitted", _("admitted as candidate measure")
        NOT_ADMITTED = "not_admitted", _("not admitted")

    strategy = models.ForeignKey("strategy.Strategy", verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="ideas")
    author = models.ForeignKey(USER, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="ideas")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.IDEA)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    action_fields = models.ManyToManyField("strategy.ActionField", verbose_name=_("action fields"), blank=True,
                                           related_name="ideas")
    districts = models.ManyToManyField("strategy.District", verbose_name=_("districts"), blank=True,
                                       related_name="ideas")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    status_reason = models.TextField(_("reason"), blank=True)
    support_count = models.PositiveIntegerField(_("number of supports"), default=0)
    comment_count = models.PositiveIntegerField(_("number of comments"), default=0)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [
            models.Index(fields=["strategy", "is_hidden", "-created_at", "-id"], name="idea_newest"),
            models.Index(fields=["strategy", "is_hidden", "-support_count", "-id"], name="idea_supported"),
            models.Index(fields=["strategy", "is_hidden", "-comment_count", "-id"], name="idea_discussed"),
        ]

    def __str__(self) -> str:
        return self.title


class IdeaStatusChange(models.Model):
    """The idea's public path: every status it went through, with the public reason."""

    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=20, choices=Idea.Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("change of an idea's status")
        verbose_name_plural = _("changes of ideas' statuses")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.status}"


class Attachment(models.Model):
    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="participation/attachments/%Y/%m/", storage=private_attachments,
                            max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Support(models.Model):
    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(USER, verbose_name=_("supporter"),
                             null=True, blank=True, on_delete=models.SET_NULL, related_name="supports")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_support_per_account")]

    def __str__(self) -> str:
        return f"support {self.idea_id}"


class Follow(models.Model):
    user = models.ForeignKey(USER, verbose_name=_("follower"), on_delete=models.CASCADE, related_name="follows")
    idea = models.ForeignKey(Idea, verbose_name=_("idea"),
                             null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    consultation = models.ForeignKey("Consultation", verbose_name=_("consultation"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["user", "idea"], name="one_follow_per_idea"),
            models.UniqueConstraint(fields=["user", "consultation"], name="one_follow_per_consultation"),
            models.CheckConstraint(condition=Q(idea__isnull=False) ^ Q(consultation__isnull=False),
                                   name="follow_one_target"),
        ]

    def __str__(self) -> str:
        return f"follow {self.idea_id or self.consultation_id}"


class Ownership(models.Model):
    """An organisation or group declares it wants to implement an idea (owner); others join (partner)."""

    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        PARTNER = "partner", _("consortium partner")

    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="ownerships")
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("organisation"),
                                     null=True, blank=True, on_delete=models.CASCADE)
    group = models.ForeignKey("accounts.UserGroup", verbose_name=_("user group"),
                              null=True, blank=True, on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    declared_by = models.ForeignKey(USER, verbose_name=_("declared by"),
                                    null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("responsibility for an idea")
        verbose_name_plural = _("responsibilities for ideas")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "organisation"], name="one_ownership_per_org"),
            models.UniqueConstraint(fields=["idea", "group"], name="one_ownership_per_group"),
            models.UniqueConstraint(fields=["idea"], condition=Q(role="owner"), name="one_owner_per_idea"),
            models.CheckConstraint(condition=Q(organisation__isnull=False) ^ Q(group__isnull=False),
                                   name="ownership_one_party"),
        ]

    def __str__(self) -> str:
        return f"{self.party} ({self.role})"

    @property
    def party(self):
        return self.organisation or self.group


class Consultation(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("text consultation")
        STATEMENTS = "statements", _("opinion mapping")

    strategy = models.ForeignKey("strategy.Strategy", verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="consultations")
    slug = models.SlugField(_("short name (web address)"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.title

    @property
    def state(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"

    @property
    def is_open(self) -> bool:
        return self.state == "open"


class Chapter(models.Model):
    consultation = models.ForeignKey(Consultation, verbose_name=_("consultation"),
                                     on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField(_("sort order"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class Paragraph(models.Model):
    chapter = models.ForeignKey(Chapter, verbose_name=_("chapter"), on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField(_("sort order"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text[:60]


class Comment(models.Model):
    """A comment on an idea or on a paragraph of a draft; replies (parent set) go one level deep."""

    idea = models.ForeignKey(Idea, verbose_name=_("idea"),
                             null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    paragraph = models.ForeignKey(Paragraph, verbose_name=_("paragraph"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", verbose_name=_("reply to"),
                               null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(USER, verbose_name=_("author"),
                               null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    text = models.TextField(_("text"))
    is_deleted = models.BooleanField(_("deleted"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["idea", "parent", "created_at"], name="comment_thread")]
        constraints = [models.CheckConstraint(condition=Q(idea__isnull=False) ^ Q(paragraph__isnull=False),
                                              name="comment_one_target")]

    def __str__(self) -> str:
        return self.text[:60]


class Statement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        APPROVED = "approved", _("published")
        REJECTED = "rejected", _("rejected")

    consultation = models.ForeignKey(Consultation, verbose_name=_("consultation"),
                                     on_delete=models.CASCADE, related_name="statements")
    author = models.ForeignKey(USER, verbose_name=_("author"),
                               null=True, blank=True, on_delete=models.SET_NULL, related_name="statements")
    text = models.CharField(_("text"), max_length=400)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("agree")
        DISAGREE = -1, _("disagree")
        PASS = 0, _("pass")

    statement = models.ForeignKey(Statement, verbose_name=_("statement"),
                                  on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(USER, verbose_name=_("user"),
                             null=True, blank=True, on_delete=models.SET_NULL, related_name="votes")
    value = models.SmallIntegerField(_("vote"), choices=Value.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["statement", "user"], name="one_vote_per_statement")]

    def __str__(self) -> str:
        return f"vote {self.statement_id}: {self.value}"


class OpinionMapResult(models.Model):
    consultation = models.ForeignKey(Consultation, verbose_name=_("consultation"),
                                     on_delete=models.CASCADE, related_name="opinion_maps")
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    data = models.JSONField(_("result of the opinion map"), default=dict)

    class Meta:
        verbose_name = _("result of an opinion map")
        verbose_name_plural = _("results of opinion maps")
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"opinion map {self.consultation_id} {self.computed_at:%Y-%m-%d %H:%M}"


class Report(models.Model):
    """Someone reports a contribution that breaks the community guidelines."""

    idea = models.ForeignKey(Idea, verbose_name=_("idea"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="reports")
    comment = models.ForeignKey(Comment, verbose_name=_("comment"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="reports")
    statement = models.ForeignKey(Statement, verbose_name=_("statement"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(USER, verbose_name=_("reported by"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    reason = models.TextField(_("reason for the report"))
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved on"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("moderation report")
        verbose_name_plural = _("moderation reports")

    def __str__(self) -> str:
        return _("moderation report %(number)s") % {"number": self.pk}

    @property
    def target(self):
        return self.idea or self.comment or self.statement


class Notification(models.Model):
    user = models.ForeignKey(USER, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text


class IdempotencyKey(models.Model):
    """A citizen's write remembered by the key its form or API client sent (ADR 0045): the same key from the same
    account answers with the first write's result instead of writing again. `fingerprint` is a hash of what was
    sent (a different request under the same key is refused); `object_id` is the idea or comment created,
    `result` a small answer (a support's `changed`). Deleted with the account; purged after
    `KOMPASS_IDEMPOTENCY_HOURS` (`kompass purge_idempotency_keys`, also run by `participation_digest daily`)."""

    user = models.ForeignKey(USER, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=64)
    action = models.CharField(_("action"), max_length=30)
    fingerprint = models.CharField(_("fingerprint of the request"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("object number"), null=True, blank=True)
    result = models.JSONField(_("stored response"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("key against double submission")
        verbose_name_plural = _("keys against double submission")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_write_per_idempotency_key")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_age")]

    def __str__(self) -> str:
        return f"{self.action} {self.key}"
