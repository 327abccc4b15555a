from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One recorded write: who (or which system process) did what to which object, and what changed."""

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events",
        verbose_name=_("acting person"),
    )
    actor_label = models.CharField(_("acting (pseudonym)"), max_length=200,
                                   help_text=_("Who acted, kept when the account is deleted."))
    action = models.CharField(_("event"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("type of object"), null=True, blank=True,
                                     on_delete=models.SET_NULL)
    object_id = models.CharField(_("object number"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
