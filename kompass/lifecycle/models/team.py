"""The people around a measure: its team, invitations to join it, the mandate it was given, and the
pending notifications the digest sends them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompass.core.plausible import check_date


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
