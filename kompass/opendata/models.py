"""Federation: other Kompass instances or DCAT-AP catalogues this instance follows, the public records harvested
from them (measures, lessons learned, datasets) with their source and licence, and replication links from a local
measure to another city's measure."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    class Kind(models.TextChoices):
        KOMPASS = "kompass", _("Kompass instance")
        DCAT = "dcat", _("DCAT-AP catalogue")

    name = models.CharField(_("name"), max_length=200, help_text=_("Usually the city, e.g. Hamburg."))
    url = models.URLField(_("address"), max_length=500, unique=True,
                          help_text=_("Base address of a Kompass instance, or the address of a DCAT-AP catalogue."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.KOMPASS)
    is_active = models.BooleanField(_("follow"), default=True)
    interval_hours = models.PositiveIntegerField(_("harvest every (hours)"), default=24)
    last_harvest_at = models.DateTimeField(_("last harvest"), null=True, blank=True)
    last_status = models.CharField(_("result of the last harvest"), max_length=20, blank=True,
                                   choices=[("ok", _("successful")), ("error", _("failed"))])
    last_message = models.TextField(_("message of the last harvest"), blank=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("followed source")
        verbose_name_plural = _("followed sources")

    def __str__(self) -> str:
        return self.name


class HarvestedRecord(models.Model):
    class Kind(models.TextChoices):
        MEASURE = "measure", _("measure")
        LESSON = "lesson", _("lesson learned")
        DATASET = "dataset", _("dataset")

    class State(models.TextChoices):
        ACTIVE = "active", _("current")
        WITHDRAWN = "withdrawn", _("withdrawn at the source")

    source = models.ForeignKey(Source, verbose_name=_("followed source"), on_delete=models.CASCADE,
                               related_name="records")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    remote_id = models.CharField(_("identifier at the source"), max_length=500)
    url = models.URLField(_("web address"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)
    tags = models.JSONField(_("keywords"), default=list, blank=True)  # action field names, keywords, lesson tags
    parent_url = models.URLField(_("belongs to (web address)"), max_length=1000, blank=True)  # a lesson's measure
    parent_title = models.CharField(_("belongs to"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    licence_id = models.CharField(_("licence identifier"), max_length=100, blank=True)
    licence_title = models.CharField(_("licence"), max_length=300, blank=True)
    licence_url = models.URLField(_("licence (web address)"), max_length=500, blank=True)
    state = models.CharField(_("state at the source"), max_length=10, choices=State.choices, default=State.ACTIVE)
    content_hash = models.CharField(_("content checksum"), max_length=64)
    first_seen_at = models.DateTimeField(_("first seen on"), auto_now_add=True)
    changed_at = models.DateTimeField(_("last changed"))
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("harvested record")
        verbose_name_plural = _("harvested records")
        constraints = [models.UniqueConstraint(fields=["source", "kind", "remote_id"], name="unique_harvested")]
        indexes = [models.Index(fields=["kind", "state"])]

    def __str__(self) -> str:
        return self.title


class Replication(models.Model):
    """A local measure replicates ("Einer für Alle") or adapts another city's measure."""

    class Relation(models.TextChoices):
        REPLICATES = "replicates", _("replicates")
        ADAPTS = "adapts", _("adapts")

    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"), on_delete=models.CASCADE,
                                related_name="federated_origins")
    record = models.ForeignKey(HarvestedRecord, verbose_name=_("harvested record"), null=True, blank=True,
                               on_delete=models.SET_NULL,
                               related_name="replications")
    remote_url = models.URLField(_("address at the other city"), max_length=1000)
    remote_title = models.CharField(_("title at the other city"), max_length=300)
    remote_city = models.CharField(_("other city"), max_length=200, blank=True)
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    note = models.TextField(_("what we took over or changed"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["measure", "remote_url"], name="unique_replication")]
        verbose_name = _("replication")
        verbose_name_plural = _("replications")

    def __str__(self) -> str:
        return f"{self.measure_id} {self.relation} {self.remote_title}"
