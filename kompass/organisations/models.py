from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.core.models import LocalizedMixin


class Organisation(LocalizedMixin, models.Model):
    """A public body or partner that runs or joins measures. Renamed departments keep their former names."""

    class Kind(models.TextChoices):
        SENATE_CHANCELLERY = "senate_chancellery", _("Senate Chancellery")
        SENATE_DEPARTMENT = "senate_department", _("Senate department")
        DISTRICT_OFFICE = "district_office", _("District office")
        SUBORDINATE_AUTHORITY = "subordinate_authority", _("Subordinate authority")
        EXTERNAL_PARTNER = "external_partner", _("External partner")

    strategy = models.ForeignKey("strategy.Strategy", verbose_name=_("strategy"), on_delete=models.CASCADE,
                                 related_name="organisations")
    slug = models.SlugField(_("short name (web address)"), max_length=80)
    name = models.CharField(_("name"), max_length=250)
    name_en = models.CharField(_("name (English)"), max_length=250, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    district = models.ForeignKey(
        "strategy.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations",
        verbose_name=_("district"),
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Set by the services on every change (nullable: rows older than the column fall back to their audit events).
    modified_at = models.DateTimeField(_("last changed"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [models.UniqueConstraint(fields=["strategy", "slug"], name="unique_organisation_slug")]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class FormerName(models.Model):
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="former_names")
    name = models.CharField(_("name"), max_length=250)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_until", "name"]
        verbose_name = _("former name")
        verbose_name_plural = _("former names")

    def __str__(self) -> str:
        return self.name
